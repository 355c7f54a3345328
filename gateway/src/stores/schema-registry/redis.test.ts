import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestRedis, useTestRedis } from "../../../../test/support/redis.ts";
import { schemaId } from "../../schema-registry/subjects.ts";
import { createRedisConnection, type RedisConnection } from "../redis/connection.ts";
import { describeSchemaRegistryStoreContract } from "./contract.ts";
import { seedSchemaRegistry } from "./port.ts";
import { createRedisSchemaRegistryStore } from "./redis.ts";

let redis: TestRedis;
let connection: RedisConnection;
let run = 0;

beforeAll(async () => {
  redis = await useTestRedis();
  connection = await redis.newClient();
});
afterAll(() => redis.cleanup());

describeSchemaRegistryStoreContract("redis", async (seed = []) => {
  const store = createRedisSchemaRegistryStore(connection, {
    prefix: `${redis.prefix}${++run}:`,
  });
  await seedSchemaRegistry(store, seed);
  return store;
});

const publication = (version: string) => ({
  version,
  document: {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: schemaId("person", version),
  },
  publishedBy: "walidata-bps",
  publishedAt: "2025-02-01T08:00:00.000Z",
});

describe("redis schema-registry store", () => {
  it("keeps published versions, deprecations and modes across a restart", async () => {
    const prefix = `${redis.prefix}restart:`;
    const before = createRedisSchemaRegistryStore(await redis.newClient(), { prefix });
    await before.publish("person", publication("1.0.0"), null);
    await before.publish("person", publication("1.1.0"), "1.0.0");
    await before.setMode("person", "FULL");
    await before.deprecate("person", "1.0.0", {
      successor: "1.1.0",
      deprecatedBy: "walidata-bps",
      deprecatedAt: "2025-03-01T00:00:00.000Z",
    });

    const after = createRedisSchemaRegistryStore(await redis.newClient(), { prefix });
    expect(await after.listSubjects()).toEqual([
      { subject: "person", latestVersion: "1.1.0", versionCount: 2, mode: "FULL" },
    ]);
    expect((await after.getVersion("person", "1.0.0"))?.deprecation?.successor).toBe("1.1.0");
    expect(await after.getVersion("person", "1.1.0")).toMatchObject(publication("1.1.0"));
  });

  it("lets one of three gateway processes win a publish race", async () => {
    const prefix = `${redis.prefix}shared:`;
    const processes = await Promise.all([redis.newClient(), redis.newClient(), redis.newClient()]);
    const stores = processes.map((client) => createRedisSchemaRegistryStore(client, { prefix }));
    await stores[0]?.publish("person", publication("1.0.0"), null);
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        stores[i % 3]?.publish("person", publication(`2.${i}.0`), "1.0.0"),
      ),
    );
    expect(outcomes.filter((outcome) => outcome?.ok)).toHaveLength(1);
  });

  it("fails closed, as unavailable, when Redis cannot be reached", async () => {
    const dead = await createRedisConnection({ url: "redis://127.0.0.1:1", waitForReady: false });
    try {
      const store = createRedisSchemaRegistryStore(dead, { prefix: `${redis.prefix}dead:` });
      await expect(store.publish("person", publication("1.0.0"), null)).rejects.toMatchObject({
        code: "STORE_UNAVAILABLE",
      });
    } finally {
      dead.disconnect();
    }
  });
});
