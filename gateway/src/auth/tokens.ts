/** Access tokens (RFC 9068 JWT profile): issued here, verified here, with jose. */
import { createLocalJWKSet, decodeJwt, errors, type JWTPayload, jwtVerify, SignJWT } from "jose";
import type { Scope } from "../clients/client.ts";
import { refuseHeader } from "./header-policy.ts";
import { type SigningKey, TOKEN_ALGORITHM } from "./signing-key.ts";

/** RFC 9068 §2.1: access tokens are typed so an ID token can never pass for one. */
export const ACCESS_TOKEN_TYPE = "at+jwt";
/** Tokens larger than this are refused before any parsing (a header-size attack surface). */
export const MAX_TOKEN_BYTES = 4096;
/** Clock difference tolerated between the issuer and this gateway (RFC 7519 §4.1.4 "leeway"). */
export const CLOCK_SKEW_SECONDS = 30;
/** The longest lifetime a token of this gateway can have (SIMPUL_TOKEN_TTL_SECONDS' maximum). */
export const MAX_TOKEN_LIFETIME_SECONDS = 3600;

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
  /** Who issued the token: this gateway, or a configured external issuer. */
  readonly issuer?: string;
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
  | {
      readonly ok: false;
      readonly reason: string;
      /** The token could not be checked (its issuer's keys were unreachable), not found bad. */
      readonly retryable?: boolean;
    };

export type TokenVerifier = (token: string) => Promise<TokenVerdict>;

/** A verifier for the tokens of one issuer. */
export interface IssuerVerifier {
  readonly issuer: string;
  readonly verify: TokenVerifier;
}

/**
 * The checks every token kind shares before its signature is looked at (size, header policy):
 * why the token is refused, or `undefined`.
 */
export function precheckToken(token: string): string | undefined {
  if (token.length > MAX_TOKEN_BYTES) return "token too large";
  return refuseHeader(token);
}

export interface VerifiedTokenCacheOptions {
  /** Most tokens remembered; the least recently used is forgotten first. Default 10,000. */
  readonly maxEntries?: number;
  /** Clock in milliseconds since the epoch (tests). */
  readonly now?: () => number;
}

/**
 * Tokens already verified, keyed by the exact token string, until their `exp`: a bounded LRU.
 * A signature that verified cannot stop verifying before `exp` (the key set is fixed per
 * verifier), so a repeat costs a map lookup instead of an ES256 verification, which the
 * benchmark's profile shows as the largest single CPU cost of a lookup (load/PROFILE.md).
 * Failures are never cached, and entries end at `exp` without the clock-skew leeway.
 */
export function createVerifiedTokenCache(options: VerifiedTokenCacheOptions = {}) {
  const maxEntries = Math.max(1, options.maxEntries ?? 10_000);
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order: re-inserting on use keeps the oldest first.
  const entries = new Map<string, AccessClaims>();
  return {
    get(token: string): AccessClaims | undefined {
      const claims = entries.get(token);
      if (claims === undefined) return undefined;
      entries.delete(token);
      if (claims.expiresAt * 1000 <= now()) return undefined;
      entries.set(token, claims);
      return claims;
    },
    set(token: string, claims: AccessClaims): void {
      if (claims.expiresAt * 1000 <= now()) return;
      entries.delete(token);
      entries.set(token, claims);
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
    get size(): number {
      return entries.size;
    },
  };
}

/**
 * Verifies the gateway's own tokens. The key set is local, so `jku`/`x5u` headers are never
 * followed, and the algorithm is pinned so `none` or HS/RS confusion cannot pass. Tokens that
 * verified are remembered until their `exp` (`cache: false` turns that off).
 */
export function createTokenVerifier(
  keys: readonly SigningKey[],
  settings: Omit<TokenSettings, "ttlSeconds">,
  cache: VerifiedTokenCacheOptions | false = {},
): TokenVerifier {
  const keySet = createLocalJWKSet({ keys: keys.map((key) => key.publicJwk) });
  const verified = cache === false ? undefined : createVerifiedTokenCache(cache);
  return async (token) => {
    const known = verified?.get(token);
    if (known !== undefined) return { ok: true, claims: known };
    const refused = precheckToken(token);
    if (refused !== undefined) return { ok: false, reason: refused };
    try {
      const { payload } = await jwtVerify(token, keySet, {
        algorithms: [TOKEN_ALGORITHM],
        issuer: settings.issuer,
        audience: settings.audience,
        typ: ACCESS_TOKEN_TYPE,
        requiredClaims: ["exp", "iat", "jti", "sub"],
        clockTolerance: CLOCK_SKEW_SECONDS,
        // Also refuses an `iat` in the future, beyond the skew.
        maxTokenAge: MAX_TOKEN_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS,
      });
      if (Number(payload.exp) - Number(payload.iat) > MAX_TOKEN_LIFETIME_SECONDS) {
        return { ok: false, reason: "lifetime too long" };
      }
      const claims = toClaims(payload, settings.issuer);
      verified?.set(token, claims);
      return { ok: true, claims };
    } catch (error) {
      if (error instanceof errors.JOSEError) return { ok: false, reason: error.code };
      throw error;
    }
  };
}

const ROUTED_TOKENS = 10_000;

/**
 * Sends each token to the verifier of the issuer it names. The unverified `iss` only picks the
 * verifier; that verifier then requires the same `iss` under a signature by that issuer's keys.
 *
 * @example
 * const verifyToken = routeByIssuer([{ issuer, verify: createTokenVerifier([key], settings) }]);
 */
export function routeByIssuer(verifiers: readonly IssuerVerifier[]): TokenVerifier {
  const byIssuer = new Map<string, TokenVerifier>();
  for (const { issuer, verify } of verifiers) {
    if (byIssuer.has(issuer)) throw new Error(`Two token verifiers for the issuer ${issuer}.`);
    byIssuer.set(issuer, verify);
  }
  // Which verifier took a token, by its exact string: a token seen before skips the decode
  // and goes straight to its verifier (and that verifier's own cache). Bounded, oldest first out.
  const routed = new Map<string, TokenVerifier>();
  return async (token) => {
    const known = routed.get(token);
    if (known !== undefined) return known(token);
    const refused = precheckToken(token);
    if (refused !== undefined) return { ok: false, reason: refused };
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      return { ok: false, reason: "malformed payload" };
    }
    const verify = typeof issuer === "string" ? byIssuer.get(issuer) : undefined;
    if (verify === undefined) return { ok: false, reason: "unknown issuer" };
    const verdict = await verify(token);
    if (verdict.ok) {
      routed.set(token, verify);
      if (routed.size > ROUTED_TOKENS) routed.delete(routed.keys().next().value as string);
    }
    return verdict;
  };
}

function toClaims(payload: JWTPayload, issuer: string): AccessClaims {
  const scope = typeof payload.scope === "string" ? payload.scope : "";
  return {
    clientId: String(payload.sub),
    scopes: scope.split(" ").filter(Boolean) as Scope[],
    jti: String(payload.jti),
    expiresAt: Number(payload.exp),
    issuer,
  };
}
