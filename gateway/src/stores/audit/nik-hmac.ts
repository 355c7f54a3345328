/** Keyed NIK digests for the audit trail: searchable through the gateway, useless without its key. */
import { toHex } from "../../crypto/digest.ts";

export type NikHasher = (nik: string) => Promise<string>;

const encoder = new TextEncoder();

/**
 * HMAC-SHA-256 (RFC 2104) of a NIK under `key`, as 64 lower-case hex digits, via WebCrypto so it
 * runs on Node and Workers alike. A plain hash would not do: with only ~10^12 plausible NIKs,
 * anyone reading the trail could hash them all and reverse every entry.
 *
 * Only well-formed NIKs (16 ASCII digits) are accepted, so that two spellings of one NIK can
 * never yield two digests; validate and reject input before it gets here.
 *
 * @example
 * const nikHmac = createNikHasher(config.auditNikKey);
 * await store.append({ ...record, nikHmac: await nikHmac("3273014107900001") });
 */
export function createNikHasher(key: string): NikHasher {
  if (encoder.encode(key).length < 32) {
    throw new RangeError("the NIK HMAC key must be at least 32 bytes (RFC 2104 §3: at least L)");
  }
  const cryptoKey = crypto.subtle.importKey(
    "raw",
    encoder.encode(key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return async (nik) => {
    if (!/^[0-9]{16}$/.test(nik)) throw new TypeError("a NIK is exactly 16 ASCII digits");
    return toHex(await crypto.subtle.sign("HMAC", await cryptoKey, encoder.encode(nik)));
  };
}
