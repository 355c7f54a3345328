/** Hand-built compact JWS for hostile-input tests: any header, any payload, any signature. */
import type { CryptoKey } from "jose";

const encoder = new TextEncoder();

export function base64url(input: string | Uint8Array): string {
  const bytes = typeof input === "string" ? encoder.encode(input) : input;
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

export const segment = (value: unknown) =>
  base64url(typeof value === "string" ? value : JSON.stringify(value));

/** WebCrypto parameters for the JWS algorithms tests forge with. */
const SIGNING: Record<string, AlgorithmIdentifier | EcdsaParams | RsaPssParams> = {
  ES256: { name: "ECDSA", hash: "SHA-256" } as EcdsaParams,
  RS256: { name: "RSASSA-PKCS1-v1_5" },
  EdDSA: { name: "Ed25519" },
};

/**
 * Signs `header.payload` exactly as given, so a test can send members a library would refuse to
 * write (`crit` with unknown names, `jku`, `b64`) under a genuine signature.
 */
export async function forgeJws(
  header: Record<string, unknown>,
  payload: unknown,
  key: CryptoKey,
): Promise<string> {
  const signingInput = `${segment(header)}.${segment(payload)}`;
  const algorithm = SIGNING[String(header.alg)];
  if (algorithm === undefined) throw new Error(`cannot forge alg ${String(header.alg)}`);
  const signature = await crypto.subtle.sign(algorithm, key, encoder.encode(signingInput));
  return `${signingInput}.${base64url(new Uint8Array(signature))}`;
}

/** HMAC-SHA-256 over `header.payload` with arbitrary bytes as the secret (HS/RS confusion). */
export async function forgeHs256(
  header: Record<string, unknown>,
  payload: unknown,
  secret: Uint8Array<ArrayBuffer>,
): Promise<string> {
  const signingInput = `${segment(header)}.${segment(payload)}`;
  const key = await crypto.subtle.importKey(
    "raw",
    secret,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const signature = await crypto.subtle.sign("HMAC", key, encoder.encode(signingInput));
  return `${signingInput}.${base64url(new Uint8Array(signature))}`;
}
