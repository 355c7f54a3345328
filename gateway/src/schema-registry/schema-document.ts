/** Admission checks for a schema document a data steward publishes to the registry. */

import {
  collectAnchors,
  escapePointerToken,
  internalRefPointer,
  isJsonObject,
  type JsonObject,
  walkSubschemas,
} from "./compat-json.ts";
import { validate as validateAgainstMetaSchema } from "./compat-meta-schema.generated.ts";

/** The only dialect the registry accepts (JSON Schema Core 2020-12 §8.1.1). */
export const SCHEMA_DIALECT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

/** Why a document was refused; a closed set so callers can map codes to problem types. */
export type SchemaDocumentProblemCode =
  | "NOT_JSON"
  | "NOT_AN_OBJECT"
  | "TOO_DEEP"
  | "TOO_LARGE"
  | "WRONG_DIALECT"
  | "MISSING_ID"
  | "INVALID_ID"
  | "INVALID_SCHEMA"
  | "INVALID_PATTERN"
  | "EMBEDDED_RESOURCE"
  | "DUPLICATE_ANCHOR"
  | "UNRESOLVED_REF"
  | "EXTERNAL_REF"
  | "EXTERNAL_DYNAMIC_REF";

export type SchemaDocumentResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly code: SchemaDocumentProblemCode;
      /** One sentence a data steward can act on. */
      readonly reason: string;
      /** JSON pointer (RFC 6901) to the offending place in the document. */
      readonly pointer: string;
    };

/** Tells whether the registry holds a schema under this absolute URI. Must not fetch. */
export type RegistryRefResolver = (uri: string) => boolean;

export interface SchemaDocumentOptions {
  /** Deepest JSON nesting accepted (objects and arrays). Default 64. */
  readonly maxDepth?: number;
  /** Most JSON values (objects, arrays, scalars, object keys included) accepted. Default 20 000. */
  readonly maxNodes?: number;
  /** Most UTF-16 code units across all strings and keys. Default 512 KiB. */
  readonly maxStringChars?: number;
}

const DEFAULT_MAX_DEPTH = 64;
const DEFAULT_MAX_NODES = 20_000;
const DEFAULT_MAX_STRING_CHARS = 512 * 1024;

type Problem = Extract<SchemaDocumentResult, { ok: false }>;

const problem = (code: SchemaDocumentProblemCode, reason: string, pointer = ""): Problem => ({
  ok: false,
  code,
  reason,
  pointer,
});

interface MetaSchemaError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly message?: string;
}
type MetaSchemaValidator = ((data: unknown) => boolean) & {
  errors?: readonly MetaSchemaError[] | null;
};

/**
 * Checks that `doc` may be published: a JSON object in the 2020-12 dialect with an absolute
 * `$id`, valid against the 2020-12 meta-schema, within size limits, with every regular
 * expression compilable, and with every `$ref` either internal (`#...`, resolving inside the
 * document) or naming a schema the registry already holds (asked through `resolveRegistryRef`;
 * without it every non-internal `$ref` is refused). Relative references such as
 * `"address.json"` are refused outright, `$dynamicRef` must be internal, and nothing is ever
 * fetched. Embedded resources (a `$id` below the root) are refused so that every `#` reference
 * means the same thing to the registry, to validators and to the compatibility engine.
 *
 * @example
 * const result = validateSchemaDocument(body, (uri) => knownIds.has(uri));
 * if (!result.ok) return problem(422, result.code, `${result.reason} (at ${result.pointer})`);
 */
export function validateSchemaDocument(
  doc: unknown,
  resolveRegistryRef?: RegistryRefResolver,
  options: SchemaDocumentOptions = {},
): SchemaDocumentResult {
  const shape = checkShape(doc, options);
  if (shape) return shape;
  if (!isJsonObject(doc)) {
    return problem("NOT_AN_OBJECT", "A schema document must be a JSON object.");
  }

  const dialect = doc.$schema;
  if (dialect !== SCHEMA_DIALECT_2020_12 && dialect !== `${SCHEMA_DIALECT_2020_12}#`) {
    return problem(
      "WRONG_DIALECT",
      `"$schema" must be "${SCHEMA_DIALECT_2020_12}"; the registry only accepts JSON Schema 2020-12.`,
      "/$schema",
    );
  }

  const id = doc.$id;
  if (id === undefined) {
    return problem("MISSING_ID", 'The document must declare its "$id".', "/$id");
  }
  if (typeof id !== "string" || !isAbsoluteUri(id) || /#./.test(id)) {
    return problem(
      "INVALID_ID",
      '"$id" must be an absolute URI without a fragment (JSON Schema Core 2020-12 §8.2.1).',
      "/$id",
    );
  }

  const validator = validateAgainstMetaSchema as MetaSchemaValidator;
  if (!validator(doc)) {
    const first = validator.errors?.[0];
    return problem(
      "INVALID_SCHEMA",
      `Not a valid JSON Schema 2020-12 document: ${first?.message ?? "rejected by the meta-schema"}` +
        (first ? ` (keyword "${first.keyword}").` : "."),
      first?.instancePath ?? "",
    );
  }

  return checkSubschemas(doc, resolveRegistryRef);
}

function isAbsoluteUri(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Iterative, so hostile nesting cannot overflow the stack before the depth limit trips; the
 * depth limit also ends a cyclic object graph (which JSON.parse cannot produce).
 */
function checkShape(doc: unknown, options: SchemaDocumentOptions): Problem | undefined {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
  const maxStringChars = options.maxStringChars ?? DEFAULT_MAX_STRING_CHARS;
  const stack: { value: unknown; depth: number; pointer: string }[] = [
    { value: doc, depth: 0, pointer: "" },
  ];
  let nodes = 0;
  let chars = 0;
  while (stack.length > 0) {
    const { value, depth, pointer } = stack.pop() as (typeof stack)[number];
    nodes += 1;
    if (nodes > maxNodes) {
      return problem("TOO_LARGE", `The document has more than ${maxNodes} JSON values.`, pointer);
    }
    if (value === null || typeof value === "boolean") continue;
    if (typeof value === "number") {
      if (!Number.isFinite(value)) return problem("NOT_JSON", "Numbers must be finite.", pointer);
      continue;
    }
    if (typeof value === "string") {
      chars += value.length;
      if (chars > maxStringChars) {
        return problem("TOO_LARGE", `Strings exceed ${maxStringChars} characters.`, pointer);
      }
      continue;
    }
    if (typeof value !== "object") {
      return problem("NOT_JSON", `A ${typeof value} is not a JSON value.`, pointer);
    }
    if (depth >= maxDepth) {
      return problem("TOO_DEEP", `The document nests deeper than ${maxDepth} levels.`, pointer);
    }
    const entries: [string, unknown][] = Array.isArray(value)
      ? value.map((item, i) => [String(i), item])
      : Object.entries(value);
    for (const [key, child] of entries) {
      chars += key.length;
      stack.push({
        value: child,
        depth: depth + 1,
        pointer: `${pointer}/${escapePointerToken(key)}`,
      });
    }
  }
  return undefined;
}

function checkSubschemas(
  doc: JsonObject,
  resolveRegistryRef: RegistryRefResolver | undefined,
): SchemaDocumentResult {
  const anchorOwners = new Map<string, string>();
  for (const { schema, pointer } of walkSubschemas(doc)) {
    if (!isJsonObject(schema)) continue;
    if (pointer !== "" && Object.hasOwn(schema, "$id")) {
      return problem(
        "EMBEDDED_RESOURCE",
        'Only the root may declare "$id"; publish embedded schemas as their own registry entries and reference them by URI.',
        `${pointer}/$id`,
      );
    }
    for (const keyword of ["$anchor", "$dynamicAnchor"]) {
      const name = schema[keyword];
      if (typeof name !== "string") continue;
      const owner = anchorOwners.get(name);
      if (owner !== undefined && owner !== pointer) {
        return problem("DUPLICATE_ANCHOR", `The anchor "${name}" is declared twice.`, pointer);
      }
      anchorOwners.set(name, pointer);
    }
    const pattern = schema.pattern;
    if (typeof pattern === "string" && !compiles(pattern)) {
      return problem(
        "INVALID_PATTERN",
        "The pattern is not a valid ECMA-262 regular expression.",
        `${pointer}/pattern`,
      );
    }
    if (isJsonObject(schema.patternProperties)) {
      for (const key of Object.keys(schema.patternProperties)) {
        if (!compiles(key)) {
          return problem(
            "INVALID_PATTERN",
            "The patternProperties key is not a valid ECMA-262 regular expression.",
            `${pointer}/patternProperties/${escapePointerToken(key)}`,
          );
        }
      }
    }
  }

  const anchors = collectAnchors(doc);
  for (const { schema, pointer } of walkSubschemas(doc)) {
    if (!isJsonObject(schema)) continue;
    const ref = schema.$ref;
    if (typeof ref === "string") {
      const refused = checkRef(ref, doc, anchors, resolveRegistryRef, `${pointer}/$ref`);
      if (refused) return refused;
    }
    const dynamicRef = schema.$dynamicRef;
    if (typeof dynamicRef === "string") {
      if (!dynamicRef.startsWith("#")) {
        return problem(
          "EXTERNAL_DYNAMIC_REF",
          `"$dynamicRef" must stay inside the document; "${dynamicRef}" points outside it.`,
          `${pointer}/$dynamicRef`,
        );
      }
      if (internalRefPointer(dynamicRef, doc, anchors) === undefined) {
        return problem(
          "UNRESOLVED_REF",
          `"${dynamicRef}" does not resolve inside the document.`,
          `${pointer}/$dynamicRef`,
        );
      }
    }
  }
  return { ok: true };
}

function checkRef(
  ref: string,
  doc: JsonObject,
  anchors: ReadonlyMap<string, string>,
  resolveRegistryRef: RegistryRefResolver | undefined,
  pointer: string,
): Problem | undefined {
  if (ref.startsWith("#")) {
    return internalRefPointer(ref, doc, anchors) === undefined
      ? problem("UNRESOLVED_REF", `"${ref}" does not resolve inside the document.`, pointer)
      : undefined;
  }
  if (!isAbsoluteUri(ref)) {
    return problem(
      "EXTERNAL_REF",
      `"${ref}" is a relative reference; use "#..." inside the document or the absolute "$id" of a registered schema.`,
      pointer,
    );
  }
  if (resolveRegistryRef?.(ref) === true) return undefined;
  return problem(
    "EXTERNAL_REF",
    `"${ref}" is not a schema held by this registry; references are never fetched from the network.`,
    pointer,
  );
}

function compiles(pattern: string): boolean {
  try {
    // Ajv compiles 2020-12 patterns with the "u" flag; refuse what it would refuse.
    new RegExp(pattern, "u");
    return true;
  } catch {
    return false;
  }
}
