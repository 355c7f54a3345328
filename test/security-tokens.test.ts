/** Hostile input against token verification and the token endpoint, in-process and over HTTP. */
import { once } from "node:events";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CryptoKey, exportJWK, exportSPKI, generateKeyPair, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSigningKey } from "../gateway/src/auth/signing-key.ts";
import { ConfigError, parseNodeConfig } from "../gateway/src/node/config.ts";
import { base64url, forgeHs256, forgeJws, segment } from "./support/forge-jws.ts";
import {
  freePort,
  type GatewayTarget,
  inProcessTarget,
  overHttpTarget,
  tokenFor,
} from "./support/target.ts";

// --- One world of keys and servers, shared by both targets --------------------------------------

/** A loopback HTTP server that counts requests and answers with a JWK Set. */
interface CountingServer {
  readonly url: string;
  requests: number;
  keys: JWK[];
}
const servers: Server[] = [];
async function countingServer(keys: JWK[]): Promise<CountingServer> {
  const state = { requests: 0, keys } as CountingServer;
  const server = createServer((_request, response) => {
    state.requests++;
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ keys: state.keys }));
  });
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no address");
  return Object.assign(state, { url: `http://127.0.0.1:${address.port}/jwks.json` });
}

const gatewayKey = await generateSigningKey();
const attacker = await generateKeyPair("ES256", { extractable: true });
const attackerJwk: JWK = { ...(await exportJWK(attacker.publicKey)), kid: "attacker" };
const partner = await generateKeyPair("ES256", { extractable: true });
const partnerJwk: JWK = { ...(await exportJWK(partner.publicKey)), kid: "partner-2025" };
const ministry = await generateKeyPair("ES256", { extractable: true });
const ministryJwk: JWK = { ...(await exportJWK(ministry.publicKey)), kid: "kc-1", alg: "ES256" };

/** Where a token's `jku`/`x5u` points: any request it receives means a URL was followed. */
const trap = await countingServer([attackerJwk]);
const ministryJwks = await countingServer([ministryJwk]);
const MINISTRY_ISSUER = "https://sso.kemensos.example/realms/simpul";
const DOWN_ISSUER = "https://sso.down.example/realms/simpul";

const clientFile = join(tmpdir(), `simpul-security-clients-${process.pid}-${Date.now()}.json`);
const devFile = JSON.parse(
  readFileSync(new URL("../gateway/config/dev-clients.json", import.meta.url), "utf8"),
);
writeFileSync(
  clientFile,
  JSON.stringify({
    clients: [
      ...devFile.clients,
      {
        id: "partner-pkjwt",
        name: "Partner app authenticating with private_key_jwt",
        jwks: { keys: [partnerJwk] },
        scopes: ["programs:read", "sources:read"],
        purposes: [],
        fields: [],
        ratePlan: { perMinute: 600, perDay: 10000 },
      },
    ],
  }),
);

const ENV: Record<string, string> = {
  SIMPUL_SIGNING_KEY: JSON.stringify(await exportJWK(gatewayKey.privateKey)),
  SIMPUL_CLIENTS_FILE: clientFile,
  SIMPUL_EXTERNAL_ISSUERS: JSON.stringify([
    {
      issuer: MINISTRY_ISSUER,
      jwksUrl: ministryJwks.url,
      audience: "simpul",
      algorithms: ["ES256"],
      typ: "JWT",
      clientIdClaim: "azp",
      scopeClaim: "scope",
      clients: ["kemensos-app"],
    },
    {
      issuer: DOWN_ISSUER,
      jwksUrl: `http://127.0.0.1:${await freePort()}/certs`,
      audience: "simpul",
      algorithms: ["ES256"],
      clientIdClaim: "client_id",
      clients: ["dinsos-bandung"],
      timeoutMs: 500,
    },
  ]),
};

afterAll(async () => {
  rmSync(clientFile, { force: true });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

// --- Helpers ------------------------------------------------------------------------------------

const PROTECTED = "/v1/programs";
const nowSeconds = () => Math.floor(Date.now() / 1000);

async function problemOf(response: Response, status: number) {
  const text = await response.text();
  expect(response.status, `expected ${status}, got ${response.status}: ${text}`).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(text) as Record<string, unknown>;
  expect(body.status).toBe(status);
  expect(body.requestId, "every problem carries the request id").toBe(
    response.headers.get("x-request-id"),
  );
  expect(text).not.toMatch(/\bat .+\.ts:\d+|node_modules|stack/);
  return body;
}

/** The claims of a genuine access token of this gateway, for `kemensos-app`. */
function accessClaims(issuer: string, overrides: Record<string, unknown> = {}) {
  const iat = nowSeconds();
  return {
    iss: issuer,
    aud: "simpul",
    sub: "kemensos-app",
    client_id: "kemensos-app",
    scope: "programs:read identity:lookup",
    iat,
    exp: iat + 300,
    jti: crypto.randomUUID(),
    ...overrides,
  };
}

const accessHeader = (overrides: Record<string, unknown> = {}) => ({
  alg: "ES256",
  typ: "at+jwt",
  kid: gatewayKey.kid,
  ...overrides,
});

type Vector = readonly [name: string, make: (issuer: string) => Promise<string>];

const realKey = gatewayKey.privateKey;
const sign = (
  issuer: string,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
  key: CryptoKey = realKey,
) => forgeJws(accessHeader(header), accessClaims(issuer, claims), key);

/** Tokens that must never authenticate; each is sent as `Authorization: Bearer <token>`. */
const HOSTILE_TOKENS: readonly Vector[] = [
  ...["none", "None", "NONE", "nOnE"].map(
    (alg): Vector => [
      `alg ${alg}`,
      async (issuer) => `${segment(accessHeader({ alg }))}.${segment(accessClaims(issuer))}.`,
    ],
  ),
  [
    "alg none with a signature appended",
    async (issuer) => {
      const signature = (await sign(issuer)).split(".")[2];
      return `${segment(accessHeader({ alg: "none" }))}.${segment(accessClaims(issuer))}.${signature}`;
    },
  ],
  [
    "HS256 keyed with the public JWK (HS/RS confusion)",
    (issuer) =>
      forgeHs256(
        accessHeader({ alg: "HS256" }),
        accessClaims(issuer),
        new TextEncoder().encode(JSON.stringify(gatewayKey.publicJwk)),
      ),
  ],
  [
    "HS256 keyed with the public key's PEM",
    async (issuer) => {
      const { importJWK } = await import("jose");
      const pem = await exportSPKI(
        (await importJWK(gatewayKey.publicJwk, "ES256", { extractable: true })) as CryptoKey,
      );
      return forgeHs256(
        accessHeader({ alg: "HS256" }),
        accessClaims(issuer),
        new TextEncoder().encode(pem),
      );
    },
  ],
  [
    "a stripped signature",
    async (issuer) => `${(await sign(issuer)).split(".").slice(0, 2).join(".")}.`,
  ],
  [
    "a zeroed signature",
    async (issuer) =>
      `${(await sign(issuer)).split(".").slice(0, 2).join(".")}.${base64url(new Uint8Array(64))}`,
  ],
  [
    "a signature over another payload",
    async (issuer) => {
      const [header, , signature] = (await sign(issuer)).split(".");
      return `${header}.${segment(accessClaims(issuer, { sub: "inspektorat", scope: "audit:read" }))}.${signature}`;
    },
  ],
  ["four segments", async (issuer) => `${await sign(issuer)}.${segment("x")}`],
  [
    "five segments (JWE shape)",
    async (issuer) => `${await sign(issuer)}.${segment("x")}.${segment("y")}`,
  ],
  ["no exp", (issuer) => sign(issuer, { exp: undefined })],
  ["a string exp", (issuer) => sign(issuer, { exp: String(nowSeconds() + 300) })],
  ["an exp far in the future", (issuer) => sign(issuer, { exp: nowSeconds() + 86_400 * 365 })],
  [
    "an expired token",
    (issuer) => sign(issuer, { iat: nowSeconds() - 600, exp: nowSeconds() - 120 }),
  ],
  ["a future nbf", (issuer) => sign(issuer, { nbf: nowSeconds() + 600 })],
  [
    "an iat in the future",
    (issuer) => sign(issuer, { iat: nowSeconds() + 600, exp: nowSeconds() + 900 }),
  ],
  ["no jti", (issuer) => sign(issuer, { jti: undefined })],
  ["a wrong iss", () => sign("https://evil.example")],
  ["no iss", (issuer) => sign(issuer, { iss: undefined })],
  ["a wrong aud", (issuer) => sign(issuer, { aud: "another-api" })],
  ["no aud", (issuer) => sign(issuer, { aud: undefined })],
  ["typ JWT", (issuer) => sign(issuer, {}, { typ: "JWT" })],
  ["no typ", (issuer) => sign(issuer, {}, { typ: undefined })],
  ["an ID-token typ", (issuer) => sign(issuer, {}, { typ: "id_token+jwt" })],
  [
    "crit with an unknown extension",
    (issuer) => sign(issuer, {}, { crit: ["x-simpul-tier"], "x-simpul-tier": 1 }),
  ],
  ["crit naming b64", (issuer) => sign(issuer, {}, { crit: ["b64"], b64: true })],
  ["a jku header, signed with the real key", (issuer) => sign(issuer, {}, { jku: trap.url })],
  [
    "a jku header with an attacker's key",
    (issuer) => sign(issuer, {}, { jku: trap.url, kid: "attacker" }, attacker.privateKey),
  ],
  [
    "an x5u header with an attacker's key",
    (issuer) => sign(issuer, {}, { x5u: trap.url, kid: "attacker" }, attacker.privateKey),
  ],
  [
    "an embedded jwk with an attacker's key",
    (issuer) => sign(issuer, {}, { jwk: attackerJwk, kid: undefined }, attacker.privateKey),
  ],
  ["a kid with path traversal", (issuer) => sign(issuer, {}, { kid: "../../../../etc/passwd" })],
  ["a SQL-ish kid", (issuer) => sign(issuer, {}, { kid: "' OR '1'='1' --" })],
  ["a kid with a NUL byte", (issuer) => sign(issuer, {}, { kid: `${gatewayKey.kid}\u0000` })],
  ["a numeric kid", (issuer) => sign(issuer, {}, { kid: 1 })],
  ["a key other than the gateway's", (issuer) => sign(issuer, {}, {}, attacker.privateKey)],
  ["an oversized token", (issuer) => sign(issuer, { padding: "x".repeat(5000) })],
  [
    "a token of a client that is not (or no longer) registered",
    (issuer) => sign(issuer, { sub: "deleted-client", client_id: "deleted-client" }),
  ],
  [
    "a ministry token signed by another key",
    async () =>
      forgeJws(
        { alg: "ES256", typ: "JWT", kid: "kc-1" },
        { ...accessClaims(MINISTRY_ISSUER), azp: "kemensos-app" },
        attacker.privateKey,
      ),
  ],
  [
    "a ministry token for a client that issuer may not speak for",
    async () =>
      forgeJws(
        { alg: "ES256", typ: "JWT", kid: "kc-1" },
        { ...accessClaims(MINISTRY_ISSUER, { scope: "audit:read" }), azp: "inspektorat" },
        ministry.privateKey,
      ),
  ],
  [
    "a ministry token with a jku",
    async () =>
      forgeJws(
        { alg: "ES256", typ: "JWT", kid: "attacker", jku: trap.url },
        { ...accessClaims(MINISTRY_ISSUER), azp: "kemensos-app" },
        attacker.privateKey,
      ),
  ],
];

/** Authorization header values that are not one well-formed bearer token. */
const HOSTILE_HEADERS: readonly (readonly [string, (token: string) => string])[] = [
  ["a lowercase scheme", (token) => `bearer ${token}`],
  ["an upper-case scheme", (token) => `BEARER ${token}`],
  ["two tokens joined by a comma", (token) => `Bearer ${token}, Bearer ${token}`],
  ["a Basic scheme", () => `Basic ${btoa("kemensos-app:dev-kemensos-app-secret-91be04d6")}`],
  ["no token", () => "Bearer "],
  ["a DPoP scheme", (token) => `DPoP ${token}`],
];

// --- The suite ----------------------------------------------------------------------------------

function describeHostileTokens(makeTarget: () => Promise<GatewayTarget>): void {
  let target: GatewayTarget;
  let issuer: string;
  const get = (authorization?: string) =>
    target.fetch(PROTECTED, { headers: authorization === undefined ? {} : { authorization } });

  beforeAll(async () => {
    target = await makeTarget();
    const metadata = (await (
      await target.fetch("/.well-known/oauth-authorization-server")
    ).json()) as { issuer: string };
    issuer = metadata.issuer;
  });
  afterAll(async () => {
    await target?.close();
  });

  describe("bearer tokens", () => {
    it("accepts the baseline the vectors are made from (so each refusal is the vector's doing)", async () => {
      const response = await get(`Bearer ${await sign(issuer)}`);
      expect(response.status, await response.clone().text()).toBe(200);
    });

    it.each(HOSTILE_TOKENS)("refuses %s with 401", async (_name, make) => {
      const trapped = trap.requests;
      const response = await get(`Bearer ${await make(issuer)}`);
      const problem = await problemOf(response, 401);
      expect(problem.code).toBe("INVALID_TOKEN");
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer realm="simpul"/);
      expect(trap.requests, "no URL named in the token may be fetched").toBe(trapped);
    });

    it.each(HOSTILE_HEADERS)("refuses an Authorization header with %s", async (_name, make) => {
      const problem = await problemOf(await get(make(await sign(issuer))), 401);
      expect(problem.code).toBe("INVALID_TOKEN");
    });

    it("refuses a request without credentials with 401 and a challenge", async () => {
      const response = await get();
      expect((await problemOf(response, 401)).code).toBe("UNAUTHENTICATED");
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="simpul"');
    });

    it("refuses a token in the query string (it would leak into logs)", async () => {
      const token = await sign(issuer);
      const response = await target.fetch(`${PROTECTED}?access_token=${token}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect((await problemOf(response, 400)).code).toBe("INVALID_REQUEST");
    });

    it("followed no jku or x5u URL in the whole suite", () => {
      expect(trap.requests).toBe(0);
    });

    it("accepts a ministry's token for a client that issuer may speak for", async () => {
      const token = await forgeJws(
        { alg: "ES256", typ: "JWT", kid: "kc-1" },
        { ...accessClaims(MINISTRY_ISSUER), azp: "kemensos-app" },
        ministry.privateKey,
      );
      const response = await get(`Bearer ${token}`);
      expect(response.status, await response.clone().text()).toBe(200);
    });

    it("answers 503, not 401 or 500, when an issuer's keys cannot be fetched", async () => {
      const token = await forgeJws(
        { alg: "ES256", typ: "at+jwt", kid: "down-1" },
        { ...accessClaims(DOWN_ISSUER), sub: "dinsos-bandung", client_id: "dinsos-bandung" },
        attacker.privateKey,
      );
      const response = await get(`Bearer ${token}`);
      expect((await problemOf(response, 503)).code).toBe("SERVICE_UNAVAILABLE");
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    });

    if (makeTarget === inProcessGateway) {
      it("refuses a token minted with the gateway's own key that has expired", async () => {
        const key = target.node?.services.signingKey;
        if (!key) throw new Error("in-process services expected");
        const token = await forgeJws(
          accessHeader({ kid: key.kid }),
          accessClaims(issuer, { iat: nowSeconds() - 400, exp: nowSeconds() - 100 }),
          key.privateKey,
        );
        expect((await problemOf(await get(`Bearer ${token}`), 401)).code).toBe("INVALID_TOKEN");
      });
    }

    if (makeTarget === overHttpGateway) {
      it("refuses two Authorization headers really sent on the wire", async () => {
        const good = await sign(issuer);
        const base = new URL(target.baseUrl ?? "");
        const { status, body } = await new Promise<{ status: number; body: string }>(
          (resolve, reject) => {
            const request = httpRequest(
              { host: base.hostname, port: base.port, path: PROTECTED, method: "GET" },
              (response) => {
                let body = "";
                response.on("data", (chunk) => {
                  body += chunk;
                });
                response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
              },
            );
            request.on("error", reject);
            request.setHeader("authorization", [`Bearer ${good}`, `Bearer ${good}`]);
            request.end();
          },
        );
        expect(status, body).toBe(401);
        expect(JSON.parse(body)).toMatchObject({ code: "INVALID_TOKEN" });
      });
    }
  });

  describe("the token endpoint", () => {
    const tokenRequest = (body: string | URLSearchParams, headers: Record<string, string> = {}) =>
      target.fetch("/oauth/token", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
        body: typeof body === "string" ? body : body.toString(),
      });
    const basic = (id: string, secret: string) => ({
      authorization: `Basic ${btoa(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`)}`,
    });

    it("refuses a huge form body with 413", async () => {
      const body = `grant_type=client_credentials&scope=${"a".repeat(20_000)}`;
      const response = await tokenRequest(body, basic("kemensos-app", "x"));
      expect((await problemOf(response, 413)).code).toBe("PAYLOAD_TOO_LARGE");
    });

    it.each([
      "application/json",
      "text/plain",
      "multipart/form-data; boundary=x",
      "application/x-www-form-urlencoded-evil",
    ])("refuses content type %s with 415", async (contentType) => {
      const response = await tokenRequest("grant_type=client_credentials", {
        ...basic("kemensos-app", "x"),
        "content-type": contentType,
      });
      expect((await problemOf(response, 415)).code).toBe("UNSUPPORTED_MEDIA_TYPE");
    });

    it.each([
      "' OR '1'='1' --",
      "kemensos-app'; DROP TABLE clients; --",
      "<script>alert(1)</script>",
      "__proto__",
      "constructor",
      "kemensos-app\u0000",
      "KEMENSOS-APP",
      "kemensos-app ",
      "ｋｅｍｅｎｓｏｓ-app",
      "x".repeat(2000),
    ])("refuses junk client id %j with 401 and does not echo it", async (clientId) => {
      const response = await tokenRequest(
        new URLSearchParams({
          grant_type: "client_credentials",
          client_id: clientId,
          client_secret: "dev-kemensos-app-secret-91be04d6",
        }),
      );
      const problem = await problemOf(response, 401);
      expect(problem.code).toBe("INVALID_CLIENT");
      if (clientId.length > 3) expect(JSON.stringify(problem)).not.toContain(clientId);
    });

    const SECRET = "dev-kemensos-app-secret-91be04d6";
    it.each([
      ["full-width letters", SECRET.replace("dev", "ｄｅｖ")],
      ["a Cyrillic homoglyph", SECRET.replace("e", "\u0435")],
      ["a zero-width space", `${SECRET.slice(0, 5)}\u200b${SECRET.slice(5)}`],
      ["a combining accent", SECRET.replace("e", "e\u0301")],
      ["a precomposed accent", SECRET.replace("e", "\u00e9")],
      ["a trailing space", `${SECRET} `],
      ["a trailing NUL", `${SECRET}\u0000`],
      ["upper case", SECRET.toUpperCase()],
      ["a prefix", SECRET.slice(0, -1)],
    ])("refuses the secret with %s", async (_name, secret) => {
      for (const response of [
        await tokenRequest(
          new URLSearchParams({ grant_type: "client_credentials" }),
          basic("kemensos-app", secret),
        ),
        await tokenRequest(
          new URLSearchParams({
            grant_type: "client_credentials",
            client_id: "kemensos-app",
            client_secret: secret,
          }),
        ),
      ]) {
        expect((await problemOf(response, 401)).code).toBe("INVALID_CLIENT");
      }
    });

    it.each([
      ["grant_type twice", "grant_type=client_credentials&grant_type=client_credentials"],
      ["grant_type twice, differing", "grant_type=client_credentials&grant_type=password"],
      ["grant_type as an array", "grant_type[]=client_credentials"],
      ["no grant_type", "scope=programs:read"],
      [
        "client_id twice",
        `grant_type=client_credentials&client_id=kemensos-app&client_id=inspektorat&client_secret=${SECRET}`,
      ],
    ])("refuses %s with 400", async (_name, body) => {
      const response = await tokenRequest(
        body,
        body.includes("client_id") ? {} : basic("kemensos-app", SECRET),
      );
      expect((await problemOf(response, 400)).code).toBe("INVALID_REQUEST");
    });

    it("limits token requests to 30 a minute per client id, right or wrong, with 429 and Retry-After", async () => {
      // The limit counts per clock minute; start well inside one.
      const intoMinute = Date.now() % 60_000;
      if (intoMinute > 50_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
      const clientId = `probe-${crypto.randomUUID().slice(0, 8)}`;
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 31; i++) {
        last = await tokenRequest(
          new URLSearchParams({ grant_type: "client_credentials" }),
          basic(clientId, `guess-${i}`),
        );
        statuses.push(last.status);
        if (i < 30) await last.body?.cancel();
      }
      expect(statuses.slice(0, 30)).toEqual(Array.from({ length: 30 }, () => 401));
      if (!last) throw new Error("no response");
      const problem = await problemOf(last, 429);
      expect(problem.code).toBe("RATE_LIMITED");
      const retryAfter = Number(last.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    });

    describe("private_key_jwt", () => {
      const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
      const assertionClaims = (overrides: Record<string, unknown> = {}) => ({
        iss: "partner-pkjwt",
        sub: "partner-pkjwt",
        aud: issuer,
        iat: nowSeconds(),
        exp: nowSeconds() + 60,
        jti: crypto.randomUUID(),
        ...overrides,
      });
      const assertion = (
        overrides: Record<string, unknown> = {},
        key: CryptoKey = partner.privateKey,
      ) =>
        forgeJws(
          { alg: "ES256", kid: "partner-2025", typ: "JWT" },
          assertionClaims(overrides),
          key,
        );
      const withAssertion = (clientAssertion: string, extra: Record<string, string> = {}) =>
        tokenRequest(
          new URLSearchParams({
            grant_type: "client_credentials",
            client_assertion_type: ASSERTION_TYPE,
            client_assertion: clientAssertion,
            ...extra,
          }),
        );

      it("issues a token for a signed assertion, and the token works", async () => {
        const response = await withAssertion(await assertion());
        expect(response.status, await response.clone().text()).toBe(200);
        const { access_token: token, scope } = (await response.json()) as Record<string, string>;
        expect(scope).toBe("programs:read sources:read");
        expect((await get(`Bearer ${token}`)).status).toBe(200);
      });

      it("accepts the token endpoint URL as the audience and a matching client_id", async () => {
        const response = await withAssertion(await assertion({ aud: `${issuer}/oauth/token` }), {
          client_id: "partner-pkjwt",
        });
        expect(response.status, await response.clone().text()).toBe(200);
      });

      it("refuses a replayed assertion", async () => {
        const once = await assertion();
        expect((await withAssertion(once)).status).toBe(200);
        expect((await problemOf(await withAssertion(once), 401)).code).toBe("INVALID_CLIENT");
      });

      it.each<[string, () => Promise<string>]>([
        ["signed by another key", () => assertion({}, attacker.privateKey)],
        ["for another audience", () => assertion({ aud: "https://other.example" })],
        ["living an hour", () => assertion({ exp: nowSeconds() + 3600 })],
        ["expired", () => assertion({ iat: nowSeconds() - 300, exp: nowSeconds() - 120 })],
        ["without a jti", () => assertion({ jti: undefined })],
        [
          "naming a client with no keys",
          () => assertion({ iss: "kemensos-app", sub: "kemensos-app" }),
        ],
        ["with iss and sub apart", () => assertion({ sub: "kemensos-app" })],
        [
          "with alg none",
          async () => `${segment({ alg: "none", typ: "JWT" })}.${segment(assertionClaims())}.`,
        ],
        [
          "with a jku to the attacker's keys",
          () =>
            forgeJws(
              { alg: "ES256", kid: "attacker", jku: trap.url },
              assertionClaims(),
              attacker.privateKey,
            ),
        ],
        [
          "that is an access token of this gateway",
          () => sign(issuer, { sub: "partner-pkjwt", iss: "partner-pkjwt" }),
        ],
        ["that is garbage", async () => "not.a.jwt"],
      ])("refuses an assertion %s with 401", async (_name, make) => {
        const trapped = trap.requests;
        const problem = await problemOf(await withAssertion(await make()), 401);
        expect(problem.code).toBe("INVALID_CLIENT");
        expect(trap.requests).toBe(trapped);
      });

      it("refuses an assertion combined with a secret, a wrong type or a mismatched client_id", async () => {
        const combined = await withAssertion(await assertion(), { client_secret: SECRET });
        expect((await problemOf(combined, 400)).code).toBe("INVALID_REQUEST");
        const withBasic = await tokenRequest(
          new URLSearchParams({
            grant_type: "client_credentials",
            client_assertion_type: ASSERTION_TYPE,
            client_assertion: await assertion(),
          }),
          basic("kemensos-app", SECRET),
        );
        expect((await problemOf(withBasic, 400)).code).toBe("INVALID_REQUEST");
        const wrongType = await tokenRequest(
          new URLSearchParams({
            grant_type: "client_credentials",
            client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:saml2-bearer",
            client_assertion: await assertion(),
          }),
        );
        expect((await problemOf(wrongType, 400)).code).toBe("INVALID_REQUEST");
        const mismatch = await withAssertion(await assertion(), { client_id: "kemensos-app" });
        expect((await problemOf(mismatch, 401)).code).toBe("INVALID_CLIENT");
      });

      it("refuses a secret for a client that authenticates only with its key", async () => {
        const response = await tokenRequest(
          new URLSearchParams({ grant_type: "client_credentials" }),
          basic("partner-pkjwt", "any-secret-at-all-000000"),
        );
        expect((await problemOf(response, 401)).code).toBe("INVALID_CLIENT");
      });

      it("advertises private_key_jwt and its algorithms (RFC 8414)", async () => {
        const metadata = (await (
          await target.fetch("/.well-known/oauth-authorization-server")
        ).json()) as Record<string, unknown>;
        expect(metadata.token_endpoint_auth_methods_supported).toContain("private_key_jwt");
        expect(metadata.token_endpoint_auth_signing_alg_values_supported).toEqual([
          "ES256",
          "EdDSA",
          "RS256",
        ]);
      });
    });

    it("still issues tokens to the demo clients", async () => {
      expect(await tokenFor(target, "bank-penyalur")).toMatch(/^ey/);
    });
  });
}

const inProcessGateway = () => inProcessTarget({ env: ENV });
const overHttpGateway = () => overHttpTarget(ENV);

describe("hostile tokens (in-process)", () => describeHostileTokens(inProcessGateway));
describe("hostile tokens (Node entry over HTTP)", () => describeHostileTokens(overHttpGateway));

describe("SIMPUL_EXTERNAL_ISSUERS", () => {
  const issuer = {
    issuer: "https://sso.kemensos.example/realms/simpul",
    jwksUrl: "http://sso.kemensos.example/certs",
    audience: "simpul",
    algorithms: ["RS256"],
    clients: ["kemensos-app"],
  };

  it("refuses invalid JSON, shared-secret algorithms and unknown members at start-up", () => {
    for (const value of [
      "{not json",
      JSON.stringify([{ ...issuer, algorithms: ["HS256"] }]),
      JSON.stringify([{ ...issuer, followJku: true }]),
      JSON.stringify([{ ...issuer, clients: [] }]),
    ]) {
      expect(() => parseNodeConfig({ SIMPUL_EXTERNAL_ISSUERS: value }), value).toThrow(ConfigError);
    }
    expect(
      parseNodeConfig({ SIMPUL_EXTERNAL_ISSUERS: JSON.stringify([issuer]) })
        .SIMPUL_EXTERNAL_ISSUERS,
    ).toHaveLength(1);
  });

  it("refuses a JWKS over plain http in production", () => {
    expect(() =>
      parseNodeConfig({
        NODE_ENV: "production",
        SIMPUL_EXTERNAL_ISSUERS: JSON.stringify([issuer]),
      }),
    ).toThrow(/jwksUrl over plain http/);
  });
});
