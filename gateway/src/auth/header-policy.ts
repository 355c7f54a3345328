/** What a JWS header may carry before any key is looked at: one policy for every token kind. */
import { decodeProtectedHeader } from "jose";

/**
 * Header members that name a key, or where to fetch one. Whoever writes the token chooses them,
 * so trusting them lets an attacker pick the key that verifies their own signature (RFC 8725
 * §3.10); Simpul finds keys only in key sets it configured itself.
 */
const KEY_BEARING_MEMBERS = ["jku", "x5u", "jwk", "x5c"] as const;

/** `kid` values of real issuers are short printable identifiers; anything else is refused. */
const KID = /^[\x21-\x7e]{1,128}$/;

/**
 * Returns why the token's protected header is refused, or `undefined` when it is acceptable.
 * Refuses `crit` outright: Simpul understands no JWS extension, and RFC 7515 §4.1.11 says a
 * recipient must reject a token whose critical extensions it does not understand.
 *
 * @example
 * const refused = refuseHeader(token);
 * if (refused !== undefined) return { ok: false, reason: refused };
 */
export function refuseHeader(token: string): string | undefined {
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(token) as Record<string, unknown>;
  } catch {
    return "malformed header";
  }
  if (typeof header.alg !== "string") return "alg missing";
  if ("crit" in header) return "crit header present";
  if ("b64" in header) return "b64 header present";
  for (const member of KEY_BEARING_MEMBERS) {
    if (member in header) return `${member} header present`;
  }
  if ("kid" in header && (typeof header.kid !== "string" || !KID.test(header.kid))) {
    return "malformed kid";
  }
  return undefined;
}
