/** `private_key_jwt` (RFC 7523 §2.2): a short-lived JWT signed with the client's key, via WebCrypto. */
import { SimpulError } from "./errors.ts";
import { newRequestId } from "./transport.ts";

/** RFC 7523 §2.2. */
export const CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** Well inside the gateway's 5-minute cap, and long enough for a slow clock. */
const ASSERTION_LIFETIME_SECONDS = 60;

type SigningAlgorithm = {
  readonly alg: string;
  readonly params: AlgorithmIdentifier | EcdsaParams;
};

/**
 * The JWS algorithm for a WebCrypto private key: ES256 (ECDSA P-256), EdDSA (Ed25519) or RS256
 * (RSASSA-PKCS1-v1_5 with SHA-256), the ones the gateway accepts.
 *
 * @example
 * const { privateKey } = await crypto.subtle.generateKey(
 *   { name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
 * signingAlgorithm(privateKey).alg; // "ES256"
 */
export function signingAlgorithm(key: CryptoKey): SigningAlgorithm {
  const algorithm = key.algorithm as { name: string; namedCurve?: string; hash?: { name: string } };
  if (key.type !== "private" || !key.usages.includes("sign")) {
    throw new SimpulError("privateKey must be a private CryptoKey usable for signing.");
  }
  if (algorithm.name === "ECDSA" && algorithm.namedCurve === "P-256") {
    // WebCrypto's ECDSA signature is r‖s, exactly JWS's (RFC 7518 §3.4).
    return { alg: "ES256", params: { name: "ECDSA", hash: "SHA-256" } };
  }
  if (algorithm.name === "Ed25519") return { alg: "EdDSA", params: { name: "Ed25519" } };
  if (algorithm.name === "RSASSA-PKCS1-v1_5" && algorithm.hash?.name === "SHA-256") {
    return { alg: "RS256", params: { name: "RSASSA-PKCS1-v1_5" } };
  }
  throw new SimpulError(
    `privateKey must be ECDSA P-256, Ed25519 or RSASSA-PKCS1-v1_5 with SHA-256; got ${algorithm.name}.`,
  );
}

const base64url = (bytes: Uint8Array): string =>
  btoa(Array.from(bytes, (byte) => String.fromCharCode(byte)).join(""))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
const encodeJson = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)));

export interface ClientAssertionOptions {
  readonly clientId: string;
  /** The gateway's issuer identifier or its token endpoint URL. */
  readonly audience: string;
  readonly keyId?: string | undefined;
  readonly nowSeconds?: number;
}

/**
 * A fresh client assertion: `iss` = `sub` = the client id, `aud` the gateway, a 60-second life
 * and a new `jti` (the gateway accepts each `jti` once, so every token request needs a new one).
 *
 * @example
 * const jwt = await clientAssertion(privateKey, {
 *   clientId: "partner-app",
 *   audience: "https://simpul.example.go.id/oauth/token",
 * });
 */
export async function clientAssertion(
  privateKey: CryptoKey,
  options: ClientAssertionOptions,
): Promise<string> {
  const { alg, params } = signingAlgorithm(privateKey);
  const iat = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  const header = {
    alg,
    typ: "JWT",
    ...(options.keyId === undefined ? {} : { kid: options.keyId }),
  };
  const claims = {
    iss: options.clientId,
    sub: options.clientId,
    aud: options.audience,
    iat,
    exp: iat + ASSERTION_LIFETIME_SECONDS,
    jti: newRequestId(),
  };
  const input = `${encodeJson(header)}.${encodeJson(claims)}`;
  const signature = await crypto.subtle.sign(params, privateKey, new TextEncoder().encode(input));
  return `${input}.${base64url(new Uint8Array(signature))}`;
}
