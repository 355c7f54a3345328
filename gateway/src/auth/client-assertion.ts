/** `private_key_jwt` client authentication (RFC 7523 §2.2, OIDC Core §9): a signed assertion. */
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify } from "jose";
import type { Client } from "../clients/client.ts";
import type { ReplayStore } from "../stores/replay/port.ts";
import { CLOCK_SKEW_SECONDS, precheckToken } from "./tokens.ts";

/** RFC 7523 §2.2. */
export const CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** The algorithms a client may sign its assertion with; none of them takes a shared secret. */
export const CLIENT_ASSERTION_ALGORITHMS = ["ES256", "EdDSA", "RS256"] as const;
/** An assertion proves possession now; it may not live longer than this. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;
/** Long enough for a UUID or a ULID with a prefix; the replay store adds the client id. */
const MAX_JTI_LENGTH = 128;
/**
 * Header `typ` values an assertion may carry: none, plain JWT, or the explicit type of
 * draft-ietf-oauth-rfc7523bis. An access token (`at+jwt`) can never pass for an assertion.
 */
const ASSERTION_TYPES = new Set([undefined, "jwt", "client-authentication+jwt"]);

export interface ClientAssertionOptions {
  /** Values accepted as `aud`: the gateway's issuer identifier and its token endpoint URL. */
  readonly audiences: readonly string[];
  readonly replay: ReplayStore;
}

export type AssertionVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: string };

/**
 * The client the assertion claims to come from, read without verifying anything: it only picks
 * the registered keys to verify with and the rate-limit bucket to charge.
 */
export function assertedClientId(assertion: string): string | undefined {
  try {
    const { iss, sub } = decodeJwt(assertion);
    return typeof sub === "string" && sub === iss ? sub : undefined;
  } catch {
    return undefined;
  }
}

const keySets = new WeakMap<Client, ReturnType<typeof createLocalJWKSet>>();

function keySetOf(client: Client) {
  let keySet = keySets.get(client);
  if (keySet === undefined && client.jwks !== undefined) {
    keySet = createLocalJWKSet({ keys: [...client.jwks.keys] });
    keySets.set(client, keySet);
  }
  return keySet;
}

function normalisedTyp(assertion: string): string | undefined {
  const { typ } = decodeProtectedHeader(assertion) as { typ?: unknown };
  if (typ === undefined) return undefined;
  return typeof typ === "string" ? typ.toLowerCase().replace(/^application\//, "") : "invalid";
}

/**
 * Verifies a client assertion with the client's registered public keys: algorithm pinned,
 * `iss` = `sub` = client id, `aud` this gateway, a short `exp`, and a `jti` used once (it is held
 * in the replay store until the assertion expires).
 *
 * @example
 * const verdict = await verifyClientAssertion(form.client_assertion, client, {
 *   audiences: [issuer, `${issuer}/oauth/token`], replay: services.replay,
 * });
 */
export async function verifyClientAssertion(
  assertion: string,
  client: Client,
  options: ClientAssertionOptions,
): Promise<AssertionVerdict> {
  const refused = precheckToken(assertion);
  if (refused !== undefined) return { ok: false, reason: refused };
  const keySet = keySetOf(client);
  if (keySet === undefined) return { ok: false, reason: "no keys registered" };
  if (!ASSERTION_TYPES.has(normalisedTyp(assertion))) return { ok: false, reason: "wrong typ" };
  let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
  try {
    ({ payload } = await jwtVerify(assertion, keySet, {
      algorithms: [...CLIENT_ASSERTION_ALGORITHMS],
      issuer: client.id,
      subject: client.id,
      audience: [...options.audiences],
      requiredClaims: ["exp", "jti"],
      clockTolerance: CLOCK_SKEW_SECONDS,
    }));
  } catch (error) {
    if (error instanceof errors.JOSEError) return { ok: false, reason: error.code };
    throw error;
  }
  const exp = Number(payload.exp);
  const nowSeconds = Math.floor(Date.now() / 1000);
  if (!Number.isSafeInteger(exp)) return { ok: false, reason: "exp not an integer" };
  if (exp - nowSeconds > MAX_ASSERTION_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS) {
    return { ok: false, reason: "exp too far ahead" };
  }
  if (typeof payload.iat === "number" && exp - payload.iat > MAX_ASSERTION_LIFETIME_SECONDS) {
    return { ok: false, reason: "lifetime too long" };
  }
  const jti = payload.jti;
  if (typeof jti !== "string" || jti.length === 0 || jti.length > MAX_JTI_LENGTH) {
    return { ok: false, reason: "malformed jti" };
  }
  // RFC 7523 §3 item 7: the jti is remembered until the assertion expires (plus the skew that
  // could still let it pass), and scoped by client so one client cannot burn another's ids.
  const first = await options.replay.remember(`${client.id}:${jti}`, exp + CLOCK_SKEW_SECONDS);
  return first ? { ok: true } : { ok: false, reason: "jti replayed" };
}
