import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aroundScript, type TestRedis, useTestRedis } from "../../../../test/support/redis.ts";
import { createRedisConnection, type RedisConnection } from "../redis/connection.ts";
import { describeRateLimitStoreContract } from "./contract.ts";
import type { RateLimitDecision } from "./port.ts";
import { createRedisRateLimitStore } from "./redis.ts";

let redis: TestRedis;
let connection: RedisConnection;
let run = 0;

beforeAll(async () => {
  redis = await useTestRedis();
  connection = await redis.newClient();
});
afterAll(() => redis?.cleanup());

describeRateLimitStoreContract("redis", async () => {
  const prefix = `${redis.prefix}${++run}:`;
  return { store: createRedisRateLimitStore(connection, { prefix }), key: (suffix) => suffix };
});

describe("redis rate-limit store", () => {
  it("admits exactly the limit when three gateway processes hammer one key", async () => {
    const processes = await Promise.all([redis.newClient(), redis.newClient(), redis.newClient()]);
    const stores = processes.map((client) =>
      createRedisRateLimitStore(client, { prefix: `${redis.prefix}shared:` }),
    );
    const windows = [
      { limit: 137, windowSeconds: 3_600 },
      { limit: 1_000, windowSeconds: 86_400 },
    ];
    const decisions = await Promise.all(
      Array.from({ length: 600 }, (_, i) => stores[i % 3]?.consume("client:hammered", 1, windows)),
    );
    const admitted = decisions.filter((decision) => decision?.allowed).length;
    expect(admitted, "three processes together must admit exactly the hourly limit").toBe(137);
  });

  it("sends one key's consumes of one turn as one call, with the decisions of one at a time", async () => {
    const calls: number[] = [];
    const counted = aroundScript(connection, "simpulRateLimitConsumeV2", (args, call) => {
      // ARGV[1], after numberOfKeys and the keys, is how many consumes the call carries.
      calls.push(Number(args[1 + (args[0] as number)]));
      return call();
    });
    const store = createRedisRateLimitStore(counted, { prefix: `${redis.prefix}turn:` });
    const windows = [
      { limit: 4, windowSeconds: 3_600 },
      { limit: 100, windowSeconds: 86_400 },
    ];
    // Six requests of one client handled in one turn, each in a callback of its own, and one of
    // another client. The first of each key finds nothing in flight and goes at once; the other
    // five of the first key wait for the end of the turn and travel together.
    const decisions = await Promise.all(
      ["a", "a", "b", "a", "a", "a", "a"].map(
        (client) =>
          new Promise<RateLimitDecision>((resolve, reject) =>
            setImmediate(() => store.consume(`client:${client}`, 1, windows).then(resolve, reject)),
          ),
      ),
    );
    expect(calls.sort()).toEqual([1, 1, 5]);
    const ofA = decisions.filter((_, i) => i !== 2);
    expect(ofA.map((decision) => decision.allowed)).toEqual([true, true, true, true, false, false]);
    expect(ofA.map((decision) => decision.remaining)).toEqual([3, 2, 1, 0, 0, 0]);
    expect(decisions[2]).toMatchObject({ allowed: true, remaining: 3, limit: 4 });
  });

  it("fails every consume of a call together when Redis refuses it", async () => {
    const broken = aroundScript(connection, "simpulRateLimitConsumeV2", () =>
      Promise.reject(new Error("READONLY You can't write against a read only replica.")),
    );
    const store = createRedisRateLimitStore(broken, { prefix: `${redis.prefix}refused:` });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 3 }, () =>
        store.consume("client:x", 1, [{ limit: 9, windowSeconds: 60 }]),
      ),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["rejected", "rejected", "rejected"]);
    for (const outcome of outcomes) {
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({
        code: "STORE_UNAVAILABLE",
      });
    }
  });

  it("aligns windows to the Redis clock and lets keys expire with their window", async () => {
    const store = createRedisRateLimitStore(connection, { prefix: `${redis.prefix}ttl:` });
    const decision = await store.consume("client:ttl", 2, [{ limit: 5, windowSeconds: 60 }]);
    const [seconds, micros] = await connection.time();
    const nowMs = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    const expectedReset = Math.ceil((60_000 - (nowMs % 60_000)) / 1000);
    expect(Math.abs(decision.resetSeconds - expectedReset)).toBeLessThanOrEqual(1);
    const ttl = await connection.pttl(`${redis.prefix}ttl:rl:{client:ttl}:60`);
    expect(ttl, "the counter must expire at the end of its window").toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it("fails fast, as unavailable, when Redis cannot be reached", async () => {
    const dead = await createRedisConnection({ url: "redis://127.0.0.1:1", waitForReady: false });
    try {
      const store = createRedisRateLimitStore(dead, { prefix: `${redis.prefix}dead:` });
      await expect(store.consume("k", 1, [{ limit: 1, windowSeconds: 1 }])).rejects.toMatchObject({
        code: "STORE_UNAVAILABLE",
      });
    } finally {
      dead.disconnect();
    }
  });
});
