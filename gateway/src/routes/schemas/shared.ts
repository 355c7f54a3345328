/** Shapes and steps shared by the schema-registry routes: names, admission and judgement. */
import { z } from "@hono/zod-openapi";
import type { ErrorCode } from "../../errors/codes.ts";
import { PROBLEM_CONTENT_TYPE, ProblemError, ProblemSchema } from "../../errors/problem.ts";
import {
  COMPATIBILITY_MODES,
  type CompatibilityResult,
  checkCompatibility,
  DIFFERENCE_CODES,
} from "../../schema-registry/compatibility.ts";
import { validateSchemaDocument } from "../../schema-registry/schema-document.ts";
import {
  MAX_SUBJECT_LENGTH,
  MAX_VERSION_LENGTH,
  parseSchemaId,
  SEMVER_PATTERN,
  SUBJECT_PATTERN,
  schemaId,
} from "../../schema-registry/subjects.ts";
import type {
  SchemaRegistryStore,
  SchemaVersionRecord,
} from "../../stores/schema-registry/port.ts";

/** Schema documents are bigger than other bodies: the 7 000+ district codes are ~300 KiB. */
export const MAX_SCHEMA_BODY_BYTES = 1024 * 1024;
/** JSON values a document may hold (the district code list holds ~22 000). */
const MAX_SCHEMA_NODES = 100_000;

/** Problems of the JSON-body operations, besides authentication. */
export const JSON_BODY_PROBLEMS: readonly ErrorCode[] = [
  "MALFORMED_JSON",
  "UNKNOWN_PROPERTY",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
];

export const SubjectParam = z
  .string()
  .max(MAX_SUBJECT_LENGTH)
  .regex(
    SUBJECT_PATTERN,
    "A subject is lower-case words joined by hyphens, e.g. `region-district`.",
  )
  .openapi({ param: { name: "subject", in: "path" }, example: "person" });

export const Semver = z
  .string()
  .max(MAX_VERSION_LENGTH)
  .regex(SEMVER_PATTERN, "A version is a semantic version such as `1.2.0`.")
  .openapi({ example: "1.1.0" });

export const SubjectParams = z.object({ subject: SubjectParam });
export const VersionParams = z.object({
  subject: SubjectParam,
  version: Semver.openapi({ param: { name: "version", in: "path" }, example: "1.0.0" }),
});

export const CompatibilityMode = z.enum(COMPATIBILITY_MODES).openapi("CompatibilityMode", {
  description:
    "Confluent's meaning: BACKWARD (new readers read old data), FORWARD (old readers read new data), FULL (both), NONE; `_TRANSITIVE` checks every version, not only the latest.",
});

export const SchemaDocument = z.record(z.string(), z.unknown()).openapi("SchemaDocument", {
  description:
    'A JSON Schema 2020-12 document whose `$id` is `urn:simpul:schema:<subject>:<version>`. `$ref` may point inside the document ("#...") or at a registered version\'s `$id`; nothing is fetched.',
});

export const SchemaVersionSummary = z
  .object({
    subject: z.string(),
    version: z.string(),
    id: z.string().openapi({ description: "The version's `$id`." }),
    publishedBy: z.string().openapi({ description: "Client id of the steward who published it." }),
    publishedAt: z.iso.datetime(),
    deprecated: z.boolean(),
    successor: z.string().nullable(),
    deprecatedBy: z.string().optional(),
    deprecatedAt: z.iso.datetime().optional(),
  })
  .strict()
  .openapi("SchemaVersionSummary");

export const SchemaVersion = SchemaVersionSummary.extend({ document: SchemaDocument })
  .strict()
  .openapi("SchemaVersion");

export const SchemaDifference = z
  .object({
    pointer: z.string().openapi({ description: "JSON pointer into the candidate (RFC 6901)." }),
    olderPointer: z.string().optional(),
    change: z.enum(DIFFERENCE_CODES),
    description: z.string(),
    breaking: z
      .boolean()
      .openapi({ description: "Whether this difference alone breaks the mode." }),
    against: z.string().openapi({ description: "The published version it was compared with." }),
    verdict: z.string().openapi({ description: "Why it breaks the mode, or why it does not." }),
  })
  .strict()
  .openapi("SchemaDifference");

export const CompatibilityReport = z
  .object({
    subject: z.string(),
    mode: CompatibilityMode,
    compatible: z.boolean(),
    checkedAgainst: z.array(z.string()),
    differences: z.array(SchemaDifference),
  })
  .strict()
  .openapi("CompatibilityReport");
export type CompatibilityReport = z.infer<typeof CompatibilityReport>;

/** The 409 answered when a candidate breaks the mode: the problem plus what breaks. */
export const IncompatibleProblem = ProblemSchema.extend({
  mode: CompatibilityMode.optional(),
  differences: z.array(SchemaDifference).optional(),
}).openapi("SchemaIncompatibleProblem");

export const incompatibleResponse = {
  description:
    "Problem: SCHEMA_INCOMPATIBLE (with `differences`), SCHEMA_VERSION_EXISTS, SCHEMA_VERSION_NOT_NEWER, SCHEMA_PUBLISH_CONFLICT",
  content: { [PROBLEM_CONTENT_TYPE]: { schema: IncompatibleProblem } },
};

export function summaryOf(record: SchemaVersionRecord): z.infer<typeof SchemaVersionSummary> {
  return {
    subject: record.subject,
    version: record.version,
    id: typeof record.document.$id === "string" ? record.document.$id : "",
    publishedBy: record.publishedBy,
    publishedAt: record.publishedAt,
    deprecated: record.deprecation !== undefined,
    successor: record.deprecation?.successor ?? null,
    ...(record.deprecation
      ? {
          deprecatedBy: record.deprecation.deprecatedBy,
          deprecatedAt: record.deprecation.deprecatedAt,
        }
      : {}),
  };
}

export const notFound = (subject: string, version?: string) =>
  new ProblemError(
    "SCHEMA_NOT_FOUND",
    version === undefined
      ? `The registry has no subject \`${subject}\`.`
      : `The subject \`${subject}\` has no version ${version}.`,
  );

function* refsOf(value: unknown): Generator<string> {
  if (Array.isArray(value)) for (const item of value) yield* refsOf(item);
  else if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      if (key === "$ref" && typeof child === "string") yield child;
      else yield* refsOf(child);
    }
  }
}

/**
 * Admits a candidate document for `subject` or throws SCHEMA_INVALID (422) with the reason and
 * a pointer. Its `$id` must name this subject (and `version`, when given); references to other
 * registered versions must exist; nothing is ever fetched. Resolves with the version the `$id`
 * names.
 */
export async function admitDocument(
  store: SchemaRegistryStore,
  subject: string,
  document: unknown,
  version?: string,
): Promise<string> {
  const invalid = (code: string, reason: string, pointer: string) =>
    new ProblemError("SCHEMA_INVALID", reason, {
      schemaProblem: code,
      errors: [{ pointer: `/document${pointer}`, detail: reason }],
    });
  const known = new Set<string>();
  for (const ref of new Set(refsOf(document))) {
    const named = parseSchemaId(ref);
    if (named && (await store.getVersion(named.subject, named.version))) known.add(ref);
  }
  const result = validateSchemaDocument(document, (uri) => known.has(uri), {
    maxNodes: MAX_SCHEMA_NODES,
  });
  if (!result.ok) throw invalid(result.code, `${result.reason}`, result.pointer);
  const doc = document as Record<string, unknown>;
  const named = parseSchemaId(String(doc.$id));
  const expected = schemaId(subject, version ?? "<version>");
  if (named === undefined || named.subject !== subject || (version && named.version !== version)) {
    throw invalid("ID_MISMATCH", `"$id" must be "${expected}".`, "/$id");
  }
  if (doc.version !== undefined && doc.version !== named.version) {
    throw invalid(
      "VERSION_MISMATCH",
      `"version" says ${JSON.stringify(doc.version)} but "$id" names ${named.version}.`,
      "/version",
    );
  }
  return named.version;
}

/** Judges `document` against the subject's published versions under its mode. */
export async function judge(
  store: SchemaRegistryStore,
  subject: string,
  document: unknown,
  versions: readonly SchemaVersionRecord[],
): Promise<{ result: CompatibilityResult; report: CompatibilityReport }> {
  const mode = await store.getMode(subject);
  const result = checkCompatibility(
    mode,
    document,
    versions.map((record) => record.document),
  );
  const checked = mode.endsWith("_TRANSITIVE") ? versions : versions.slice(-1);
  return {
    result,
    report: {
      subject,
      mode,
      compatible: result.compatible,
      checkedAgainst: checked.map((record) => record.version),
      differences: result.differences.map(({ against, olderPointer, ...difference }) => ({
        ...difference,
        ...(olderPointer === undefined ? {} : { olderPointer }),
        against: versions[against]?.version ?? "",
      })),
    },
  };
}
