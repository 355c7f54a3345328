/** Access tokens (RFC 9068 JWT profile): issued here, verified here, with jose. */
import { createLocalJWKSet, errors, type JWTPayload, jwtVerify, SignJWT } from "jose";
import type { Scope } from "../clients/client.ts";
import { type SigningKey, TOKEN_ALGORITHM } from "./signing-key.ts";

/** RFC 9068 §2.1: access tokens are typed so an ID token can never pass for one. */
export const ACCESS_TOKEN_TYPE = "at+jwt";
/** Tokens larger than this are refused before any parsing (a header-size attack surface). */
export const MAX_TOKEN_BYTES = 4096;
const CLOCK_SKEW_SECONDS = 30;

export interface TokenSettings {
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;
}

export interface AccessClaims {
  readonly clientId: string;
  readonly scopes: readonly Scope[];
  readonly jti: string;
  readonly expiresAt: number;
}

export interface IssuedToken {
  readonly access_token: string;
  readonly token_type: "Bearer";
  readonly expires_in: number;
  readonly scope: string;
}

export async function issueAccessToken(
  key: SigningKey,
  settings: TokenSettings,
  clientId: string,
  scopes: readonly Scope[],
): Promise<IssuedToken> {
  const scope = scopes.join(" ");
  const token = await new SignJWT({ scope, client_id: clientId })
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, typ: ACCESS_TOKEN_TYPE, kid: key.kid })
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setSubject(clientId)
    .setIssuedAt()
    .setExpirationTime(`${settings.ttlSeconds}s`)
    .setJti(crypto.randomUUID())
    .sign(key.privateKey);
  return { access_token: token, token_type: "Bearer", expires_in: settings.ttlSeconds, scope };
}

export type TokenVerdict =
  | { readonly ok: true; readonly claims: AccessClaims }
  | { readonly ok: false; readonly reason: string };

export type TokenVerifier = (token: string) => Promise<TokenVerdict>;

/**
 * Verifies the gateway's own tokens. The key set is local, so `jku`/`x5u` headers are never
 * followed, and the algorithm is pinned so `none` or HS/RS confusion cannot pass.
 */
export function createTokenVerifier(
  keys: readonly SigningKey[],
  settings: Omit<TokenSettings, "ttlSeconds">,
): TokenVerifier {
  const keySet = createLocalJWKSet({ keys: keys.map((key) => key.publicJwk) });
  return async (token) => {
    if (token.length > MAX_TOKEN_BYTES) return { ok: false, reason: "token too large" };
    try {
      const { payload } = await jwtVerify(token, keySet, {
        algorithms: [TOKEN_ALGORITHM],
        issuer: settings.issuer,
        audience: settings.audience,
        typ: ACCESS_TOKEN_TYPE,
        requiredClaims: ["exp", "iat", "jti", "sub"],
        clockTolerance: CLOCK_SKEW_SECONDS,
      });
      return { ok: true, claims: toClaims(payload) };
    } catch (error) {
      if (error instanceof errors.JOSEError) return { ok: false, reason: error.code };
      throw error;
    }
  };
}

function toClaims(payload: JWTPayload): AccessClaims {
  const scope = typeof payload.scope === "string" ? payload.scope : "";
  return {
    clientId: String(payload.sub),
    scopes: scope.split(" ").filter(Boolean) as Scope[],
    jti: String(payload.jti),
    expiresAt: Number(payload.exp),
  };
}
