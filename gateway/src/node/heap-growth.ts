/** How far V8 lets the old generation grow between full collections (Node entry only). */
import { setFlagsFromString } from "node:v8";

/**
 * After each full collection V8 lets the old generation grow to up to four times what survived
 * before collecting again. A batch check's in-flight chunks outlive young-generation collections
 * and are promoted in waves, so with that default a 100,000-NIK batch took the process from about
 * 135 MB to 255–280 MB of RSS. Growing at most threefold (200%) kept the peak near 225 MB with no
 * measurable cost per lookup or check; twofold (100%) near 190 MB, for more full collections
 * (paired runs put its CPU per lookup at 1.04, 0.96 and 1.04 ×; `load/PROFILE.md`, seventh and
 * ninth rounds). Twofold is the default of `SIMPUL_HEAP_GROWING_PERCENT` since the deployment
 * command doubled the young generation (`--max-semi-space-size=32`, package.json's start:built):
 * that made lookups and batches cheaper but the batch's peak larger (241–281 MB at 200%), and
 * 100% brings it back to about 230 MB while keeping the batch's gain. V8 reads the flag at every
 * collection, so setting it at start-up holds for the life of the process.
 */
export function limitHeapGrowth(percent: number): void {
  // 0 leaves the flag as node was started with: V8 then picks the factor from its GC speed.
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
