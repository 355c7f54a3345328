/**
 * NIK digests on Node with node:crypto: the same HMAC-SHA-256 as the WebCrypto one in
 * stores/audit/nik-hmac.ts, computed synchronously — a batch of 100,000 NIKs otherwise spends
 * its time queueing WebCrypto jobs on the thread pool.
 */
import { createHmac, createSecretKey } from "node:crypto";
import type { NikHasher } from "../stores/audit/nik-hmac.ts";

export function createNodeNikHasher(key: string): NikHasher {
  if (Buffer.byteLength(key) < 32) {
    throw new RangeError("the NIK HMAC key must be at least 32 bytes (RFC 2104 §3: at least L)");
  }
  // Imported once: a string key is converted again by every createHmac call.
  const secret = createSecretKey(Buffer.from(key));
  return async (nik) => {
    if (!/^[0-9]{16}$/.test(nik)) throw new TypeError("a NIK is exactly 16 ASCII digits");
    return createHmac("sha256", secret).update(nik).digest("hex");
  };
}
