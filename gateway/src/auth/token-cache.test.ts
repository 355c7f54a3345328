import { beforeAll, describe, expect, it } from "vitest";
import { generateSigningKey, type SigningKey } from "./signing-key.ts";
import {
  type AccessClaims,
  createTokenVerifier,
  createVerifiedTokenCache,
  issueAccessToken,
} from "./tokens.ts";

const SETTINGS = { issuer: "http://simpul.test", audience: "simpul", ttlSeconds: 300 };

const claims = (expiresAt: number): AccessClaims => ({
  clientId: "c",
  scopes: ["identity:lookup"],
  jti: "j",
  expiresAt,
});

describe("verified-token cache", () => {
  it("forgets an entry at the token's exp, not later", () => {
    let now = 1_000_000;
    const cache = createVerifiedTokenCache({ now: () => now });
    cache.set("t", claims(1_000 + 60));
    now = 1_059_999;
    expect(cache.get("t")?.clientId, "still valid one ms before exp").toBe("c");
    now = 1_060_000;
    expect(cache.get("t"), "gone at exp").toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("never stores a token that has already expired", () => {
    const cache = createVerifiedTokenCache({ now: () => 2_000_000 });
    cache.set("old", claims(1_000));
    expect(cache.size).toBe(0);
  });

  it("keeps at most maxEntries, dropping the least recently used", () => {
    const cache = createVerifiedTokenCache({ maxEntries: 2, now: () => 0 });
    cache.set("a", claims(100));
    cache.set("b", claims(100));
    cache.get("a");
    cache.set("c", claims(100));
    expect(cache.size).toBe(2);
    expect(cache.get("b"), "b was the least recently used").toBeUndefined();
    expect(cache.get("a")).toBeDefined();
    expect(cache.get("c")).toBeDefined();
  });
});

describe("createTokenVerifier with its cache", () => {
  let key: SigningKey;
  let other: SigningKey;
  beforeAll(async () => {
    key = await generateSigningKey();
    other = await generateSigningKey();
  });

  it("accepts a repeat of a verified token with the same claims", async () => {
    const verify = createTokenVerifier([key], SETTINGS);
    const { access_token } = await issueAccessToken(key, SETTINGS, "c", ["identity:lookup"]);
    const first = await verify(access_token);
    const second = await verify(access_token);
    expect(first.ok && second.ok).toBe(true);
    expect(second).toEqual(first);
  });

  it("still refuses a token whose signature was altered after the genuine one was cached", async () => {
    const verify = createTokenVerifier([key], SETTINGS);
    const { access_token } = await issueAccessToken(key, SETTINGS, "c", ["identity:lookup"]);
    expect((await verify(access_token)).ok).toBe(true);
    const [header, payload, signature] = access_token.split(".") as [string, string, string];
    const flipped = `${signature.slice(0, -2)}${signature.endsWith("AA") ? "BA" : "AA"}`;
    expect((await verify(`${header}.${payload}.${flipped}`)).ok).toBe(false);
  });

  it("refuses a failing token every time (failures are not cached)", async () => {
    const verify = createTokenVerifier([key], SETTINGS);
    const { access_token } = await issueAccessToken(other, SETTINGS, "c", ["identity:lookup"]);
    expect((await verify(access_token)).ok).toBe(false);
    expect((await verify(access_token)).ok).toBe(false);
  });

  it("does not share what one verifier learned with a verifier of other keys", async () => {
    const { access_token } = await issueAccessToken(key, SETTINGS, "c", ["identity:lookup"]);
    expect((await createTokenVerifier([key], SETTINGS)(access_token)).ok).toBe(true);
    expect((await createTokenVerifier([other], SETTINGS)(access_token)).ok).toBe(false);
  });
});
