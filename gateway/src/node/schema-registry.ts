/** The schema registry for Node: Redis when the stores use it, else memory; seeded from `schemas/`. */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseSchemaId } from "../schema-registry/subjects.ts";
import type { RedisConnection } from "../stores/redis/connection.ts";
import { createMemorySchemaRegistryStore } from "../stores/schema-registry/memory.ts";
import {
  type SchemaRegistryStore,
  type SchemaSeed,
  seedSchemaRegistry,
} from "../stores/schema-registry/port.ts";
import { createRedisSchemaRegistryStore } from "../stores/schema-registry/redis.ts";

const SCHEMAS_DIR = fileURLToPath(new URL("../../../schemas/", import.meta.url));

/** Published by the repository itself, on the day recorded in each document's `x-sdi`. */
export const CANONICAL_PUBLISHER = "simpul-canonical";

export function loadCanonicalSchemas(dir: string = SCHEMAS_DIR): SchemaSeed[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".schema.json"))
    .sort()
    .map((file) => {
      const document = JSON.parse(readFileSync(`${dir}/${file}`, "utf8")) as Record<
        string,
        unknown
      >;
      const named = parseSchemaId(String(document.$id));
      if (named === undefined) throw new Error(`${file}: "$id" is not a registry id`);
      const released = (document["x-sdi"] as { released?: string } | undefined)?.released;
      return {
        subject: named.subject,
        version: named.version,
        document,
        publishedBy: CANONICAL_PUBLISHER,
        publishedAt: new Date(`${released ?? "1970-01-01"}T00:00:00Z`).toISOString(),
      };
    });
}

/**
 * Over Redis, canonical versions the registry lacks are published at start-up and everything
 * stewards published since is kept; in memory the registry starts from the canonical ones.
 */
export async function buildSchemaRegistry(
  redis: RedisConnection | undefined,
  prefix: string,
): Promise<SchemaRegistryStore> {
  const seeds = loadCanonicalSchemas();
  if (redis === undefined) return createMemorySchemaRegistryStore({ seed: seeds });
  const store = createRedisSchemaRegistryStore(redis, { prefix });
  await seedSchemaRegistry(store, seeds);
  return store;
}
