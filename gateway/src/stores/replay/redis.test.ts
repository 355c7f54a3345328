import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestRedis, useTestRedis } from "../../../../test/support/redis.ts";
import { createRedisConnection, type RedisConnection } from "../redis/connection.ts";
import { describeReplayStoreContract } from "./contract.ts";
import { createRedisReplayStore } from "./redis.ts";

let redis: TestRedis;
let connection: RedisConnection;
let run = 0;

beforeAll(async () => {
  redis = await useTestRedis();
  connection = await redis.newClient();
});
afterAll(() => redis?.cleanup());

describeReplayStoreContract("redis", async (options = {}) => ({
  store: createRedisReplayStore(connection, { ...options, prefix: `${redis.prefix}${++run}:` }),
}));

describe("redis replay store", () => {
  it("lets Redis drop each id exactly when its token expires", async () => {
    const prefix = `${redis.prefix}ttl:`;
    const store = createRedisReplayStore(connection, { prefix });
    const exp = Math.floor(Date.now() / 1000) + 120;
    await store.remember("jti-ttl", exp);
    expect(await connection.call("EXPIRETIME", `${prefix}jti:jti-ttl`)).toBe(exp);
  });

  it("refuses one use across three gateway processes", async () => {
    const prefix = `${redis.prefix}shared:`;
    const processes = await Promise.all([redis.newClient(), redis.newClient(), redis.newClient()]);
    const exp = Math.floor(Date.now() / 1000) + 60;
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        createRedisReplayStore(processes[i % 3] as RedisConnection, { prefix }).remember(
          "jti",
          exp,
        ),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("fails closed, as unavailable, when Redis cannot be reached", async () => {
    const dead = await createRedisConnection({ url: "redis://127.0.0.1:1", waitForReady: false });
    try {
      const store = createRedisReplayStore(dead, { prefix: `${redis.prefix}dead:` });
      await expect(store.remember("jti", Math.floor(Date.now() / 1000) + 60)).rejects.toMatchObject(
        { code: "STORE_UNAVAILABLE" },
      );
    } finally {
      dead.disconnect();
    }
  });
});
