/** Rate limits shared by every gateway process: one atomic Lua script per request (Node only). */

import { StoreUnavailableError } from "../errors.ts";
import type { RedisConnection } from "../redis/connection.ts";
import { defineScript } from "../redis/script.ts";
import { bindingDecision } from "./memory.ts";
import type { RateLimitStore } from "./port.ts";

export interface RedisRateLimitOptions {
  /** Prepended to every key, e.g. `simpul:`. */
  readonly prefix: string;
}

/*
 * KEYS[i]: one hash per window, fields s (window start, ms since the epoch) and u (units used).
 * ARGV: cost, then limit and window length (ms) per key.
 * Windows are aligned to the epoch on the Redis server's clock (TIME), so every gateway instance
 * agrees on the boundaries whatever its own clock says. All windows are checked before any is
 * charged: all-or-nothing. A hash whose start is not the current window counts as empty, and each
 * key expires when its window ends, so idle keys cost no memory.
 * Returns {allowed, nowMs, used_1, start_1, used_2, start_2, …}.
 */
const CONSUME_LUA = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local cost = tonumber(ARGV[1])
local starts, used, lengths = {}, {}, {}
local allowed = 1
for i = 1, #KEYS do
  local limit = tonumber(ARGV[2 * i])
  local length = tonumber(ARGV[2 * i + 1])
  local start = now - (now % length)
  local stored = redis.call('HMGET', KEYS[i], 's', 'u')
  local units = 0
  if tonumber(stored[1]) == start then units = tonumber(stored[2]) or 0 end
  starts[i], used[i], lengths[i] = start, units, length
  if units + cost > limit then allowed = 0 end
end
local reply = {allowed, now}
for i = 1, #KEYS do
  if allowed == 1 then
    used[i] = used[i] + cost
    redis.call('HSET', KEYS[i], 's', string.format('%.0f', starts[i]), 'u', used[i])
    redis.call('PEXPIREAT', KEYS[i], string.format('%.0f', starts[i] + lengths[i]))
  end
  reply[#reply + 1] = used[i]
  reply[#reply + 1] = starts[i]
end
return reply
`;

/**
 * The Redis implementation of {@link RateLimitStore}: exact across any number of gateway
 * processes, one round trip per request. Keys look like `<prefix>rl:{<key>}:<windowSeconds>`; the
 * `{…}` hash tag keeps every window of a key on one Redis Cluster node.
 *
 * @example
 * const store = createRedisRateLimitStore(await createRedisConnection({ url }), { prefix: "simpul:" });
 * await store.consume("client:dinsos-bandung", 1, [{ limit: 60, windowSeconds: 60 }]);
 */
export function createRedisRateLimitStore(
  redis: RedisConnection,
  options: RedisRateLimitOptions,
): RateLimitStore {
  const consume = defineScript(redis, "simpulRateLimitConsumeV1", CONSUME_LUA);
  return {
    async consume(key, cost, windows) {
      if (windows.length === 0) throw new Error("at least one rate-limit window is required");
      if (!Number.isSafeInteger(cost) || cost < 0) {
        throw new RangeError(`cost must be a non-negative integer, got ${cost}`);
      }
      const keys = windows.map((window) => `${options.prefix}rl:{${key}}:${window.windowSeconds}`);
      const args = [
        cost,
        ...windows.flatMap((window) => [window.limit, window.windowSeconds * 1000]),
      ];
      let reply: unknown;
      try {
        reply = await consume(keys, args);
      } catch (error) {
        throw new StoreUnavailableError("rate-limit", (error as Error).message, { cause: error });
      }
      const numbers = reply as number[];
      const allowed = numbers[0] === 1;
      const nowMs = numbers[1] ?? 0;
      return bindingDecision(
        allowed,
        windows.map((window, index) => {
          const used = numbers[2 + index * 2] ?? 0;
          const start = numbers[3 + index * 2] ?? 0;
          return {
            window,
            remaining: Math.max(0, window.limit - used),
            resetMs: start + window.windowSeconds * 1000 - nowMs,
            exceeded: used + (allowed ? 0 : cost) > window.limit,
          };
        }),
      );
    },
  };
}
