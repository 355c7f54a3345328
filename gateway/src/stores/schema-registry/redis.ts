/** A schema registry shared by every gateway process, kept in Redis (Node only). */
import {
  type CompatibilityMode,
  isCompatibilityMode,
} from "../../schema-registry/compatibility.ts";
import { compareSemver } from "../../schema-registry/subjects.ts";
import { StoreUnavailableError } from "../errors.ts";
import type { RedisConnection } from "../redis/connection.ts";
import { defineScript } from "../redis/script.ts";
import {
  DEFAULT_COMPATIBILITY_MODE,
  type SchemaDeprecation,
  type SchemaPublication,
  type SchemaRegistryStore,
  type SchemaVersionRecord,
} from "./port.ts";

export interface RedisSchemaRegistryOptions {
  /** Prepended to every key, e.g. `simpul:`. */
  readonly prefix: string;
}

/*
 * KEYS[1]: the subject's version list; KEYS[2]: the new version's document key.
 * ARGV: expected latest version ('' for none), version, record JSON, '1' when the version comes
 * after the expected latest (SemVer precedence is decided in TypeScript; it only holds when the
 * latest is still the expected one, which the script checks first).
 * Check and write run as one script, so two publishes racing on one subject cannot both win.
 */
const PUBLISH_LUA = `
local latest = redis.call('LINDEX', KEYS[1], -1)
if not latest then latest = '' end
if redis.call('EXISTS', KEYS[2]) == 1 then return {'VERSION_EXISTS', latest} end
if latest ~= ARGV[1] then return {'STALE', latest} end
if ARGV[4] ~= '1' then return {'NOT_NEWER', latest} end
redis.call('SET', KEYS[2], ARGV[3])
redis.call('RPUSH', KEYS[1], ARGV[2])
return {'OK', ARGV[2]}
`;

/* KEYS: the version's document, the successor's document, the subject's deprecation hash. */
const DEPRECATE_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 'VERSION_NOT_FOUND' end
if redis.call('EXISTS', KEYS[2]) == 0 then return 'SUCCESSOR_NOT_FOUND' end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
return 'OK'
`;

/**
 * The Redis implementation of {@link SchemaRegistryStore}. Keys look like
 * `<prefix>sr:{<subject>}:versions|v:<version>|deprecated|mode`; the `{…}` hash tag keeps one
 * subject on one Redis Cluster node so its scripts run there. `<prefix>sr:subjects` indexes the
 * subjects and is written before each publish, so a subject is never published but unlisted.
 *
 * @example
 * const registry = createRedisSchemaRegistryStore(redis, { prefix: "simpul:" });
 * await seedSchemaRegistry(registry, canonicalSeeds);
 */
export function createRedisSchemaRegistryStore(
  redis: RedisConnection,
  options: RedisSchemaRegistryOptions,
): SchemaRegistryStore {
  const publishScript = defineScript(redis, "simpulSchemaPublishV1", PUBLISH_LUA);
  const deprecateScript = defineScript(redis, "simpulSchemaDeprecateV1", DEPRECATE_LUA);
  const subjectsKey = `${options.prefix}sr:subjects`;
  const key = (subject: string, suffix: string) => `${options.prefix}sr:{${subject}}:${suffix}`;

  const guard = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw new StoreUnavailableError("schema-registry", (error as Error).message, {
        cause: error,
      });
    }
  };

  const toRecord = (
    subject: string,
    stored: string,
    deprecation: string | null | undefined,
  ): SchemaVersionRecord => ({
    subject,
    ...(JSON.parse(stored) as SchemaPublication),
    ...(deprecation ? { deprecation: JSON.parse(deprecation) as SchemaDeprecation } : {}),
  });

  const readMode = (stored: string | null): CompatibilityMode =>
    isCompatibilityMode(stored) ? stored : DEFAULT_COMPATIBILITY_MODE;

  const listVersions = (subject: string) =>
    guard(async () => {
      const versions = await redis.lrange(key(subject, "versions"), 0, -1);
      if (versions.length === 0) return [];
      const [documents, deprecations] = await Promise.all([
        redis.mget(...versions.map((version) => key(subject, `v:${version}`))),
        redis.hgetall(key(subject, "deprecated")),
      ]);
      return versions.flatMap((version, index) => {
        const stored = documents[index];
        return stored ? [toRecord(subject, stored, deprecations[version])] : [];
      });
    });

  return {
    listSubjects: () =>
      guard(async () => {
        const names = (await redis.smembers(subjectsKey)).sort();
        const rows = await Promise.all(
          names.map(async (subject) => {
            const [count, latest, mode] = await Promise.all([
              redis.llen(key(subject, "versions")),
              redis.lindex(key(subject, "versions"), -1),
              redis.get(key(subject, "mode")),
            ]);
            return {
              subject,
              latestVersion: latest ?? "",
              versionCount: count,
              mode: readMode(mode),
            };
          }),
        );
        return rows.filter((row) => row.versionCount > 0);
      }),
    listVersions,
    getVersion: (subject, version) =>
      guard(async () => {
        const [stored, deprecation] = await Promise.all([
          redis.get(key(subject, `v:${version}`)),
          redis.hget(key(subject, "deprecated"), version),
        ]);
        return stored === null ? undefined : toRecord(subject, stored, deprecation);
      }),
    publish: (subject, publication, expectedLatest) =>
      guard(async () => {
        await redis.sadd(subjectsKey, subject);
        const newer =
          expectedLatest === null || compareSemver(publication.version, expectedLatest) > 0;
        const reply = (await publishScript(
          [key(subject, "versions"), key(subject, `v:${publication.version}`)],
          [
            expectedLatest ?? "",
            publication.version,
            JSON.stringify(publication),
            newer ? "1" : "0",
          ],
        )) as [string, string];
        const [status, latestText] = reply;
        if (status === "OK") return { ok: true, record: { subject, ...publication } };
        const latest = latestText === "" ? null : latestText;
        if (status === "VERSION_EXISTS" || status === "STALE" || status === "NOT_NEWER") {
          return { ok: false, reason: status, latest };
        }
        throw new Error(`unexpected publish reply ${status}`);
      }),
    setMode: (subject, mode) =>
      guard(async () => {
        await redis.set(key(subject, "mode"), mode);
      }),
    getMode: (subject) => guard(async () => readMode(await redis.get(key(subject, "mode")))),
    deprecate: (subject, version, deprecation) =>
      guard(async () => {
        const status = await deprecateScript(
          [
            key(subject, `v:${version}`),
            key(subject, `v:${deprecation.successor}`),
            key(subject, "deprecated"),
          ],
          [version, JSON.stringify(deprecation)],
        );
        if (status === "VERSION_NOT_FOUND" || status === "SUCCESSOR_NOT_FOUND") {
          return { ok: false, reason: status };
        }
        const stored = await redis.get(key(subject, `v:${version}`));
        if (stored === null) return { ok: false, reason: "VERSION_NOT_FOUND" };
        return { ok: true, record: toRecord(subject, stored, JSON.stringify(deprecation)) };
      }),
  };
}
