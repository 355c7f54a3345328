/** Rate limits on Cloudflare Workers: one Durable Object per key, exact across every isolate. */
import { DurableObject } from "cloudflare:workers";
import { StoreUnavailableError } from "../errors.ts";
import { bindingDecision } from "./memory.ts";
import type { RateLimitDecision, RateLimitStore, RateLimitWindow } from "./port.ts";

interface Counter {
  /** Window start, ms since the epoch (windows are aligned to the epoch, like every store). */
  readonly start: number;
  readonly used: number;
}

const COUNTERS = "counters";

/**
 * The counters of ONE key (the object's name is the key, `idFromName(key)`), so clients never
 * queue behind each other and each client's limit is exact: a Durable Object runs one event at a
 * time, and the read-check-write below has no `await` in it. Counters are written to the object's
 * storage (the output gate holds the reply until the write is durable), so an evicted object
 * comes back with the same counts; an alarm deletes them once every window has ended.
 */
export class RateLimitCounter extends DurableObject {
  #counters = new Map<number, Counter>();
  #loaded: Promise<void>;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never);
    this.#loaded = ctx.blockConcurrencyWhile(async () => {
      const stored = await ctx.storage.get<Record<string, Counter>>(COUNTERS);
      for (const [seconds, counter] of Object.entries(stored ?? {})) {
        this.#counters.set(Number(seconds), counter);
      }
    });
  }

  /** Takes `cost` from every window if all have room, else nothing (all-or-nothing). */
  async consume(cost: number, windows: readonly RateLimitWindow[]): Promise<RateLimitDecision> {
    await this.#loaded;
    const nowMs = Date.now();
    const states = windows.map((window) => {
      const windowMs = window.windowSeconds * 1000;
      const start = nowMs - (nowMs % windowMs);
      const counter = this.#counters.get(window.windowSeconds);
      const used = counter !== undefined && counter.start === start ? counter.used : 0;
      return { window, start, used, resetMs: start + windowMs - nowMs };
    });
    const allowed = states.every(({ window, used }) => used + cost <= window.limit);
    if (allowed) {
      for (const state of states) {
        this.#counters.set(state.window.windowSeconds, {
          start: state.start,
          used: state.used + cost,
        });
      }
      // Not awaited: the output gate releases the reply only once this write is durable.
      void this.ctx.storage.put(COUNTERS, Object.fromEntries(this.#counters));
      const lastEnd = Math.max(
        ...states.map((state) => state.start + state.window.windowSeconds * 1000),
      );
      void this.ctx.storage.setAlarm(lastEnd);
    }
    return bindingDecision(
      allowed,
      states.map(({ window, used, resetMs }) => {
        const after = allowed ? used + cost : used;
        return {
          window,
          remaining: Math.max(0, window.limit - after),
          resetMs,
          exceeded: after + (allowed ? 0 : cost) > window.limit,
        };
      }),
    );
  }

  /** Every window has ended: forget the key, so idle clients cost no storage. */
  override async alarm(): Promise<void> {
    const nowMs = Date.now();
    const live = [...this.#counters].filter(
      ([seconds, counter]) => counter.start + seconds * 1000 > nowMs,
    );
    if (live.length === 0) {
      this.#counters.clear();
      await this.ctx.storage.deleteAll();
      return;
    }
    await this.ctx.storage.setAlarm(
      Math.max(...live.map(([seconds, c]) => c.start + seconds * 1000)),
    );
  }
}

/**
 * The Workers implementation of {@link RateLimitStore}: one round trip to the key's own Durable
 * Object per request (one subrequest).
 *
 * @example
 * const rateLimits = createCloudflareRateLimitStore(env.RATE_LIMITS);
 * await rateLimits.consume("client:dinsos-bandung", 1, [{ limit: 60, windowSeconds: 60 }]);
 */
export function createCloudflareRateLimitStore(
  namespace: DurableObjectNamespace<RateLimitCounter>,
): RateLimitStore {
  return {
    async consume(key, cost, windows) {
      if (windows.length === 0) throw new Error("at least one rate-limit window is required");
      if (!Number.isSafeInteger(cost) || cost < 0) {
        throw new RangeError(`cost must be a non-negative integer, got ${cost}`);
      }
      try {
        const stub = namespace.get(namespace.idFromName(key));
        return await stub.consume(
          cost,
          windows.map(({ limit, windowSeconds }) => ({ limit, windowSeconds })),
        );
      } catch (error) {
        throw new StoreUnavailableError("rate-limit", (error as Error).message, { cause: error });
      }
    },
  };
}

/**
 * Cloudflare's Rate Limiting binding as a {@link RateLimitStore}: APPROXIMATE. Its counters are
 * per Cloudflare location and eventually consistent, its period is fixed in wrangler.toml (10 or
 * 60 s) and it counts requests, not costs, nor reports what is left. Use it only to shed load in
 * front of the exact store, never as the contract's store (it does not pass that suite).
 */
export function createApproximateRateLimitStore(binding: RateLimit): RateLimitStore {
  return {
    async consume(key, _cost, windows) {
      const [first] = windows;
      if (first === undefined) throw new Error("at least one rate-limit window is required");
      let allowed: boolean;
      try {
        // One unit per request whatever `cost` is: the binding has no notion of cost.
        allowed = (await binding.limit({ key })).success;
      } catch (error) {
        throw new StoreUnavailableError("rate-limit", (error as Error).message, { cause: error });
      }
      return {
        allowed,
        limit: first.limit,
        windowSeconds: first.windowSeconds,
        remaining: allowed ? Math.max(0, first.limit - 1) : 0,
        resetSeconds: first.windowSeconds,
      };
    },
  };
}
