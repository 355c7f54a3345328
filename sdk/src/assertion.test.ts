import { decodeProtectedHeader, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { fakeGateway, json } from "../test/fake-gateway.ts";
import { CLIENT_ASSERTION_TYPE, clientAssertion, signingAlgorithm } from "./assertion.ts";
import { createSimpulClient } from "./client.ts";
import { SimpulError } from "./errors.ts";

const keyPairs = {
  ES256: { name: "ECDSA", namedCurve: "P-256" },
  EdDSA: { name: "Ed25519" },
  RS256: {
    name: "RSASSA-PKCS1-v1_5",
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: "SHA-256",
  },
} as const;

const generate = (algorithm: (typeof keyPairs)[keyof typeof keyPairs]) =>
  crypto.subtle.generateKey(algorithm, false, ["sign", "verify"]) as Promise<CryptoKeyPair>;

describe("clientAssertion", () => {
  it.each(Object.entries(keyPairs))("signs an RFC 7523 assertion with %s", async (alg, params) => {
    const { privateKey, publicKey } = await generate(params);
    const assertion = await clientAssertion(privateKey, {
      clientId: "partner-app",
      audience: "https://simpul.test/oauth/token",
      keyId: "partner-2025",
    });
    const { payload } = await jwtVerify(assertion, publicKey, {
      algorithms: [alg],
      issuer: "partner-app",
      subject: "partner-app",
      audience: "https://simpul.test/oauth/token",
    });
    expect(decodeProtectedHeader(assertion)).toEqual({ alg, typ: "JWT", kid: "partner-2025" });
    expect(Number(payload.exp) - Number(payload.iat)).toBe(60);
    expect(payload.jti).toMatch(/^[0-9a-f-]{32,36}$/);
  });

  it("refuses keys the gateway would not accept", async () => {
    const p384 = await generate({ name: "ECDSA", namedCurve: "P-384" } as never);
    expect(() => signingAlgorithm(p384.privateKey)).toThrow(SimpulError);
    const es256 = await generate(keyPairs.ES256);
    expect(() => signingAlgorithm(es256.publicKey), "a public key cannot sign").toThrow(
      /private CryptoKey/,
    );
  });

  it("authenticates token requests with a fresh assertion each time, and no secret", async () => {
    const { privateKey, publicKey } = await generate(keyPairs.ES256);
    const gateway = fakeGateway({
      expiresIn: 300,
      routes: { "/v1/programs": () => json({ version: "1" }) },
    });
    const simpul = createSimpulClient({
      baseUrl: "https://simpul.test",
      clientId: "partner-app",
      privateKey,
      fetch: gateway.fetch,
    });
    await simpul.programs.list();
    const [request] = gateway.to("/oauth/token");
    expect(request?.headers.get("authorization")).toBeNull();
    const form = new URLSearchParams(gateway.bodies[0]);
    expect(form.get("grant_type")).toBe("client_credentials");
    expect(form.get("client_assertion_type")).toBe(CLIENT_ASSERTION_TYPE);
    const { payload } = await jwtVerify(form.get("client_assertion") ?? "", publicKey, {
      audience: "https://simpul.test/oauth/token",
    });
    expect(payload.sub).toBe("partner-app");
  });
});

describe("private_key_jwt retries", () => {
  it("signs a new assertion for every attempt, since each jti is accepted once", async () => {
    const { privateKey } = await generate(keyPairs.ES256);
    const gateway = fakeGateway({ routes: { "/v1/programs": () => json({ version: "1" }) } });
    let tokenAttempts = 0;
    const simpul = createSimpulClient({
      baseUrl: "https://simpul.test",
      clientId: "partner-app",
      privateKey,
      retries: { baseDelayMs: 1 },
      fetch: async (input, init) => {
        if (input.endsWith("/oauth/token") && tokenAttempts++ === 0) {
          await gateway.fetch(input, init);
          return new Response(null, { status: 503, headers: { "Retry-After": "0" } });
        }
        return gateway.fetch(input, init);
      },
    });
    await simpul.programs.list();
    const jtis = gateway.bodies
      .filter((_, i) => gateway.requests[i]?.url.endsWith("/oauth/token"))
      .map((body) => new URLSearchParams(body).get("client_assertion")?.split(".")[1] ?? "")
      .map((claims) => JSON.parse(atob(claims.replaceAll("-", "+").replaceAll("_", "/"))).jti);
    expect(jtis).toHaveLength(2);
    expect(jtis[0]).not.toBe(jtis[1]);
  });
});
