/**
 * Random ids as hex from a pool refilled 4 KiB at a time, as Node's own `randomUUID` does: one
 * `getRandomValues` call then serves hundreds of trace and span ids instead of one each.
 * For identifiers only (trace context), never for keys or secrets.
 */
import { HEX_BYTE } from "./digest.ts";

const POOL_BYTES = 4096;
const pool = new Uint8Array(POOL_BYTES);
// Filled on first use: Workers refuse random generation at module load.
let offset = POOL_BYTES;

/** `bytes` random bytes (at most 4096) as lower-case hex. */
export function randomHex(bytes: number): string {
  if (offset + bytes > POOL_BYTES) {
    crypto.getRandomValues(pool);
    offset = 0;
  }
  let hex = "";
  for (let i = offset; i < offset + bytes; i++) hex += HEX_BYTE[pool[i] as number];
  offset += bytes;
  return hex;
}
