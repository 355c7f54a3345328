/** Rate limits shared by every gateway process: atomic Lua scripts, one per key and turn (Node). */

import { StoreUnavailableError } from "../errors.ts";
import type { RedisConnection } from "../redis/connection.ts";
import { defineScript } from "../redis/script.ts";
import { bindingDecision } from "./memory.ts";
import type { RateLimitDecision, RateLimitStore, RateLimitWindow } from "./port.ts";

export interface RedisRateLimitOptions {
  /** Prepended to every key, e.g. `simpul:`. */
  readonly prefix: string;
}

/*
 * A batch of consumes of one key, applied one after the other in arrival order, each exactly as
 * if it had been sent alone.
 * KEYS: every consume's window keys, in order (one hash per window, fields s = window start in ms
 * since the epoch, u = units used).
 * ARGV: the number of consumes, then per consume: cost, number of windows, then limit and window
 * length (ms) per window.
 * Windows are aligned to the epoch on the Redis server's clock (TIME), so every gateway instance
 * agrees on the boundaries whatever its own clock says. Each consume checks all its windows
 * before charging any: all-or-nothing. A hash whose start is not the current window counts as
 * empty, and each key expires when its window ends, so idle keys cost no memory.
 * Returns {nowMs, then per consume: allowed, used_1, start_1, used_2, start_2, …}.
 */
const CONSUME_LUA = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local reply = {now}
local at, first = 2, 0
for _ = 1, tonumber(ARGV[1]) do
  local cost = tonumber(ARGV[at])
  local count = tonumber(ARGV[at + 1])
  local starts, used, lengths = {}, {}, {}
  local allowed = 1
  for i = 1, count do
    local limit = tonumber(ARGV[at + 2 * i])
    local length = tonumber(ARGV[at + 2 * i + 1])
    local start = now - (now % length)
    local stored = redis.call('HMGET', KEYS[first + i], 's', 'u')
    local units = 0
    if tonumber(stored[1]) == start then units = tonumber(stored[2]) or 0 end
    starts[i], used[i], lengths[i] = start, units, length
    if units + cost > limit then allowed = 0 end
  end
  reply[#reply + 1] = allowed
  for i = 1, count do
    if allowed == 1 then
      used[i] = used[i] + cost
      redis.call('HSET', KEYS[first + i], 's', string.format('%.0f', starts[i]), 'u', used[i])
      redis.call('PEXPIREAT', KEYS[first + i], string.format('%.0f', starts[i] + lengths[i]))
    end
    reply[#reply + 1] = used[i]
    reply[#reply + 1] = starts[i]
  end
  at = at + 2 + 2 * count
  first = first + count
end
return reply
`;

/** Consumes of one key sent in one script call, at most. */
const MAX_BATCH = 64;

interface PendingConsume {
  readonly cost: number;
  readonly windows: readonly RateLimitWindow[];
  readonly keys: readonly string[];
  resolve(decision: RateLimitDecision): void;
  reject(error: unknown): void;
}

/** What waits to be sent for one key, and whether a call for it is out. */
interface KeyQueue {
  readonly pending: PendingConsume[];
  inFlight: number;
  scheduled: boolean;
}

/**
 * The Redis implementation of {@link RateLimitStore}: exact across any number of gateway
 * processes. Keys look like `<prefix>rl:{<key>}:<windowSeconds>`; the `{…}` hash tag keeps every
 * window of a key on one Redis Cluster node, which is also what lets the consumes of one key
 * share a script call.
 *
 * A consume goes out at once when nothing is in flight for its key, so a lone request waits for
 * nothing; while a call for the key is out, the consumes of the rest of the event-loop turn are
 * gathered and sent as one call (one command, one socket write, one script run), applied in
 * arrival order with exactly the decisions they would have had one by one. Under load one client's
 * requests otherwise cost a script call each (load/PROFILE.md, fourth round).
 *
 * @example
 * const store = createRedisRateLimitStore(await createRedisConnection({ url }), { prefix: "simpul:" });
 * await store.consume("client:dinsos-bandung", 1, [{ limit: 60, windowSeconds: 60 }]);
 */
export function createRedisRateLimitStore(
  redis: RedisConnection,
  options: RedisRateLimitOptions,
): RateLimitStore {
  const consumeScript = defineScript(redis, "simpulRateLimitConsumeV2", CONSUME_LUA);
  const queues = new Map<string, KeyQueue>();

  const schedule = (key: string, queue: KeyQueue) => {
    if (queue.scheduled) return;
    queue.scheduled = true;
    const flush = () => send(key, queue);
    if (queue.inFlight === 0) queueMicrotask(flush);
    else setImmediate(flush);
  };

  const send = (key: string, queue: KeyQueue) => {
    queue.scheduled = false;
    const batch = queue.pending.splice(0, MAX_BATCH);
    if (queue.pending.length > 0) schedule(key, queue);
    if (batch.length === 0) return;
    const keys: string[] = [];
    const args: (string | number)[] = [batch.length];
    for (const item of batch) {
      keys.push(...item.keys);
      args.push(item.cost, item.windows.length);
      for (const window of item.windows) args.push(window.limit, window.windowSeconds * 1000);
    }
    const settled = () => {
      queue.inFlight--;
      if (queue.inFlight === 0 && queue.pending.length === 0 && !queue.scheduled) {
        queues.delete(key);
      }
    };
    queue.inFlight++;
    let call: Promise<unknown>;
    try {
      call = consumeScript(keys, args);
    } catch (error) {
      call = Promise.reject(error);
    }
    call.then(
      (reply) => {
        settled();
        distribute(batch, reply as number[]);
      },
      (error: unknown) => {
        settled();
        const failure = new StoreUnavailableError("rate-limit", (error as Error).message, {
          cause: error,
        });
        for (const item of batch) item.reject(failure);
      },
    );
  };

  const distribute = (batch: readonly PendingConsume[], numbers: readonly number[]) => {
    const nowMs = numbers[0] ?? 0;
    let at = 1;
    for (const item of batch) {
      const allowed = numbers[at] === 1;
      const states = item.windows.map((window, index) => {
        const used = numbers[at + 1 + index * 2] ?? 0;
        const start = numbers[at + 2 + index * 2] ?? 0;
        return {
          window,
          remaining: Math.max(0, window.limit - used),
          resetMs: start + window.windowSeconds * 1000 - nowMs,
          exceeded: used + (allowed ? 0 : item.cost) > window.limit,
        };
      });
      at += 1 + item.windows.length * 2;
      item.resolve(bindingDecision(allowed, states));
    }
  };

  return {
    consume(key, cost, windows) {
      if (windows.length === 0) {
        return Promise.reject(new Error("at least one rate-limit window is required"));
      }
      if (!Number.isSafeInteger(cost) || cost < 0) {
        return Promise.reject(new RangeError(`cost must be a non-negative integer, got ${cost}`));
      }
      const keys = windows.map((window) => `${options.prefix}rl:{${key}}:${window.windowSeconds}`);
      let queue = queues.get(key);
      if (queue === undefined) {
        queue = { pending: [], inFlight: 0, scheduled: false };
        queues.set(key, queue);
      }
      const target = queue;
      return new Promise<RateLimitDecision>((resolve, reject) => {
        target.pending.push({ cost, windows, keys, resolve, reject });
        schedule(key, target);
      });
    },
  };
}
