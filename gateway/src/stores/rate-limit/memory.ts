/** In-process rate limiting: exact for one process; use the Redis store for several. */
import type { RateLimitDecision, RateLimitStore, RateLimitWindow } from "./port.ts";

interface Counter {
  windowStart: number;
  used: number;
}

export interface MemoryRateLimitOptions {
  readonly now?: () => number;
  /** Above this many counters, expired ones are swept so memory stays bounded. */
  readonly sweepAbove?: number;
}

export function createMemoryRateLimitStore(
  options: MemoryRateLimitOptions = {},
): RateLimitStore & { readonly size: number } {
  const now = options.now ?? Date.now;
  const sweepAbove = options.sweepAbove ?? 10_000;
  const counters = new Map<string, Counter & { windowMs: number }>();

  const sweep = (nowMs: number) => {
    for (const [id, counter] of counters) {
      if (nowMs >= counter.windowStart + counter.windowMs) counters.delete(id);
    }
  };

  return {
    get size() {
      return counters.size;
    },
    async consume(key, cost, windows) {
      const nowMs = now();
      if (counters.size > sweepAbove) sweep(nowMs);
      const states = windows.map((window) => {
        const windowMs = window.windowSeconds * 1000;
        const windowStart = Math.floor(nowMs / windowMs) * windowMs;
        const id = `${key}:${window.windowSeconds}`;
        let counter = counters.get(id);
        if (counter === undefined || counter.windowStart !== windowStart) {
          counter = { windowStart, used: 0, windowMs };
          counters.set(id, counter);
        }
        return { window, counter, resetMs: windowStart + windowMs - nowMs };
      });
      const allowed = states.every(({ window, counter }) => counter.used + cost <= window.limit);
      if (allowed) for (const { counter } of states) counter.used += cost;
      return bindingDecision(
        allowed,
        states.map(({ window, counter, resetMs }) => ({
          window,
          remaining: Math.max(0, window.limit - counter.used),
          resetMs,
          exceeded: counter.used + (allowed ? 0 : cost) > window.limit,
        })),
      );
    },
  };
}

interface WindowState {
  readonly window: RateLimitWindow;
  readonly remaining: number;
  readonly resetMs: number;
  readonly exceeded: boolean;
}

/** Picks the window to report: the one that refused, else the one with the fewest units left. */
export function bindingDecision(
  allowed: boolean,
  states: readonly WindowState[],
): RateLimitDecision {
  const pool = allowed ? states : states.filter((state) => state.exceeded);
  const [first, ...rest] = pool.length > 0 ? pool : states;
  if (first === undefined) throw new Error("at least one rate-limit window is required");
  // When refused, the caller must wait for the refusing window that resets last.
  const binding = rest.reduce(
    (best, state) =>
      allowed
        ? state.remaining < best.remaining
          ? state
          : best
        : state.resetMs > best.resetMs
          ? state
          : best,
    first,
  );
  return {
    allowed,
    limit: binding.window.limit,
    windowSeconds: binding.window.windowSeconds,
    remaining: binding.remaining,
    resetSeconds: Math.max(1, Math.ceil(binding.resetMs / 1000)),
  };
}
