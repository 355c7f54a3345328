/** The gateway's token signing key: generated for development, configured in production. */
import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
} from "jose";

export const TOKEN_ALGORITHM = "ES256";

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  /** The public half, as published at /.well-known/jwks.json. */
  readonly publicJwk: JWK;
  /** True when made up at start-up; such tokens die with the process. */
  readonly ephemeral: boolean;
}

async function fromPair(privateKey: CryptoKey, publicJwk: JWK, ephemeral: boolean) {
  const { kty, crv, x, y } = publicJwk;
  const kid = await calculateJwkThumbprint({ kty, crv, x, y } as JWK);
  return {
    kid,
    privateKey,
    publicJwk: { kty, crv, x, y, kid, alg: TOKEN_ALGORITHM, use: "sig" } as JWK,
    ephemeral,
  };
}

export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(TOKEN_ALGORITHM, { extractable: true });
  return fromPair(privateKey, await exportJWK(publicKey), true);
}

/** Imports a private EC P-256 JWK (with `d`), as operators provide it in a secret. */
export async function importSigningKey(privateJwk: JWK): Promise<SigningKey> {
  if (privateJwk.kty !== "EC" || privateJwk.crv !== "P-256" || typeof privateJwk.d !== "string") {
    throw new Error("The signing key must be a private EC P-256 JWK (kty EC, crv P-256, with d).");
  }
  const privateKey = (await importJWK(
    { ...privateJwk, alg: TOKEN_ALGORITHM },
    TOKEN_ALGORITHM,
  )) as CryptoKey;
  const { d: _secret, ...publicJwk } = privateJwk;
  return fromPair(privateKey, publicJwk, false);
}
