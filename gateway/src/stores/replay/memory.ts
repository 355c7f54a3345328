/** In-process replay protection: exact for one process; use the Redis store for several. */
import { StoreUnavailableError } from "../errors.ts";
import { checkReplayArguments, type ReplayStore } from "./port.ts";

export interface MemoryReplayOptions {
  /** Clock in ms. */
  readonly now?: () => number;
  /** Most token ids held at once. */
  readonly maxEntries?: number;
}

/**
 * Holds each `jti` until its expiry. Memory is bounded: when `maxEntries` is reached, expired ids
 * are swept; if every id is still live, `remember` rejects with `StoreUnavailableError` rather
 * than forget a live id (which would let its token be replayed): it fails closed.
 */
export function createMemoryReplayStore(
  options: MemoryReplayOptions = {},
): ReplayStore & { readonly size: number } {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 100_000;
  const expiries = new Map<string, number>();

  const sweep = (nowSeconds: number) => {
    for (const [jti, expiry] of expiries) if (expiry <= nowSeconds) expiries.delete(jti);
  };

  return {
    get size() {
      return expiries.size;
    },
    async remember(jti, expiresAtEpochSeconds) {
      checkReplayArguments(jti, expiresAtEpochSeconds);
      const nowSeconds = now() / 1000;
      if (expiresAtEpochSeconds <= nowSeconds) return false;
      const known = expiries.get(jti);
      if (known !== undefined && known > nowSeconds) return false;
      if (known === undefined && expiries.size >= maxEntries) {
        sweep(nowSeconds);
        if (expiries.size >= maxEntries) {
          throw new StoreUnavailableError("replay", `${maxEntries} live token ids held (full)`);
        }
      }
      expiries.set(jti, expiresAtEpochSeconds);
      return true;
    },
  };
}
