import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeGateway, json, problem } from "../test/fake-gateway.ts";
import { createSimpulClient } from "./client.ts";
import { SimpulError, SimpulProblemError, SimpulResponseError } from "./errors.ts";
import type { FetchLike } from "./transport.ts";
import { SDK_VERSION } from "./version.ts";

const NIK = "3273014501900001";
const LOOKUP = "/v1/identity/lookup";
const person = { person: { nik: NIK }, source: { id: "dukcapil" }, warnings: [] };

function client(fetch: FetchLike, extra: { retries?: number; timeoutMs?: number } = {}) {
  return createSimpulClient({
    baseUrl: "https://simpul.test",
    clientId: "dinsos bandung",
    clientSecret: "s3cret:+/é",
    purpose: "disbursement-validation",
    fetch,
    ...extra,
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe("requests", () => {
  it("sends the token, purpose, audit headers, a request id and the JSON body", async () => {
    const gateway = fakeGateway({ routes: { [LOOKUP]: () => json(person) } });
    const answer = await client(gateway.fetch, { retries: 0 }).identity.lookup(
      { nik: NIK },
      { purpose: "complaint-handling", endUserId: "petugas-17", caseId: "SURAT/2024/88" },
    );
    expect(answer.person.nik).toBe(NIK);
    const [request] = gateway.to(LOOKUP);
    expect(request?.method).toBe("POST");
    expect(request?.headers.get("authorization")).toBe("Bearer token-1");
    expect(request?.headers.get("simpul-purpose")).toBe("complaint-handling");
    expect(request?.headers.get("simpul-end-user")).toBe("petugas-17");
    expect(request?.headers.get("simpul-case-id")).toBe("SURAT/2024/88");
    expect(request?.headers.get("content-type")).toBe("application/json");
    expect(request?.headers.get("x-request-id")).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
    expect(request?.headers.get("user-agent")).toBe(`simpul-sdk-js/${SDK_VERSION}`);
    expect(request?.headers.get("idempotency-key"), "reads need no idempotency key").toBeNull();
    expect(gateway.bodies.at(-1)).toBe(JSON.stringify({ nik: NIK }));
  });

  it("uses the client's default purpose and a fresh request id per call", async () => {
    const gateway = fakeGateway({ routes: { [LOOKUP]: () => json(person) } });
    const simpul = client(gateway.fetch);
    await simpul.identity.lookup({ nik: NIK });
    await simpul.identity.lookup({ nik: NIK }, { requestId: "my-own-request-id" });
    const [first, second] = gateway.to(LOOKUP);
    expect(first?.headers.get("simpul-purpose")).toBe("disbursement-validation");
    expect(first?.headers.get("simpul-end-user")).toBeNull();
    expect(second?.headers.get("x-request-id")).toBe("my-own-request-id");
  });

  it("keeps a path prefix of the base URL and GETs the catalogues", async () => {
    const gateway = fakeGateway({
      routes: {
        "/simpul/v1/programs": () => json({ version: "2024.1", programs: [], rules: [] }),
        "/simpul/v1/sources": () => json({ sources: [] }),
      },
    });
    const simpul = createSimpulClient({
      baseUrl: "https://gateway.test/simpul/",
      clientId: "x",
      clientSecret: "y",
      fetch: (input, init) => gateway.fetch(input.replace("/simpul/oauth", "/oauth"), init),
    });
    expect((await simpul.programs.list()).version).toBe("2024.1");
    expect((await simpul.sources.list()).sources).toEqual([]);
    expect(gateway.requests.at(-1)?.method).toBe("GET");
    expect(gateway.requests.at(-1)?.headers.get("simpul-purpose")).toBeNull();
  });

  it("refuses options it cannot honour", () => {
    expect(() =>
      createSimpulClient({ baseUrl: "not a url", clientId: "x", clientSecret: "y" }),
    ).toThrow(SimpulError);
    expect(() =>
      createSimpulClient({
        baseUrl: "https://simpul.test",
        clientId: "x",
        privateKey: {} as CryptoKey,
      }),
    ).toThrow(/privateKey must be a private CryptoKey/);
    expect(() =>
      createSimpulClient({
        baseUrl: "https://simpul.test",
        clientId: "x",
        clientSecret: "y",
        retries: -1,
      }),
    ).toThrow(RangeError);
  });

  it("reports the same version as package.json", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(SDK_VERSION).toBe(manifest.version);
  });
});

describe("tokens", () => {
  it("gets a token with client_secret_basic, form-encoding id and secret (RFC 6749 §2.3.1)", async () => {
    const gateway = fakeGateway({ routes: { [LOOKUP]: () => json(person) } });
    await client(gateway.fetch).identity.lookup({ nik: NIK });
    const [tokenRequest] = gateway.to("/oauth/token");
    expect(tokenRequest?.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    const basic = tokenRequest?.headers.get("authorization")?.replace(/^Basic /, "") ?? "";
    expect(atob(basic)).toBe("dinsos+bandung:s3cret%3A%2B%2F%C3%A9");
    expect(gateway.bodies[0]).toBe("grant_type=client_credentials");
  });

  it("asks for one token however many calls start at once (single flight)", async () => {
    const gateway = fakeGateway({ tokenDelayMs: 30, routes: { [LOOKUP]: () => json(person) } });
    const simpul = client(gateway.fetch);
    await Promise.all(Array.from({ length: 8 }, () => simpul.identity.lookup({ nik: NIK })));
    expect(gateway.tokensIssued()).toBe(1);
    await simpul.identity.lookup({ nik: NIK });
    expect(gateway.tokensIssued(), "the cached token is reused").toBe(1);
  });

  it("refreshes the token 30 s before it expires", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: 0 });
    const gateway = fakeGateway({ expiresIn: 300, routes: { [LOOKUP]: () => json(person) } });
    const simpul = client(gateway.fetch);
    await simpul.identity.lookup({ nik: NIK });
    vi.setSystemTime(269_000);
    await simpul.identity.lookup({ nik: NIK });
    expect(gateway.tokensIssued(), "still 31 s left: no refresh").toBe(1);
    vi.setSystemTime(271_000);
    await simpul.identity.lookup({ nik: NIK });
    expect(gateway.tokensIssued(), "29 s left: refreshed").toBe(2);
    expect(gateway.to(LOOKUP).at(-1)?.headers.get("authorization")).toBe("Bearer token-2");
  });

  it("refreshes short-lived tokens at half their lifetime", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: 0 });
    const gateway = fakeGateway({ expiresIn: 30, routes: { [LOOKUP]: () => json(person) } });
    const simpul = client(gateway.fetch);
    await simpul.identity.lookup({ nik: NIK });
    vi.setSystemTime(14_000);
    await simpul.identity.lookup({ nik: NIK });
    expect(gateway.tokensIssued()).toBe(1);
    vi.setSystemTime(16_000);
    await simpul.identity.lookup({ nik: NIK });
    expect(gateway.tokensIssued()).toBe(2);
  });

  it("gets a new token once when the gateway refuses one with INVALID_TOKEN", async () => {
    const gateway = fakeGateway({
      routes: { [LOOKUP]: [() => problem("INVALID_TOKEN", 401), () => json(person)] },
    });
    const answer = await client(gateway.fetch, { retries: 0 }).identity.lookup({ nik: NIK });
    expect(answer.person.nik).toBe(NIK);
    expect(gateway.tokensIssued()).toBe(2);
    expect(gateway.to(LOOKUP).map((r) => r.headers.get("authorization"))).toEqual([
      "Bearer token-1",
      "Bearer token-2",
    ]);
  });

  it("gives up after one refresh when the new token is refused too", async () => {
    const gateway = fakeGateway({ routes: { [LOOKUP]: () => problem("INVALID_TOKEN", 401) } });
    const failure = await client(gateway.fetch)
      .identity.lookup({ nik: NIK })
      .catch((error) => error);
    expect(failure).toBeInstanceOf(SimpulProblemError);
    expect(failure.code).toBe("INVALID_TOKEN");
    expect(gateway.to(LOOKUP)).toHaveLength(2);
  });

  it("surfaces a refused client secret as INVALID_CLIENT", async () => {
    const fetch: FetchLike = async () => problem("INVALID_CLIENT", 401);
    const failure = await client(fetch)
      .programs.list()
      .catch((error) => error);
    expect(failure).toBeInstanceOf(SimpulProblemError);
    expect(failure.code).toBe("INVALID_CLIENT");
  });
});

describe("errors", () => {
  it("throws problems as SimpulProblemError with every member typed", async () => {
    const gateway = fakeGateway({
      routes: {
        [LOOKUP]: () =>
          problem(
            "NIK_WRONG_LENGTH",
            422,
            {},
            { errors: [{ pointer: "/nik", detail: "NIK must have exactly 16 digits; got 15." }] },
          ),
      },
    });
    const failure = await client(gateway.fetch)
      .identity.lookup({ nik: "327301450190001" })
      .catch((error) => error);
    expect(failure).toBeInstanceOf(SimpulProblemError);
    expect(failure).toBeInstanceOf(SimpulError);
    expect(failure).toMatchObject({
      name: "SimpulProblemError",
      code: "NIK_WRONG_LENGTH",
      status: 422,
      type: "/problems/nik-wrong-length",
      requestId: "req-from-gateway",
      errors: [{ pointer: "/nik" }],
      retryAfterSeconds: undefined,
    });
    expect(gateway.to(LOOKUP), "a 422 is never retried").toHaveLength(1);
  });

  it.each([400, 403, 404, 409, 500, 504])("does not retry a %i", async (status) => {
    const gateway = fakeGateway({ routes: { [LOOKUP]: () => problem("INTERNAL", status) } });
    await expect(client(gateway.fetch).identity.lookup({ nik: NIK })).rejects.toBeInstanceOf(
      SimpulProblemError,
    );
    expect(gateway.to(LOOKUP)).toHaveLength(1);
  });

  it("throws SimpulResponseError for an error page that is not a problem", async () => {
    const gateway = fakeGateway({
      routes: {
        [LOOKUP]: () =>
          new Response("<html>Bad gateway</html>", {
            status: 502,
            headers: { "x-request-id": "p1" },
          }),
      },
    });
    const failure = await client(gateway.fetch)
      .identity.lookup({ nik: NIK })
      .catch((error) => error);
    expect(failure).toBeInstanceOf(SimpulResponseError);
    expect(failure).toMatchObject({ status: 502, requestId: "p1" });
  });

  it("throws SimpulResponseError for a 200 whose body is not JSON", async () => {
    const gateway = fakeGateway({ routes: { [LOOKUP]: () => new Response("{not json") } });
    await expect(client(gateway.fetch).identity.lookup({ nik: NIK })).rejects.toBeInstanceOf(
      SimpulResponseError,
    );
  });
});

describe("schemas and audit", () => {
  const steward = (fetch: FetchLike) =>
    createSimpulClient({ baseUrl: "https://simpul.test", clientId: "w", clientSecret: "s", fetch });

  it("fills and encodes path parameters, and keys only non-idempotent changes", async () => {
    const gateway = fakeGateway({
      routes: {
        "/v1/schemas/person/versions/1.0.0": () => json({ subject: "person", version: "1.0.0" }),
        "/v1/schemas/person/versions": [() => json({ versions: [] }), () => json({}, 201)],
        "/v1/schemas/person/mode": () => json({ subject: "person", mode: "FULL" }),
        "/v1/schemas/a%2Fb/check": () => json({ compatible: true, differences: [] }),
      },
    });
    const simpul = steward(gateway.fetch);
    const got = await simpul.schemas.get({ subject: "person", version: "1.0.0" });
    expect(got.version).toBe("1.0.0");
    await simpul.schemas.versions({ subject: "person" });
    await simpul.schemas.publish({ subject: "person" }, { version: "1.1.0", document: {} });
    await simpul.schemas.setMode({ subject: "person" }, { mode: "FULL" });
    await simpul.schemas.check({ subject: "a/b" }, { document: {} });
    const [, , publish, setMode, check] = gateway.requests.slice(1);
    expect(publish?.method).toBe("POST");
    expect(publish?.headers.get("idempotency-key"), "a publish carries a key").toMatch(/\w{8}/);
    expect(setMode?.method).toBe("PUT");
    expect(setMode?.headers.get("idempotency-key"), "PUT is idempotent by itself").toBeNull();
    expect(new URL(check?.url ?? "").pathname).toBe("/v1/schemas/a%2Fb/check");
  });

  it("sends audit queries with the purpose headers and streams the export", async () => {
    const entries = [{ seq: 1 }, { seq: 2 }, { seq: 3 }];
    const gateway = fakeGateway({
      routes: {
        "/v1/audit/records": () => json({ entries: [], nextCursor: null }),
        "/v1/audit/export": () =>
          new Response(entries.map((entry) => `${JSON.stringify(entry)}\n`).join("")),
      },
    });
    const simpul = steward(gateway.fetch);
    await simpul.audit.search(
      { clientId: "dinsos-bandung", limit: 50, from: undefined },
      { purpose: "oversight", caseId: "LHP-2025-07" },
    );
    const search = gateway.to("/v1/audit/records")[0];
    expect(new URL(search?.url ?? "").search).toBe("?clientId=dinsos-bandung&limit=50");
    expect(search?.headers.get("simpul-purpose")).toBe("oversight");
    expect(search?.headers.get("simpul-case-id")).toBe("LHP-2025-07");
    const exported: unknown[] = [];
    for await (const entry of simpul.audit.export({}, { purpose: "oversight" })) {
      exported.push(entry);
    }
    expect(exported).toEqual(entries);
    expect(gateway.to("/v1/audit/export")[0]?.headers.get("accept")).toBe("application/x-ndjson");
  });
});
