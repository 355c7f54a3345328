import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestRedis, useTestRedis } from "../../../../test/support/redis.ts";
import { createRedisConnection, type RedisConnection } from "../redis/connection.ts";
import { describeRateLimitStoreContract } from "./contract.ts";
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
