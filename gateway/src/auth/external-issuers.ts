/** Tokens from configured external issuers (a ministry's Keycloak, say), verified via their JWKS. */
import {
  createRemoteJWKSet,
  customFetch,
  errors,
  type FetchImplementation,
  type JWTPayload,
  jwtVerify,
} from "jose";
import { z } from "zod";
import { SCOPES, type Scope } from "../clients/client.ts";
import {
  type AccessClaims,
  CLOCK_SKEW_SECONDS,
  type IssuerVerifier,
  precheckToken,
  type TokenVerdict,
} from "./tokens.ts";

/** Asymmetric algorithms only: a shared-secret (HS*) or `none` token can never be configured. */
export const EXTERNAL_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
] as const;

export const ExternalIssuerConfig = z
  .object({
    /** Must equal the tokens' `iss` exactly, e.g. `https://sso.kemensos.go.id/realms/simpul`. */
    issuer: z.url(),
    jwksUrl: z.url({ protocol: /^https?$/ }),
    /** The `aud` this gateway is known by at that issuer. */
    audience: z.string().min(1),
    algorithms: z.array(z.enum(EXTERNAL_ALGORITHMS)).min(1),
    /** The header `typ` the issuer writes: `at+jwt` (RFC 9068), or `JWT` for Keycloak. */
    typ: z.string().min(1).default("at+jwt"),
    /** The claim naming the client: `azp` (Keycloak), `client_id` (RFC 9068) or another. */
    clientIdClaim: z.string().min(1).default("client_id"),
    /** A space-separated string (RFC 8693 `scope`) or an array of strings (`scp`). */
    scopeClaim: z.string().min(1).default("scope"),
    /**
     * The registered clients this issuer may speak for. An issuer is trusted for these only, so
     * one ministry's identity provider cannot mint tokens for another ministry's clients.
     */
    clients: z.array(z.string().min(1)).min(1),
    /** Keys are refetched at least this often; a shorter `Cache-Control: max-age` wins. */
    cacheMaxAgeSeconds: z.number().int().min(1).max(86_400).default(600),
    /** After a fetch, an unknown `kid` triggers no new fetch for this long. */
    cooldownSeconds: z.number().min(0).max(3600).default(30),
    timeoutMs: z.number().int().min(100).max(30_000).default(5000),
  })
  .strict();
export type ExternalIssuerConfig = z.infer<typeof ExternalIssuerConfig>;

/** `SIMPUL_EXTERNAL_ISSUERS`: a JSON array of issuer entries. */
export const ExternalIssuersSetting = z
  .string()
  .transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: "custom", message: "not valid JSON" });
      return z.NEVER;
    }
  })
  .pipe(z.array(ExternalIssuerConfig))
  .refine((issuers) => new Set(issuers.map((entry) => entry.issuer)).size === issuers.length, {
    message: "each issuer may appear once",
  });

export interface ExternalIssuerOptions {
  /** Fetches the JWKS; the runtime's `fetch` by default. */
  readonly fetch?: FetchImplementation;
}

/** RFC 9111 §5.2.2.1 max-age, or 0 for no-store / no-cache; undefined when absent. */
function maxAgeSeconds(cacheControl: string | null): number | undefined {
  if (cacheControl === null) return undefined;
  if (/(^|,)\s*(no-store|no-cache)\s*(,|$)/i.test(cacheControl)) return 0;
  const match = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(cacheControl);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

function scopesOf(value: unknown): Scope[] {
  const listed =
    typeof value === "string"
      ? value.split(" ")
      : Array.isArray(value)
        ? value.filter((item): item is string => typeof item === "string")
        : [];
  return listed.filter((scope): scope is Scope => (SCOPES as readonly string[]).includes(scope));
}

/**
 * Verifies one external issuer's tokens with its JWKS, fetched by jose's remote key set: keys are
 * cached (at most `cacheMaxAgeSeconds`, or the response's shorter max-age), concurrent misses
 * share one fetch, and an unknown `kid` refetches at most once per `cooldownSeconds`, so a flood
 * of made-up kids cannot turn into a flood of fetches. jose never follows `jku` or `x5u`.
 *
 * @example
 * const keycloak = createExternalTokenVerifier(ExternalIssuerConfig.parse({
 *   issuer: "https://sso.kemensos.go.id/realms/simpul",
 *   jwksUrl: "https://sso.kemensos.go.id/realms/simpul/protocol/openid-connect/certs",
 *   audience: "simpul", algorithms: ["RS256"], typ: "JWT", clientIdClaim: "azp",
 *   clients: ["kemensos-app"],
 * }));
 */
export function createExternalTokenVerifier(
  config: ExternalIssuerConfig,
  options: ExternalIssuerOptions = {},
): IssuerVerifier {
  const cooldownMs = config.cooldownSeconds * 1000;
  const baseFetch: FetchImplementation = options.fetch ?? ((url, init) => fetch(url, init));
  let serverFreshUntil = Number.POSITIVE_INFINITY;
  const fetchKeys: FetchImplementation = async (url, init) => {
    const response = await baseFetch(url, init);
    const maxAge = maxAgeSeconds(response.headers.get("cache-control"));
    serverFreshUntil =
      maxAge === undefined
        ? Number.POSITIVE_INFINITY
        : Date.now() + Math.max(maxAge * 1000, cooldownMs);
    return response;
  };
  const keySet = createRemoteJWKSet(new URL(config.jwksUrl), {
    cacheMaxAge: config.cacheMaxAgeSeconds * 1000,
    cooldownDuration: cooldownMs,
    timeoutDuration: config.timeoutMs,
    [customFetch]: fetchKeys,
  });
  const allowedClients = new Set(config.clients);

  const verify = async (token: string): Promise<TokenVerdict> => {
    const refused = precheckToken(token);
    if (refused !== undefined) return { ok: false, reason: refused };
    if (Date.now() >= serverFreshUntil && !keySet.reloading) {
      serverFreshUntil = Number.POSITIVE_INFINITY;
      // Stale-if-error: when the refetch fails the keys already held stay in use.
      await keySet.reload().catch(() => undefined);
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keySet, {
        algorithms: [...config.algorithms],
        issuer: config.issuer,
        audience: config.audience,
        typ: config.typ,
        requiredClaims: ["exp", "iat", config.clientIdClaim],
        clockTolerance: CLOCK_SKEW_SECONDS,
      }));
    } catch (error) {
      return failure(error);
    }
    const clientId = payload[config.clientIdClaim];
    if (typeof clientId !== "string" || !allowedClients.has(clientId)) {
      return { ok: false, reason: "client not allowed for this issuer" };
    }
    const claims: AccessClaims = {
      clientId,
      scopes: scopesOf(payload[config.scopeClaim]),
      jti: typeof payload.jti === "string" ? payload.jti : `${clientId}@${payload.iat}`,
      expiresAt: Number(payload.exp),
      issuer: config.issuer,
    };
    return { ok: true, claims };
  };
  return { issuer: config.issuer, verify };
}

/** A bad token is a 401; keys that could not be fetched are the issuer's outage, not the caller's. */
function failure(error: unknown): TokenVerdict {
  if (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    !(error instanceof errors.JOSEError) ||
    error.code === errors.JOSEError.code
  ) {
    return { ok: false, reason: "issuer keys unavailable", retryable: true };
  }
  return { ok: false, reason: error.code };
}
