/** JSON value helpers shared by schema-document validation and the compatibility engine. */

export type JsonObject = { readonly [key: string]: unknown };

export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Structural equality of JSON values; object key order does not matter (RFC 8259 §4). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (Array.isArray(b)) return false;
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]));
  }
  return false;
}

/** Escapes one reference token (RFC 6901 §3). */
export const escapePointerToken = (token: string | number): string =>
  String(token).replaceAll("~", "~0").replaceAll("/", "~1");

export const childPointer = (pointer: string, ...tokens: (string | number)[]): string =>
  tokens.reduce<string>((acc, token) => `${acc}/${escapePointerToken(token)}`, pointer);

/** Reads a JSON pointer (RFC 6901) inside `root`; `undefined` when nothing is there. */
export function readPointer(root: unknown, pointer: string): unknown {
  if (pointer === "") return root;
  if (!pointer.startsWith("/")) return undefined;
  let node: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const token = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (Array.isArray(node)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
      node = node[Number(token)];
    } else if (isJsonObject(node)) {
      if (!Object.hasOwn(node, token)) return undefined;
      node = node[token];
    } else {
      return undefined;
    }
  }
  return node;
}

/** Keywords whose value is one subschema (JSON Schema 2020-12 Core §10, Validation §6). */
export const SINGLE_SUBSCHEMA_KEYWORDS = [
  "additionalProperties",
  "contains",
  "contentSchema",
  "else",
  "if",
  "items",
  "not",
  "propertyNames",
  "then",
  "unevaluatedItems",
  "unevaluatedProperties",
] as const;

/** Keywords whose value is an array of subschemas. */
export const ARRAY_SUBSCHEMA_KEYWORDS = ["allOf", "anyOf", "oneOf", "prefixItems"] as const;

/** Keywords whose value is an object of subschemas. */
export const MAP_SUBSCHEMA_KEYWORDS = [
  "$defs",
  "dependentSchemas",
  "patternProperties",
  "properties",
] as const;

/** A subschema and where it sits in its document. */
export interface LocatedSchema {
  readonly schema: unknown;
  readonly pointer: string;
}

/**
 * Every subschema of a document, the root first, following only schema positions: values of
 * `const`, `enum`, `default`, `examples` and unknown keywords are data and are never visited.
 */
export function* walkSubschemas(root: unknown): Generator<LocatedSchema> {
  const stack: LocatedSchema[] = [{ schema: root, pointer: "" }];
  while (stack.length > 0) {
    const current = stack.pop() as LocatedSchema;
    yield current;
    const node = current.schema;
    if (!isJsonObject(node)) continue;
    const children: LocatedSchema[] = [];
    for (const keyword of SINGLE_SUBSCHEMA_KEYWORDS) {
      if (Object.hasOwn(node, keyword)) {
        children.push({ schema: node[keyword], pointer: childPointer(current.pointer, keyword) });
      }
    }
    for (const keyword of ARRAY_SUBSCHEMA_KEYWORDS) {
      const value = node[keyword];
      if (Array.isArray(value)) {
        value.forEach((schema, i) => {
          children.push({ schema, pointer: childPointer(current.pointer, keyword, i) });
        });
      }
    }
    for (const keyword of MAP_SUBSCHEMA_KEYWORDS) {
      const value = node[keyword];
      if (isJsonObject(value)) {
        for (const [name, schema] of Object.entries(value)) {
          children.push({ schema, pointer: childPointer(current.pointer, keyword, name) });
        }
      }
    }
    stack.push(...children.reverse());
  }
}

/** `$anchor` and `$dynamicAnchor` names of a single-resource document, mapped to pointers. */
export function collectAnchors(root: unknown): Map<string, string> {
  const anchors = new Map<string, string>();
  for (const { schema, pointer } of walkSubschemas(root)) {
    if (!isJsonObject(schema)) continue;
    for (const keyword of ["$anchor", "$dynamicAnchor"]) {
      const name = schema[keyword];
      if (typeof name === "string" && !anchors.has(name)) anchors.set(name, pointer);
    }
  }
  return anchors;
}

/**
 * Turns an internal reference (`#`, `#/json/pointer`, `#anchor`) into a JSON pointer inside the
 * same document, or `undefined` when it is not internal or does not resolve. The fragment is
 * percent-decoded first (RFC 3986 §2.1, JSON Schema Core §8.2.3.1 and RFC 6901 §6).
 */
export function internalRefPointer(
  ref: string,
  root: unknown,
  anchors: ReadonlyMap<string, string>,
): string | undefined {
  if (!ref.startsWith("#")) return undefined;
  let fragment: string;
  try {
    fragment = decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
  if (fragment === "" || fragment.startsWith("/")) {
    return readPointer(root, fragment) === undefined ? undefined : fragment;
  }
  return anchors.get(fragment);
}
