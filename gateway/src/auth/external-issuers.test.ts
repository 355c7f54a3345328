import { once } from "node:events";
import { createServer, type Server } from "node:http";
import { type CryptoKey, exportJWK, generateKeyPair, type JWK } from "jose";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { forgeJws } from "../../../test/support/forge-jws.ts";
import {
  createExternalTokenVerifier,
  ExternalIssuerConfig,
  ExternalIssuersSetting,
} from "./external-issuers.ts";
import type { TokenVerdict } from "./tokens.ts";

const ISSUER = "https://sso.kemensos.example/realms/simpul";

interface IssuerKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

// RSA key generation is slow, so a few pairs are made once and handed out in turn: any two
// keys a test asks for in a row differ.
const pairs: { privateKey: CryptoKey; publicJwk: JWK }[] = [];
let handedOut = 0;
beforeAll(async () => {
  for (let i = 0; i < 3; i++) {
    const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
    pairs.push({ privateKey, publicJwk: await exportJWK(publicKey) });
  }
});

async function issuerKey(kid: string): Promise<IssuerKey> {
  const pair = pairs[handedOut++ % pairs.length];
  if (pair === undefined) throw new Error("no key pairs");
  return { kid, privateKey: pair.privateKey, publicJwk: { ...pair.publicJwk, kid, alg: "RS256" } };
}

/** A JWKS endpoint on loopback that counts how often it is fetched. */
interface JwksServer {
  readonly url: string;
  fetches: number;
  keys: JWK[];
  delayMs: number;
  status: number;
  cacheControl?: string;
  close(): Promise<void>;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((r) => server.close(r))));
});

async function jwksServer(keys: JWK[]): Promise<JwksServer> {
  const state = { fetches: 0, keys, delayMs: 0, status: 200 } as JwksServer;
  const server = createServer((_request, response) => {
    state.fetches++;
    setTimeout(() => {
      response.writeHead(state.status, {
        "content-type": "application/json",
        ...(state.cacheControl ? { "cache-control": state.cacheControl } : {}),
      });
      response.end(JSON.stringify({ keys: state.keys }));
    }, state.delayMs);
  });
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no address");
  return Object.assign(state, {
    url: `http://127.0.0.1:${address.port}/realms/simpul/protocol/openid-connect/certs`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

function config(jwksUrl: string, overrides: Record<string, unknown> = {}) {
  return ExternalIssuerConfig.parse({
    issuer: ISSUER,
    jwksUrl,
    audience: "simpul",
    algorithms: ["RS256"],
    typ: "JWT",
    clientIdClaim: "azp",
    scopeClaim: "scope",
    clients: ["kemensos-app", "dinsos-bandung"],
    cooldownSeconds: 0.2,
    ...overrides,
  });
}

async function keycloakToken(
  key: IssuerKey,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return forgeJws(
    { alg: "RS256", typ: "JWT", kid: key.kid, ...header },
    {
      iss: ISSUER,
      aud: "simpul",
      sub: "service-account-kemensos-app",
      azp: "kemensos-app",
      scope: "profile identity:lookup email",
      iat: now,
      exp: now + 300,
      jti: crypto.randomUUID(),
      ...claims,
    },
    key.privateKey,
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function expectOk(verdict: TokenVerdict) {
  if (!verdict.ok) throw new Error(`expected the token to verify, refused: ${verdict.reason}`);
  return verdict.claims;
}

describe("external issuers", () => {
  it("verifies an issuer's token and maps it to the registered client and known scopes", async () => {
    const key = await issuerKey("k1");
    const server = await jwksServer([key.publicJwk]);
    const { issuer, verify } = createExternalTokenVerifier(config(server.url));
    expect(issuer).toBe(ISSUER);
    const claims = expectOk(await verify(await keycloakToken(key)));
    expect(claims).toMatchObject({
      clientId: "kemensos-app",
      scopes: ["identity:lookup"],
      issuer: ISSUER,
    });
    for (let i = 0; i < 10; i++) expectOk(await verify(await keycloakToken(key)));
    expect(server.fetches, "the key set is cached, not fetched per token").toBe(1);
  });

  it("reads scopes from an array claim (`scp`)", async () => {
    const key = await issuerKey("k1");
    const server = await jwksServer([key.publicJwk]);
    const { verify } = createExternalTokenVerifier(config(server.url, { scopeClaim: "scp" }));
    const claims = expectOk(
      await verify(await keycloakToken(key, { scp: ["programs:read", "openid", 7] })),
    );
    expect(claims.scopes).toEqual(["programs:read"]);
  });

  it("fetches the key set once for many concurrent first requests (single flight)", async () => {
    const key = await issuerKey("k1");
    const server = await jwksServer([key.publicJwk]);
    server.delayMs = 100;
    const { verify } = createExternalTokenVerifier(config(server.url));
    const tokens = await Promise.all(Array.from({ length: 25 }, () => keycloakToken(key)));
    const verdicts = await Promise.all(tokens.map((token) => verify(token)));
    expect(verdicts.every((verdict) => verdict.ok)).toBe(true);
    expect(server.fetches).toBe(1);
  });

  it("refetches once when a rotated key's kid first arrives, for all concurrent requests", async () => {
    const oldKey = await issuerKey("2024-old");
    const newKey = await issuerKey("2025-new");
    const server = await jwksServer([oldKey.publicJwk]);
    const { verify } = createExternalTokenVerifier(config(server.url));
    expectOk(await verify(await keycloakToken(oldKey)));
    expect(server.fetches).toBe(1);

    server.keys = [newKey.publicJwk];
    server.delayMs = 50;
    await sleep(250); // past the 0.2 s cooldown
    const tokens = await Promise.all(Array.from({ length: 20 }, () => keycloakToken(newKey)));
    const verdicts = await Promise.all(tokens.map((token) => verify(token)));
    expect(verdicts.map((verdict) => verdict.ok)).toEqual(tokens.map(() => true));
    expect(server.fetches, "one refetch for twenty requests with the new kid").toBe(2);

    const retired = await verify(await keycloakToken(oldKey));
    expect(retired.ok, "a key removed from the set no longer verifies").toBe(false);
    expect(server.fetches, "and it triggers no fetch within the cooldown").toBe(2);
  });

  it("does not fetch per request when flooded with made-up kids (cooldown)", async () => {
    const key = await issuerKey("k1");
    const attacker = await issuerKey("unused");
    const server = await jwksServer([key.publicJwk]);
    const { verify } = createExternalTokenVerifier(config(server.url, { cooldownSeconds: 30 }));
    expectOk(await verify(await keycloakToken(key)));
    const flood = await Promise.all(
      Array.from({ length: 100 }, () =>
        keycloakToken({ ...attacker, kid: crypto.randomUUID() }).then((token) => verify(token)),
      ),
    );
    expect(flood.every((verdict) => !verdict.ok)).toBe(true);
    expect(server.fetches, "no fetch for unknown kids while cooling down").toBe(1);
    expectOk(await verify(await keycloakToken(key)));
  });

  it("after the cooldown, a flood of unknown kids costs one fetch, not one each", async () => {
    const key = await issuerKey("k1");
    const attacker = await issuerKey("unused");
    const server = await jwksServer([key.publicJwk]);
    server.delayMs = 50;
    const { verify } = createExternalTokenVerifier(config(server.url));
    expectOk(await verify(await keycloakToken(key)));
    await sleep(250);
    const tokens = await Promise.all(
      Array.from({ length: 50 }, () => keycloakToken({ ...attacker, kid: crypto.randomUUID() })),
    );
    await Promise.all(tokens.map((token) => verify(token)));
    expect(server.fetches).toBe(2);
  });

  it("honours a shorter Cache-Control max-age from the JWKS response", async () => {
    const key = await issuerKey("k1");
    const server = await jwksServer([key.publicJwk]);
    server.cacheControl = "public, max-age=0";
    const { verify } = createExternalTokenVerifier(config(server.url));
    expectOk(await verify(await keycloakToken(key)));
    expectOk(await verify(await keycloakToken(key)));
    expect(server.fetches, "max-age=0 still waits for the cooldown").toBe(1);
    await sleep(250);
    expectOk(await verify(await keycloakToken(key)));
    expect(server.fetches).toBe(2);
  });

  it("reports an unreachable or failing JWKS as retryable, not as a bad token", async () => {
    const key = await issuerKey("k1");
    const server = await jwksServer([key.publicJwk]);
    server.status = 500;
    const failing = createExternalTokenVerifier(config(server.url));
    expect(await failing.verify(await keycloakToken(key))).toMatchObject({
      ok: false,
      retryable: true,
    });
    await server.close();
    const unreachable = createExternalTokenVerifier(config(server.url));
    expect(await unreachable.verify(await keycloakToken(key))).toMatchObject({
      ok: false,
      retryable: true,
    });
  });

  it.each([
    ["a client the issuer may not speak for", { azp: "inspektorat" }, {}],
    ["no client claim", { azp: undefined }, {}],
    ["another issuer", { iss: "https://evil.example/realms/simpul" }, {}],
    ["another audience", { aud: "account" }, {}],
    ["an expired token", { exp: Math.floor(Date.now() / 1000) - 120 }, {}],
    ["an unexpected typ", {}, { typ: "at+jwt" }],
    ["a crit header", {}, { crit: ["exp"] }],
  ])("refuses %s", async (_name, claims, header) => {
    const key = await issuerKey("k1");
    const server = await jwksServer([key.publicJwk]);
    const { verify } = createExternalTokenVerifier(config(server.url));
    const verdict = await verify(await keycloakToken(key, claims, header));
    expect(verdict.ok).toBe(false);
    expect(verdict).not.toHaveProperty("retryable", true);
  });

  it("never fetches a jku or x5u named in the token", async () => {
    const key = await issuerKey("k1");
    const issuerServer = await jwksServer([key.publicJwk]);
    const attacker = await issuerKey("k1");
    const trap = await jwksServer([attacker.publicJwk]);
    const { verify } = createExternalTokenVerifier(config(issuerServer.url));
    for (const header of [{ jku: trap.url }, { x5u: trap.url }]) {
      expect((await verify(await keycloakToken(attacker, {}, header))).ok).toBe(false);
    }
    expect(trap.fetches).toBe(0);
  });

  it("accepts only asymmetric algorithms and valid JSON in the setting", () => {
    const base = { issuer: ISSUER, jwksUrl: "https://sso.example/certs", audience: "simpul" };
    expect(() =>
      ExternalIssuerConfig.parse({ ...base, algorithms: ["HS256"], clients: ["x"] }),
    ).toThrow();
    expect(() =>
      ExternalIssuerConfig.parse({ ...base, algorithms: ["none"], clients: ["x"] }),
    ).toThrow();
    expect(() => ExternalIssuerConfig.parse({ ...base, algorithms: ["RS256"] })).toThrow();
    expect(ExternalIssuersSetting.safeParse("not json").success).toBe(false);
    const parsed = ExternalIssuersSetting.parse(
      JSON.stringify([{ ...base, algorithms: ["RS256"], clients: ["kemensos-app"] }]),
    );
    expect(parsed[0]).toMatchObject({
      typ: "at+jwt",
      clientIdClaim: "client_id",
      cooldownSeconds: 30,
    });
    expect(
      ExternalIssuersSetting.safeParse(
        JSON.stringify([
          { ...base, algorithms: ["RS256"], clients: ["a"] },
          { ...base, algorithms: ["RS256"], clients: ["b"] },
        ]),
      ).success,
      "one issuer twice is refused",
    ).toBe(false);
  });
});
