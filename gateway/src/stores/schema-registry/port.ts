/** The schema-registry store port: versioned documents per subject, published atomically. */
import type { CompatibilityMode } from "../../schema-registry/compatibility.ts";
import { compareSemver } from "../../schema-registry/subjects.ts";

/** Confluent Schema Registry's default: consumers on a new version can read older data. */
export const DEFAULT_COMPATIBILITY_MODE: CompatibilityMode = "BACKWARD";

export interface SchemaPublication {
  /** Semantic version, strictly greater than every version already published. */
  readonly version: string;
  /** The JSON Schema document, already admitted by `validateSchemaDocument`. */
  readonly document: Readonly<Record<string, unknown>>;
  /** The client id of the data steward who published it. */
  readonly publishedBy: string;
  /** ISO 8601 instant. */
  readonly publishedAt: string;
}

export interface SchemaDeprecation {
  /** The version to use instead. */
  readonly successor: string;
  readonly deprecatedBy: string;
  readonly deprecatedAt: string;
}

export interface SchemaVersionRecord extends SchemaPublication {
  readonly subject: string;
  /** Present once the version is deprecated; published versions are otherwise immutable. */
  readonly deprecation?: SchemaDeprecation;
}

export interface SubjectSummary {
  readonly subject: string;
  readonly latestVersion: string;
  readonly versionCount: number;
  readonly mode: CompatibilityMode;
}

export type PublishOutcome =
  | { readonly ok: true; readonly record: SchemaVersionRecord }
  /** The version is already published under this subject. */
  | { readonly ok: false; readonly reason: "VERSION_EXISTS"; readonly latest: string | null }
  /** The latest version is no longer `expectedLatest` (someone published meanwhile). */
  | { readonly ok: false; readonly reason: "STALE"; readonly latest: string | null }
  /** The version does not come after the latest one in SemVer precedence. */
  | { readonly ok: false; readonly reason: "NOT_NEWER"; readonly latest: string | null };

export type DeprecateOutcome =
  | { readonly ok: true; readonly record: SchemaVersionRecord }
  | { readonly ok: false; readonly reason: "VERSION_NOT_FOUND" | "SUCCESSOR_NOT_FOUND" };

export interface SchemaRegistryStore {
  /** Every subject with at least one version, ordered by name. */
  listSubjects(): Promise<readonly SubjectSummary[]>;
  /** The versions of `subject`, oldest first (also SemVer order); empty when unknown. */
  listVersions(subject: string): Promise<readonly SchemaVersionRecord[]>;
  getVersion(subject: string, version: string): Promise<SchemaVersionRecord | undefined>;
  /**
   * Publishes a version if, and only if, the subject's latest version is still `expectedLatest`
   * (`null`: the subject has none) and `version` comes after it. Atomic: of concurrent publishes
   * that expected the same latest version, exactly one succeeds, so no compatibility check can
   * be bypassed by racing it.
   */
  publish(
    subject: string,
    publication: SchemaPublication,
    expectedLatest: string | null,
  ): Promise<PublishOutcome>;
  setMode(subject: string, mode: CompatibilityMode): Promise<void>;
  /** The subject's mode, or {@link DEFAULT_COMPATIBILITY_MODE} when none was set. */
  getMode(subject: string): Promise<CompatibilityMode>;
  /** Marks `version` deprecated in favour of `successor`; both must be published. */
  deprecate(
    subject: string,
    version: string,
    deprecation: SchemaDeprecation,
  ): Promise<DeprecateOutcome>;
}

/** A version to load at start-up, e.g. the canonical `schemas/*.schema.json`. */
export interface SchemaSeed extends SchemaPublication {
  readonly subject: string;
}

/**
 * Loads seeds into any store, oldest version first, skipping versions it already holds, so a
 * restart over a shared store (Redis) keeps what stewards published since.
 */
export async function seedSchemaRegistry(
  store: SchemaRegistryStore,
  seeds: readonly SchemaSeed[],
): Promise<void> {
  const ordered = [...seeds].sort(
    (a, b) => a.subject.localeCompare(b.subject) || compareSemver(a.version, b.version),
  );
  for (const { subject, ...publication } of ordered) {
    const versions = await store.listVersions(subject);
    if (versions.some((record) => record.version === publication.version)) continue;
    const latest = versions.at(-1)?.version ?? null;
    if (latest !== null && compareSemver(publication.version, latest) <= 0) continue;
    await store.publish(subject, publication, latest);
  }
}
