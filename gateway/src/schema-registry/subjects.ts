/** Names in the schema registry: subjects, semantic versions and the `$id` of each version. */

/** Lower-case words joined by single hyphens, e.g. `person` or `region-district`; at most 64. */
export const SUBJECT_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
export const MAX_SUBJECT_LENGTH = 64;

/** Semantic Versioning 2.0.0, the regular expression suggested by semver.org. */
export const SEMVER_PATTERN =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
export const MAX_VERSION_LENGTH = 64;

/**
 * Every registered version is named by a URN (RFC 8141), an absolute URI as JSON Schema's `$id`
 * requires, that claims no web domain and is never fetched.
 */
export const SCHEMA_ID_PREFIX = "urn:simpul:schema:";

export const isSubject = (value: string): boolean =>
  value.length <= MAX_SUBJECT_LENGTH && SUBJECT_PATTERN.test(value);

export const isSemver = (value: string): boolean =>
  value.length <= MAX_VERSION_LENGTH && SEMVER_PATTERN.test(value);

/**
 * The `$id` a version must carry.
 *
 * @example
 * schemaId("person", "1.1.0"); // "urn:simpul:schema:person:1.1.0"
 */
export const schemaId = (subject: string, version: string): string =>
  `${SCHEMA_ID_PREFIX}${subject}:${version}`;

/** The subject and version a registry `$id` names, or undefined for any other URI. */
export function parseSchemaId(id: string): { subject: string; version: string } | undefined {
  if (!id.startsWith(SCHEMA_ID_PREFIX)) return undefined;
  const rest = id.slice(SCHEMA_ID_PREFIX.length);
  const colon = rest.indexOf(":");
  if (colon < 0) return undefined;
  const subject = rest.slice(0, colon);
  const version = rest.slice(colon + 1);
  return isSubject(subject) && isSemver(version) ? { subject, version } : undefined;
}

/*
 * Written by hand rather than adding the `semver` package: precedence (SemVer 2.0.0 §11) is all
 * the registry needs, and it is a few lines.
 */
/** Orders two valid versions by SemVer precedence: negative, zero or positive. */
export function compareSemver(a: string, b: string): number {
  const pa = SEMVER_PATTERN.exec(a);
  const pb = SEMVER_PATTERN.exec(b);
  if (!pa || !pb) throw new TypeError(`not semantic versions: ${a}, ${b}`);
  for (let i = 1; i <= 3; i++) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d !== 0) return d;
  }
  const preA = pa[4];
  const preB = pb[4];
  // §11.3: a version without a pre-release outranks one with it.
  if (preA === undefined || preB === undefined) {
    return preA === preB ? 0 : preA === undefined ? 1 : -1;
  }
  const idsA = preA.split(".");
  const idsB = preB.split(".");
  for (let i = 0; i < Math.max(idsA.length, idsB.length); i++) {
    const x = idsA[i];
    const y = idsB[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
    } else if (nx !== ny) {
      return nx ? -1 : 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}
