/** An in-process schema registry: exact for one process; use the Redis store for several. */
import type { CompatibilityMode } from "../../schema-registry/compatibility.ts";
import { compareSemver } from "../../schema-registry/subjects.ts";
import {
  DEFAULT_COMPATIBILITY_MODE,
  type SchemaRegistryStore,
  type SchemaSeed,
  type SchemaVersionRecord,
} from "./port.ts";

interface Subject {
  versions: SchemaVersionRecord[];
  mode?: CompatibilityMode;
}

/**
 * The memory implementation of {@link SchemaRegistryStore}. `seed` is an injected list (the
 * Node entry reads `schemas/*.schema.json`), so this module needs no file system.
 *
 * @example
 * const registry = createMemorySchemaRegistryStore({ seed: canonicalSeeds });
 * await registry.getVersion("person", "1.0.0");
 */
export function createMemorySchemaRegistryStore(
  options: { readonly seed?: readonly SchemaSeed[] } = {},
): SchemaRegistryStore {
  const subjects = new Map<string, Subject>();
  const subjectOf = (name: string) => {
    let subject = subjects.get(name);
    if (subject === undefined) {
      subject = { versions: [] };
      subjects.set(name, subject);
    }
    return subject;
  };
  const seeds = [...(options.seed ?? [])].sort((a, b) => compareSemver(a.version, b.version));
  for (const { subject, ...publication } of seeds) {
    const versions = subjectOf(subject).versions;
    if (versions.some((record) => record.version === publication.version)) continue;
    versions.push(structuredClone({ subject, ...publication }));
  }
  // Callers get copies, so nothing outside can change a published version.
  const copy = <T>(value: T): T => structuredClone(value);

  return {
    async listSubjects() {
      return [...subjects]
        .filter(([, subject]) => subject.versions.length > 0)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, subject]) => ({
          subject: name,
          latestVersion: subject.versions.at(-1)?.version ?? "",
          versionCount: subject.versions.length,
          mode: subject.mode ?? DEFAULT_COMPATIBILITY_MODE,
        }));
    },
    async listVersions(subject) {
      return copy(subjects.get(subject)?.versions ?? []);
    },
    async getVersion(subject, version) {
      const found = subjects.get(subject)?.versions.find((record) => record.version === version);
      return found && copy(found);
    },
    async publish(subject, publication, expectedLatest) {
      // No await between the check and the write: atomic within this process.
      const versions = subjectOf(subject).versions;
      const latest = versions.at(-1)?.version ?? null;
      if (versions.some((record) => record.version === publication.version)) {
        return { ok: false, reason: "VERSION_EXISTS", latest };
      }
      if (latest !== expectedLatest) return { ok: false, reason: "STALE", latest };
      if (latest !== null && compareSemver(publication.version, latest) <= 0) {
        return { ok: false, reason: "NOT_NEWER", latest };
      }
      const record: SchemaVersionRecord = copy({ subject, ...publication });
      versions.push(record);
      return { ok: true, record: copy(record) };
    },
    async setMode(subject, mode) {
      subjectOf(subject).mode = mode;
    },
    async getMode(subject) {
      return subjects.get(subject)?.mode ?? DEFAULT_COMPATIBILITY_MODE;
    },
    async deprecate(subject, version, deprecation) {
      const versions = subjects.get(subject)?.versions ?? [];
      const index = versions.findIndex((record) => record.version === version);
      const current = versions[index];
      if (current === undefined) return { ok: false, reason: "VERSION_NOT_FOUND" };
      if (!versions.some((record) => record.version === deprecation.successor)) {
        return { ok: false, reason: "SUCCESSOR_NOT_FOUND" };
      }
      const record: SchemaVersionRecord = { ...current, deprecation: { ...deprecation } };
      versions[index] = record;
      return { ok: true, record: copy(record) };
    },
  };
}
