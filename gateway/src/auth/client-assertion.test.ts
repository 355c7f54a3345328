import { type CryptoKey, exportJWK, generateKeyPair, type JWK } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { forgeHs256, forgeJws, segment } from "../../../test/support/forge-jws.ts";
import type { Client } from "../clients/client.ts";
import { parseClientFile } from "../clients/client-file.ts";
import { StoreUnavailableError } from "../stores/errors.ts";
import { createMemoryReplayStore } from "../stores/replay/memory.ts";
import type { ReplayStore } from "../stores/replay/port.ts";
import {
  assertedClientId,
  type ClientAssertionOptions,
  verifyClientAssertion,
} from "./client-assertion.ts";

const ISSUER = "http://simpul.test";
const TOKEN_ENDPOINT = `${ISSUER}/oauth/token`;

interface Signer {
  readonly alg: "ES256" | "EdDSA" | "RS256";
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

async function signer(alg: Signer["alg"], kid: string): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair(alg === "EdDSA" ? "Ed25519" : alg, {
    extractable: true,
  });
  return { alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid } };
}

const entry = (id: string, keys: JWK[]) => ({
  id,
  name: id,
  ...(keys.length > 0 ? { jwks: { keys } } : { secret: "s".repeat(32) }),
  scopes: ["programs:read"],
  purposes: [],
  fields: [],
  ratePlan: { perMinute: 60, perDay: 1000 },
});

let es: Signer;
let ed: Signer;
let rs: Signer;
let stranger: Signer;
let clients: Map<string, Client>;

beforeAll(async () => {
  [es, ed, rs, stranger] = await Promise.all([
    signer("ES256", "es-1"),
    signer("EdDSA", "ed-1"),
    signer("RS256", "rs-1"),
    signer("ES256", "es-1"),
  ]);
  const parsed = await parseClientFile({
    clients: [
      entry("app-es", [es.publicJwk]),
      entry("app-ed", [ed.publicJwk]),
      entry("app-rs", [rs.publicJwk]),
      entry("app-both", [es.publicJwk, rs.publicJwk]),
      entry("app-secret", []),
    ],
  });
  clients = new Map(parsed.map((client) => [client.id, client]));
});

const client = (id: string) => {
  const found = clients.get(id);
  if (!found) throw new Error(`no client ${id}`);
  return found;
};

function claims(clientId: string, overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: clientId,
    sub: clientId,
    aud: ISSUER,
    iat: now,
    exp: now + 60,
    jti: crypto.randomUUID(),
    ...overrides,
  };
}

const assertion = (
  key: Signer,
  payload: Record<string, unknown>,
  header: Record<string, unknown> = {},
) => forgeJws({ alg: key.alg, kid: key.publicJwk.kid, ...header }, payload, key.privateKey);

let replay: ReplayStore;
const options = (): ClientAssertionOptions => ({ audiences: [ISSUER, TOKEN_ENDPOINT], replay });

describe("private_key_jwt client assertions", () => {
  beforeAll(() => {
    replay = createMemoryReplayStore();
  });

  it.each([
    ["ES256", "app-es", () => es],
    ["EdDSA", "app-ed", () => ed],
    ["RS256", "app-rs", () => rs],
  ])("accepts a %s assertion signed with the registered key", async (_alg, id, key) => {
    const token = await assertion(key(), claims(id));
    expect(assertedClientId(token)).toBe(id);
    expect(await verifyClientAssertion(token, client(id), options())).toEqual({ ok: true });
  });

  it("accepts the token endpoint URL as audience, and a client with several keys", async () => {
    const token = await assertion(rs, claims("app-both", { aud: TOKEN_ENDPOINT }), {
      typ: "JWT",
    });
    expect(await verifyClientAssertion(token, client("app-both"), options())).toEqual({ ok: true });
  });

  it("accepts each jti once", async () => {
    const token = await assertion(es, claims("app-es"));
    expect((await verifyClientAssertion(token, client("app-es"), options())).ok).toBe(true);
    expect(await verifyClientAssertion(token, client("app-es"), options())).toEqual({
      ok: false,
      reason: "jti replayed",
    });
  });

  it("keeps one client's jti from burning another's", async () => {
    const jti = "shared-jti-0001";
    const first = await assertion(es, claims("app-es", { jti }));
    const second = await assertion(es, claims("app-both", { jti }));
    expect((await verifyClientAssertion(first, client("app-es"), options())).ok).toBe(true);
    expect((await verifyClientAssertion(second, client("app-both"), options())).ok).toBe(true);
  });

  it("fails closed when the replay store is unavailable", async () => {
    const token = await assertion(es, claims("app-es"));
    const broken: ReplayStore = {
      remember: async () => {
        throw new StoreUnavailableError("replay", "down");
      },
    };
    await expect(
      verifyClientAssertion(token, client("app-es"), { ...options(), replay: broken }),
    ).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  const now = () => Math.floor(Date.now() / 1000);
  it.each<[string, () => Promise<string>]>([
    ["a key that is not registered", () => assertion(stranger, claims("app-es"))],
    ["another client's iss", () => assertion(es, claims("app-es", { iss: "app-both" }))],
    ["another client's sub", () => assertion(es, claims("app-es", { sub: "app-both" }))],
    ["a foreign audience", () => assertion(es, claims("app-es", { aud: "https://other.example" }))],
    ["no exp", () => assertion(es, claims("app-es", { exp: undefined }))],
    ["a string exp", () => assertion(es, claims("app-es", { exp: String(now() + 60) }))],
    ["an exp an hour ahead", () => assertion(es, claims("app-es", { exp: now() + 3600 }))],
    [
      "a lifetime over five minutes",
      () => assertion(es, claims("app-es", { iat: now() - 400, exp: now() + 60 })),
    ],
    ["an expired assertion", () => assertion(es, claims("app-es", { exp: now() - 120 }))],
    ["a future nbf", () => assertion(es, claims("app-es", { nbf: now() + 120 }))],
    ["no jti", () => assertion(es, claims("app-es", { jti: undefined }))],
    ["an overlong jti", () => assertion(es, claims("app-es", { jti: "j".repeat(200) }))],
    ["the access-token typ", () => assertion(es, claims("app-es"), { typ: "at+jwt" })],
    ["a crit header", () => assertion(es, claims("app-es"), { crit: ["x-simpul"] })],
    ["an embedded jwk", () => assertion(es, claims("app-es"), { jwk: es.publicJwk })],
    ["alg none", async () => `${segment({ alg: "none" })}.${segment(claims("app-es"))}.`],
    [
      "HS256 keyed with the public key",
      () =>
        forgeHs256(
          { alg: "HS256", kid: "es-1" },
          claims("app-es"),
          new TextEncoder().encode(JSON.stringify(es.publicJwk)),
        ),
    ],
  ])("refuses %s", async (_name, make) => {
    const verdict = await verifyClientAssertion(await make(), client("app-es"), options());
    expect(verdict.ok).toBe(false);
  });

  it("refuses assertions for a client that registered no keys", async () => {
    const token = await assertion(es, claims("app-secret"));
    expect(await verifyClientAssertion(token, client("app-secret"), options())).toEqual({
      ok: false,
      reason: "no keys registered",
    });
  });

  it("reads no client id from an assertion whose iss and sub differ or that is garbage", () => {
    expect(
      assertedClientId(`${segment({ alg: "ES256" })}.${segment({ iss: "a", sub: "b" })}.x`),
    ).toBe(undefined);
    expect(assertedClientId("not.a.jwt")).toBe(undefined);
  });
});

describe("client file keys", () => {
  it("refuses private, symmetric and weak keys at start-up", async () => {
    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    const privateJwk = await exportJWK(privateKey);
    const weak = { kty: "RSA", n: "A".repeat(171), e: "AQAB" };
    for (const key of [privateJwk, { kty: "oct", k: "c2VjcmV0" }, weak]) {
      await expect(
        parseClientFile({ clients: [entry("app-bad", [key as JWK])] }),
      ).rejects.toThrow();
    }
  });

  it("needs some way to authenticate", async () => {
    const { secret: _secret, ...bare } = entry("app-none", []) as Record<string, unknown>;
    await expect(parseClientFile({ clients: [bare] })).rejects.toThrow(/authenticate/);
  });
});
