/** The walking skeleton, end to end: tokens, the identity lookup and every class of bad input. */
import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devClient } from "./support/dev-clients.ts";
import { type GatewayTarget, postJson, tokenFor } from "./support/target.ts";

const LOOKUP = "/v1/identity/lookup";

const SECURITY = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-resource-policy": "same-origin",
  "strict-transport-security": "max-age=31536000; includeSubDomains",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
};

function expectSecurityHeaders(response: Response, what: string) {
  for (const [name, value] of Object.entries(SECURITY)) {
    expect(response.headers.get(name), `${what}: ${name}`).toBe(value);
  }
}

async function problemOf(response: Response) {
  expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body.requestId, "every problem carries the request id").toBe(
    response.headers.get("x-request-id"),
  );
  expect(JSON.stringify(body)).not.toMatch(/\bat .+\.ts:\d+|node_modules|stack/);
  return body;
}

export function describeGatewayBasics(makeTarget: () => Promise<GatewayTarget>): void {
  let target: GatewayTarget;
  let fullToken: string;
  let regionalToken: string;
  let cleanNik: string;

  beforeAll(async () => {
    target = await makeTarget();
    fullToken = await tokenFor(target, "kemensos-app");
    regionalToken = await tokenFor(target, "dinsos-bandung");
    const [nik] = target.world.examples("CLEAN", 1);
    if (!nik) throw new Error("world has no clean example");
    cleanNik = nik;
  });
  afterAll(async () => {
    await target?.close();
  });

  describe("OAuth 2.0 client credentials", () => {
    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
    const tokenRequest = (body: string, headers: Record<string, string> = {}) =>
      target.fetch("/oauth/token", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        body,
      });

    it("issues a short-lived ES256 at+jwt with client_secret_basic", async () => {
      const token = await tokenFor(target, "kemensos-app", "identity:lookup");
      const header = decodeProtectedHeader(token);
      const payload = decodeJwt(token) as Record<string, number | string>;
      expect(header).toMatchObject({ alg: "ES256", typ: "at+jwt" });
      expect(payload).toMatchObject({
        sub: "kemensos-app",
        aud: "simpul",
        scope: "identity:lookup",
      });
      expect(Number(payload.exp) - Number(payload.iat)).toBeLessThanOrEqual(600);
      expect(typeof payload.jti).toBe("string");
      expect(typeof payload.iss).toBe("string");
    });

    it("issues a token with client_secret_post, not cacheable", async () => {
      const { secret } = devClient("dinsos-bandung");
      const response = await tokenRequest(
        form({
          grant_type: "client_credentials",
          client_id: "dinsos-bandung",
          client_secret: secret,
        }),
      );
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("no-store");
      const body = (await response.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ token_type: "Bearer" });
      expect(body.scope).toContain("enrolments:check");
    });

    it("refuses a wrong secret with 401 invalid_client", async () => {
      const response = await tokenRequest(form({ grant_type: "client_credentials" }), {
        authorization: `Basic ${btoa("kemensos-app:not-the-secret")}`,
      });
      expect(response.status).toBe(401);
      expect(await problemOf(response)).toMatchObject({
        code: "INVALID_CLIENT",
        error: "invalid_client",
      });
    });

    it("refuses two authentication methods at once", async () => {
      const { secret } = devClient("kemensos-app");
      const response = await tokenRequest(
        form({
          grant_type: "client_credentials",
          client_id: "kemensos-app",
          client_secret: secret,
        }),
        { authorization: `Basic ${btoa(`kemensos-app:${secret}`)}` },
      );
      expect(response.status).toBe(400);
      expect((await problemOf(response)).code).toBe("INVALID_REQUEST");
    });

    it("refuses other grant types, scopes not granted, and JSON bodies", async () => {
      const basic = {
        authorization: `Basic ${btoa(`bank-penyalur:${devClient("bank-penyalur").secret}`)}`,
      };
      const password = await tokenRequest(form({ grant_type: "password" }), basic);
      expect((await problemOf(password)).code).toBe("UNSUPPORTED_GRANT_TYPE");
      const scope = await tokenRequest(
        form({ grant_type: "client_credentials", scope: "identity:lookup" }),
        basic,
      );
      expect(scope.status).toBe(400);
      expect((await problemOf(scope)).code).toBe("INVALID_SCOPE");
      const json = await target.fetch("/oauth/token", {
        method: "POST",
        headers: { "content-type": "application/json", ...basic },
        body: JSON.stringify({ grant_type: "client_credentials" }),
      });
      expect(json.status).toBe(415);
    });

    it("publishes its keys and RFC 8414 metadata", async () => {
      const jwks = (await (await target.fetch("/.well-known/jwks.json")).json()) as {
        keys: Record<string, unknown>[];
      };
      expect(jwks.keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256" });
      expect(jwks.keys[0]).not.toHaveProperty("d");
      const metadata = (await (
        await target.fetch("/.well-known/oauth-authorization-server")
      ).json()) as Record<string, unknown>;
      expect(metadata.grant_types_supported).toEqual(["client_credentials"]);
      expect(metadata.token_endpoint_auth_methods_supported).toEqual([
        "client_secret_basic",
        "client_secret_post",
        "private_key_jwt",
      ]);
    });
  });

  describe("identity lookup", () => {
    it("returns the person from Dukcapil with every granted field", async () => {
      const expected = target.world.person(target.world.indexOf(cleanNik));
      const response = await postJson(
        target,
        LOOKUP,
        { nik: cleanNik },
        { token: fullToken, purpose: "eligibility-verification" },
      );
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("no-store");
      const body = (await response.json()) as {
        person: Record<string, unknown>;
        source: { id: string };
      };
      expect(body.source.id).toBe("dukcapil");
      expect(body.person).toMatchObject({
        nik: cleanNik,
        fullName: expected.fullName,
        lifeStatus: "ALIVE",
      });
      expect(Object.keys(body.person).sort()).toEqual([...devClient("kemensos-app").fields].sort());
    });

    it("limits the person to the fields a regional client is granted", async () => {
      const response = await postJson(
        target,
        LOOKUP,
        { nik: cleanNik },
        { token: await tokenFor(target, "demo-trial"), purpose: "identity-verification" },
      );
      expect(response.status).toBe(200);
      const body = (await response.json()) as { person: Record<string, unknown> };
      expect(Object.keys(body.person).sort()).toEqual(["fullName", "lifeStatus", "nik"]);
    });

    it("echoes a caller's request id and sends rate-limit and security headers", async () => {
      const response = await postJson(
        target,
        LOOKUP,
        { nik: cleanNik },
        {
          token: fullToken,
          purpose: "eligibility-verification",
          headers: { "x-request-id": "dinsos-batch-0001" },
        },
      );
      expect(response.status).toBe(200);
      expect(response.headers.get("x-request-id")).toBe("dinsos-batch-0001");
      expect(Number(response.headers.get("ratelimit-limit"))).toBeGreaterThan(0);
      expect(response.headers.get("ratelimit-remaining")).toMatch(/^\d+$/);
      expect(response.headers.get("ratelimit-reset")).toMatch(/^\d+$/);
      expect(response.headers.get("ratelimit-policy")).toMatch(/^\d+;w=60, \d+;w=86400$/);
      expectSecurityHeaders(response, "a released person");
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    });

    it("answers 404 PERSON_NOT_FOUND for a valid NIK the registry does not hold", async () => {
      const response = await postJson(
        target,
        LOOKUP,
        { nik: "3273014501990009" },
        { token: fullToken, purpose: "eligibility-verification" },
      );
      expect(response.status).toBe(404);
      const body = await problemOf(response);
      expect(body.code).toBe("PERSON_NOT_FOUND");
      expect(JSON.stringify(body)).not.toContain("3273014501990009");
    });
  });

  describe("bad authentication and authorisation", () => {
    const lookup = (headers: Record<string, string>) =>
      target.fetch(LOOKUP, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "simpul-purpose": "eligibility-verification",
          ...headers,
        },
        body: JSON.stringify({ nik: cleanNik }),
      });

    it.each([
      ["no Authorization header", {}, "UNAUTHENTICATED"],
      ["a Basic header", { authorization: "Basic a2VtZW5zb3M6eA==" }, "INVALID_TOKEN"],
      ["garbage", { authorization: "Bearer not-a-token" }, "INVALID_TOKEN"],
      [
        "alg none",
        {
          authorization: `Bearer ${btoa('{"alg":"none","typ":"at+jwt"}').replaceAll("=", "")}.${btoa('{"sub":"kemensos-app","scope":"identity:lookup"}').replaceAll("=", "")}.`,
        },
        "INVALID_TOKEN",
      ],
      [
        "an oversized token",
        { authorization: `Bearer ${"a".repeat(3000)}.${"b".repeat(3000)}.c` },
        "INVALID_TOKEN",
      ],
    ])("refuses %s with 401", async (_name, headers, code) => {
      const response = await lookup(headers as Record<string, string>);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect((await problemOf(response)).code).toBe(code);
    });

    it("refuses a token whose signature was tampered with", async () => {
      const [header, payload, signature] = fullToken.split(".");
      const forged = btoa(
        JSON.stringify({ ...JSON.parse(atob(payload ?? "")), sub: "inspektorat" }),
      )
        .replaceAll("=", "")
        .replaceAll("+", "-")
        .replaceAll("/", "_");
      const response = await lookup({ authorization: `Bearer ${header}.${forged}.${signature}` });
      expect(response.status).toBe(401);
    });

    it("refuses a token sent in the query string", async () => {
      const response = await target.fetch(`${LOOKUP}?access_token=${fullToken}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "simpul-purpose": "eligibility-verification",
        },
        body: JSON.stringify({ nik: cleanNik }),
      });
      expect(response.status).toBe(400);
    });

    it("refuses a client without the lookup scope with 403", async () => {
      const response = await lookup({
        authorization: `Bearer ${await tokenFor(target, "bank-penyalur")}`,
      });
      expect(response.status).toBe(403);
      expect((await problemOf(response)).code).toBe("INSUFFICIENT_SCOPE");
    });

    it("refuses a missing, unknown or not-allowed purpose with 403", async () => {
      const auth = { authorization: `Bearer ${regionalToken}` };
      const missing = await target.fetch(LOOKUP, {
        method: "POST",
        headers: { "content-type": "application/json", ...auth },
        body: JSON.stringify({ nik: cleanNik }),
      });
      expect(missing.status).toBe(403);
      expect((await problemOf(missing)).code).toBe("PURPOSE_REQUIRED");
      for (const purpose of ["oversight", "marketing"]) {
        const response = await lookup({ ...auth, "simpul-purpose": purpose });
        expect(response.status, `purpose ${purpose}`).toBe(403);
        expect((await problemOf(response)).code).toBe("PURPOSE_NOT_ALLOWED");
      }
    });
  });

  describe("bad input never reaches the source", () => {
    it.each([
      ["15 digits", { nik: "327301450190001" }, 422, "NIK_WRONG_LENGTH"],
      ["17 digits", { nik: "32730145019000011" }, 422, "NIK_WRONG_LENGTH"],
      ["letters", { nik: "32730145O1900001" }, 422, "NIK_NOT_ASCII_DIGITS"],
      ["spaces", { nik: "3273 0145 0190 0001" }, 422, "NIK_NOT_ASCII_DIGITS"],
      ["full-width digits", { nik: "３２７３０１４５０１９０００１" }, 422, "NIK_NOT_ASCII_DIGITS"],
      ["a JSON number", { nik: 3273014501900001 }, 400, "NIK_NOT_STRING"],
      ["an impossible date", { nik: "3273017213900001" }, 422, "NIK_INVALID_BIRTH_DATE"],
      ["province 00", { nik: "0073014501900001" }, 422, "NIK_UNKNOWN_PROVINCE"],
      ["serial 0000", { nik: "3273014501900000" }, 422, "NIK_INVALID_SERIAL"],
      ["a missing nik", {}, 400, "INVALID_REQUEST"],
      ["an unknown property", { nik: "3273014501900001", name: "x" }, 400, "UNKNOWN_PROPERTY"],
    ])("refuses %s", async (_name, body, status, code) => {
      const dukcapil = target.simulators?.dukcapil.control;
      const before = dukcapil?.stats().requests;
      const response = await postJson(target, LOOKUP, body, {
        token: fullToken,
        purpose: "eligibility-verification",
      });
      expect(response.status).toBe(status);
      const problem = await problemOf(response);
      expect(problem.code).toBe(code);
      expect(problem.errors, "validation problems point at the member").toBeInstanceOf(Array);
      if (dukcapil && before !== undefined) {
        expect(dukcapil.stats().requests, "the simulator must not be called").toBe(before);
      }
    });

    it("refuses malformed JSON, a wrong content type and an oversized body", async () => {
      const malformed = await postJson(target, LOOKUP, '{"nik": "3273', {
        token: fullToken,
        purpose: "eligibility-verification",
      });
      expect(malformed.status).toBe(400);
      expect((await problemOf(malformed)).code).toBe("MALFORMED_JSON");
      const text = await postJson(target, LOOKUP, JSON.stringify({ nik: cleanNik }), {
        token: fullToken,
        purpose: "eligibility-verification",
        headers: { "content-type": "text/plain" },
      });
      expect(text.status).toBe(415);
      const large = await postJson(
        target,
        LOOKUP,
        { nik: cleanNik, padding: "x".repeat(40_000) },
        { token: fullToken, purpose: "eligibility-verification" },
      );
      expect(large.status).toBe(413);
      expect((await problemOf(large)).code).toBe("PAYLOAD_TOO_LARGE");
    });

    it("refuses an oversized body sent in chunks, with no Content-Length", async () => {
      const chunk = new TextEncoder().encode(`{"nik":"${cleanNik}","pad":"${"x".repeat(8_000)}`);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < 8) controller.enqueue(chunk);
          else controller.close();
        },
      });
      const response = await target.fetch(LOOKUP, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${fullToken}`,
          "simpul-purpose": "eligibility-verification",
        },
        body,
        duplex: "half",
      } as RequestInit);
      expect(response.status).toBe(413);
      expect((await problemOf(response)).code).toBe("PAYLOAD_TOO_LARGE");
    });

    it("refuses a NIK in the URL", async () => {
      const response = await target.fetch(`/v1/identity/lookup/${cleanNik}`, {
        headers: { authorization: `Bearer ${fullToken}` },
      });
      expect(response.status).toBe(400);
      const problem = await problemOf(response);
      expect(problem.code).toBe("NIK_IN_URL");
      expect(JSON.stringify(problem)).not.toContain(cleanNik);
    });

    it("answers unknown paths with 404 and wrong methods with 405", async () => {
      const missing = await target.fetch("/v1/nothing-here");
      expect(missing.status).toBe(404);
      expect((await problemOf(missing)).code).toBe("NOT_FOUND");
      const wrongMethod = await target.fetch(LOOKUP, {
        method: "GET",
        headers: { authorization: `Bearer ${fullToken}` },
      });
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.headers.get("allow")).toContain("POST");
    });
  });

  describe("rate limiting", () => {
    it("refuses the fourth lookup a minute for the trial client with 429 and Retry-After", async () => {
      const token = await tokenFor(target, "demo-trial");
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 6; i++) {
        last = await postJson(
          target,
          LOOKUP,
          { nik: cleanNik },
          { token, purpose: "identity-verification" },
        );
        statuses.push(last.status);
      }
      // Earlier tests in this suite may have used part of the trial client's minute.
      expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(3);
      expect(statuses.at(-1)).toBe(429);
      if (!last) return;
      const retryAfter = Number(last.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(last.headers.get("ratelimit-remaining")).toBe("0");
      expect((await problemOf(last)).code).toBe("RATE_LIMITED");
    });
  });

  describe("response headers", () => {
    it("puts them on problems too, refused before or after the limit was charged", async () => {
      const unauthenticated = await postJson(target, LOOKUP, { nik: cleanNik }, {});
      expect(unauthenticated.status).toBe(401);
      expectSecurityHeaders(unauthenticated, "a 401");
      expect(unauthenticated.headers.get("cache-control")).toBe("no-store");
      expect(unauthenticated.headers.get("ratelimit-limit")).toBeNull();
      const invalid = await postJson(
        target,
        LOOKUP,
        { nik: cleanNik, unexpected: true },
        { token: fullToken, purpose: "eligibility-verification" },
      );
      expect(invalid.status).toBe(400);
      expectSecurityHeaders(invalid, "a 400 after the limit was charged");
      expect(invalid.headers.get("cache-control")).toBe("no-store");
      expect(invalid.headers.get("ratelimit-remaining")).toMatch(/^\d+$/);
      const body = await problemOf(invalid);
      expect(body.requestId).toBe(invalid.headers.get("x-request-id"));
      const unknown = await target.fetch("/no-such-route");
      expect(unknown.status).toBe(404);
      expectSecurityHeaders(unknown, "a 404");
    });

    it("lets a route's own header win over the default, once", async () => {
      const jwks = await target.fetch("/.well-known/jwks.json");
      expect(jwks.status).toBe(200);
      expect(jwks.headers.get("cache-control")).toBe("public, max-age=300");
      const docs = await target.fetch("/docs");
      expect(docs.status).toBe(200);
      const csp = docs.headers.get("content-security-policy") ?? "";
      expect(csp).not.toBe(SECURITY["content-security-policy"]);
      expect(csp).toContain("script-src");
      expect(docs.headers.get("x-frame-options")).toBe("DENY");
    });
  });

  describe("operations", () => {
    it("serves OpenAPI 3.1 describing the lookup and its problems", async () => {
      const document = (await (await target.fetch("/openapi.json")).json()) as {
        openapi: string;
        paths: Record<
          string,
          Record<string, { operationId: string; responses: Record<string, unknown> }>
        >;
      };
      expect(document.openapi).toBe("3.1.0");
      const lookup = document.paths["/v1/identity/lookup"]?.post;
      expect(lookup?.operationId).toBe("identity.lookup");
      expect(Object.keys(lookup?.responses ?? {})).toEqual(
        expect.arrayContaining(["200", "400", "401", "403", "413", "415", "422", "429"]),
      );
    });

    it("answers liveness and readiness", async () => {
      expect((await target.fetch("/healthz")).status).toBe(200);
      const ready = await target.fetch("/readyz");
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { status: string }).status).toBe("ok");
    });

    it("serves the docs page and its assets from the gateway itself", async () => {
      const page = await target.fetch("/docs");
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain("/docs/assets/swagger-ui-bundle.js");
      expect(html).not.toMatch(/https?:\/\//);
      const bundle = await target.fetch("/docs/assets/swagger-ui-bundle.js");
      expect(bundle.status).toBe(200);
      expect((await bundle.text()).length).toBeGreaterThan(100_000);
    });
  });
}
