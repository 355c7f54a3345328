/** Keyword-by-keyword set-inclusion comparison of two JSON Schema 2020-12 documents. */

import {
  childPointer,
  collectAnchors,
  internalRefPointer,
  isJsonObject,
  type JsonObject,
  jsonEqual,
  type LocatedSchema,
  readPointer,
  walkSubschemas,
} from "./compat-json.ts";
import type { Difference, DifferenceCode } from "./compat-types.ts";

/*
 * Why this is written by hand: no maintained JavaScript library decides inclusion between JSON
 * Schema 2020-12 documents. Each schema object is a conjunction of keyword constraints, so if
 * every keyword of the newer schema is implied by its counterpart in the older one, every older
 * document is a newer document (and the same the other way round). Comparing keyword pairs is
 * therefore sound; where a pair cannot be decided the difference is reported as not included
 * ("could not prove"), which may over-report breakage but never hides it.
 */

/** Keywords that constrain instances or apply subschemas; every other keyword is an annotation. */
const ASSERTION_KEYWORDS = new Set([
  "type",
  "enum",
  "const",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "items",
  "prefixItems",
  "minItems",
  "maxItems",
  "uniqueItems",
  "contains",
  "minContains",
  "maxContains",
  "unevaluatedItems",
  "properties",
  "required",
  "additionalProperties",
  "patternProperties",
  "minProperties",
  "maxProperties",
  "propertyNames",
  "dependentRequired",
  "dependentSchemas",
  "unevaluatedProperties",
  "allOf",
  "anyOf",
  "oneOf",
  "not",
  "if",
  "then",
  "else",
  "$ref",
  "$dynamicRef",
]);

/** Structure, not annotation: `$defs` are compared where they are referenced. */
const STRUCTURAL_KEYWORDS = new Set(["$defs"]);

/** Keywords that make `unevaluatedProperties` depend on more than this schema object. */
const IN_PLACE_APPLICATORS = [
  "$ref",
  "$dynamicRef",
  "allOf",
  "anyOf",
  "oneOf",
  "if",
  "then",
  "else",
  "dependentSchemas",
];

type Family = "number" | "string" | "array" | "object";
type Slot = "SCHEMA" | "ITEMS" | "ADDITIONAL_PROPERTIES";

const TYPE_NAMES = ["array", "boolean", "integer", "null", "number", "object", "string"] as const;

/** Limits that keep a hostile or huge pair of schemas from running away. */
export interface CompareOptions {
  /** Most subschema pairs visited, probes included. Default 20 000. */
  readonly maxComparisons?: number;
  /** Deepest nesting of subschema pairs. Default 200. */
  readonly maxDepth?: number;
}

interface Side {
  readonly root: unknown;
  readonly anchors: ReadonlyMap<string, string>;
  readonly name: "older" | "newer";
}

interface Inclusion {
  readonly newerAcceptsAllOfOlder: boolean;
  readonly olderAcceptsAllOfNewer: boolean;
}

const TRUE_SCHEMA = true;

const show = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

const summarize = (diffs: readonly Difference[]): Inclusion => ({
  newerAcceptsAllOfOlder: diffs.every((d) => d.newerAcceptsAllOfOlder),
  olderAcceptsAllOfNewer: diffs.every((d) => d.olderAcceptsAllOfNewer),
});

const isTrivial = (schema: unknown): boolean =>
  schema === true ||
  (isJsonObject(schema) &&
    Object.keys(schema).every((k) => !ASSERTION_KEYWORDS.has(k) || k === "$defs"));

const asObject = (schema: unknown): JsonObject => (isJsonObject(schema) ? schema : {});

/**
 * Values of `values` that `others` lacks. Scalars are looked up in a Set so that long code
 * lists (7 000+ Kemendagri district codes) compare in linear time, not quadratic.
 */
function valuesMissingFrom(values: readonly unknown[], others: readonly unknown[]): unknown[] {
  const isScalar = (v: unknown) => v === null || typeof v !== "object";
  const scalars = new Set(others.filter(isScalar));
  const structured = others.filter((v) => !isScalar(v));
  return values.filter((v) =>
    isScalar(v) ? !scalars.has(v) : !structured.some((w) => jsonEqual(v, w)),
  );
}

const declaredTypes = (schema: JsonObject): ReadonlySet<string> | undefined => {
  const type = schema.type;
  if (typeof type === "string") return new Set([type]);
  if (Array.isArray(type)) return new Set(type.filter((t): t is string => typeof t === "string"));
  return undefined;
};

const typeAccepts = (types: ReadonlySet<string> | undefined, type: string): boolean =>
  types === undefined || types.has(type) || (type === "integer" && types.has("number"));

const typeSubset = (
  a: ReadonlySet<string> | undefined,
  b: ReadonlySet<string> | undefined,
): boolean => [...(a ?? TYPE_NAMES)].every((t) => typeAccepts(b, t));

const jsonTypeOf = (value: unknown): string => {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
};

/** The finite set of values a schema allows through `const`/`enum`, if it has one. */
const valueSet = (schema: JsonObject): readonly unknown[] | undefined => {
  const hasConst = Object.hasOwn(schema, "const");
  const enumValues = Array.isArray(schema.enum) ? schema.enum : undefined;
  if (hasConst) {
    if (enumValues && !enumValues.some((v) => jsonEqual(v, schema.const))) return [];
    return [schema.const];
  }
  return enumValues;
};

/** Whether some instance of this JSON type family can get past `type`, `const` and `enum`. */
const admits = (schema: unknown, family: Family): boolean => {
  if (schema === false) return false;
  if (!isJsonObject(schema)) return true;
  const types = declaredTypes(schema);
  const byType =
    family === "number"
      ? typeAccepts(types, "number") || typeAccepts(types, "integer")
      : typeAccepts(types, family);
  if (!byType) return false;
  const values = valueSet(schema);
  if (values === undefined) return true;
  return values.some((v) => {
    const t = jsonTypeOf(v);
    return family === "number" ? t === "number" || t === "integer" : t === family;
  });
};

const FAMILY_NOUN: Record<Family, string> = {
  number: "numbers",
  string: "strings",
  array: "arrays",
  object: "objects",
};

const isMultiple = (value: number, of: number): boolean => {
  const ratio = value / of;
  return Math.abs(ratio - Math.round(ratio)) <= 1e-9 * Math.max(1, Math.abs(ratio));
};

interface Bound {
  readonly value: number;
  readonly exclusive: boolean;
  readonly keyword: string;
}

const numberOf = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined;

/** The strongest of `minimum`/`exclusiveMinimum` (or the maximum pair). */
function effectiveBound(schema: JsonObject, side: "lower" | "upper"): Bound | undefined {
  const [inclusiveKw, exclusiveKw] =
    side === "lower" ? ["minimum", "exclusiveMinimum"] : ["maximum", "exclusiveMaximum"];
  const inclusive = numberOf(schema[inclusiveKw]);
  const exclusive = numberOf(schema[exclusiveKw]);
  const candidates: Bound[] = [];
  if (inclusive !== undefined) {
    candidates.push({ value: inclusive, exclusive: false, keyword: inclusiveKw });
  }
  if (exclusive !== undefined) {
    candidates.push({ value: exclusive, exclusive: true, keyword: exclusiveKw });
  }
  return candidates.reduce<Bound | undefined>(
    (best, b) => (best === undefined || tightness(b, best, side) > 0 ? b : best),
    undefined,
  );
}

/** >0 when `a` refuses more than `b`, <0 when less, 0 when the same; undefined means unbounded. */
function tightness(a: Bound | undefined, b: Bound | undefined, side: "lower" | "upper"): number {
  if (a === undefined && b === undefined) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  if (a.value !== b.value) {
    return side === "lower" ? Math.sign(a.value - b.value) : Math.sign(b.value - a.value);
  }
  return Number(a.exclusive) - Number(b.exclusive);
}

const describeBound = (b: Bound | undefined, side: "lower" | "upper"): string => {
  if (b === undefined) return "no bound";
  const op = side === "lower" ? (b.exclusive ? ">" : ">=") : b.exclusive ? "<" : "<=";
  return `${op} ${b.value}`;
};

const ANNOTATION_CODE: Record<string, string> = {
  title: "TITLE",
  description: "DESCRIPTION",
  default: "DEFAULT",
  examples: "EXAMPLES",
  deprecated: "DEPRECATED",
};

const SLOT_WORDS: Record<Slot, { subject: string; closed: string; opened: string; what: string }> =
  {
    SCHEMA: {
      subject: "This place",
      closed: "now refuses every value (false)",
      opened: "used to refuse every value (false) and now accepts values",
      what: "a value here",
    },
    ITEMS: {
      subject: "Array items beyond prefixItems",
      closed: "are now forbidden (items is false)",
      opened: "were forbidden (items was false) and are now allowed",
      what: "such items",
    },
    ADDITIONAL_PROPERTIES: {
      subject: "Properties not listed in properties",
      closed: "are now forbidden (additionalProperties is false)",
      opened: "were forbidden (additionalProperties was false) and are now allowed",
      what: "unlisted properties",
    },
  };

/** Where a property name is governed when it is not listed in `properties`. */
type Governor = LocatedSchema | "unknown";

class Comparison {
  private readonly older: Side;
  private readonly newer: Side;
  private readonly inProgress = new Set<string>();
  private readonly maxComparisons: number;
  private readonly maxDepth: number;
  private comparisons = 0;
  private depth = 0;
  private notDepth = 0;

  constructor(older: unknown, newer: unknown, options: CompareOptions) {
    this.older = { root: older, anchors: collectAnchors(older), name: "older" };
    this.newer = { root: newer, anchors: collectAnchors(newer), name: "newer" };
    this.maxComparisons = options.maxComparisons ?? 20_000;
    this.maxDepth = options.maxDepth ?? 200;
  }

  run(): Difference[] {
    if (jsonEqual(this.older.root, this.newer.root)) return [];
    const diffs = [
      ...this.nodes(
        { schema: this.older.root, pointer: "" },
        {
          schema: this.newer.root,
          pointer: "",
        },
      ),
      ...this.unreferencedDefinitions(),
    ];
    const seen = new Set<string>();
    return diffs.filter((d) => {
      const key = JSON.stringify([
        d.pointer,
        d.olderPointer,
        d.change,
        d.description,
        d.newerAcceptsAllOfOlder,
        d.olderAcceptsAllOfNewer,
      ]);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  // ---- building differences ------------------------------------------------------------------

  private make(
    o: LocatedSchema,
    n: LocatedSchema,
    tokens: readonly (string | number)[],
    change: DifferenceCode,
    description: string,
    inclusion: Inclusion,
  ): Difference {
    const pointer = childPointer(n.pointer, ...tokens);
    const olderPointer = childPointer(o.pointer, ...tokens);
    return {
      pointer,
      ...(olderPointer === pointer ? {} : { olderPointer }),
      change,
      description,
      newerAcceptsAllOfOlder: inclusion.newerAcceptsAllOfOlder,
      olderAcceptsAllOfNewer: inclusion.olderAcceptsAllOfNewer,
    };
  }

  /**
   * A keyword that only constrains one JSON type cannot refuse a document of another type: when
   * the older side admits no such instance, nothing it accepts can be refused by the change.
   */
  private guard(diffs: readonly Difference[], family: Family, o: unknown, n: unknown) {
    const olderAdmits = admits(o, family);
    const newerAdmits = admits(n, family);
    if (olderAdmits && newerAdmits) return [...diffs];
    return diffs.map((d) => {
      const nAo = d.newerAcceptsAllOfOlder || !olderAdmits;
      const oAn = d.olderAcceptsAllOfNewer || !newerAdmits;
      if (nAo === d.newerAcceptsAllOfOlder && oAn === d.olderAcceptsAllOfNewer) return d;
      const who = olderAdmits ? "newer" : newerAdmits ? "older" : "older and newer";
      return {
        ...d,
        description: `${d.description} It only concerns ${FAMILY_NOUN[family]}, which the ${who} version does not accept at all, so it cannot refuse a document there.`,
        newerAcceptsAllOfOlder: nAo,
        olderAcceptsAllOfNewer: oAn,
      };
    });
  }

  // ---- entry for a pair of subschemas --------------------------------------------------------

  nodes(o: LocatedSchema, n: LocatedSchema, slot: Slot = "SCHEMA"): Difference[] {
    this.comparisons += 1;
    if (this.comparisons > this.maxComparisons || this.depth >= this.maxDepth) {
      return [
        this.make(
          o,
          n,
          [],
          "COMPARISON_LIMIT_REACHED",
          "Could not prove compatibility here: the schemas are too large or too deeply nested to compare within the limits.",
          { newerAcceptsAllOfOlder: false, olderAcceptsAllOfNewer: false },
        ),
      ];
    }
    const key = `${o.pointer}\u0000${n.pointer}`;
    if (this.inProgress.has(key)) {
      // Recursive schemas: assuming the pair holds while it is being checked is sound by
      // induction on the depth of (finite) documents, but not under a polarity flip (`not`).
      if (this.notDepth === 0) return [];
      return [
        this.make(
          o,
          n,
          [],
          "RECURSION_UNPROVEN",
          'Could not prove compatibility: a recursive reference passes through "not".',
          { newerAcceptsAllOfOlder: false, olderAcceptsAllOfNewer: false },
        ),
      ];
    }
    this.inProgress.add(key);
    this.depth += 1;
    try {
      return this.resolved(o, n, slot);
    } finally {
      this.depth -= 1;
      this.inProgress.delete(key);
    }
  }

  /** Inclusion between two subschemas, without reporting the differences found on the way. */
  private probe(o: LocatedSchema, n: LocatedSchema): Inclusion & { codes: string[] } {
    const diffs = this.nodes(o, n);
    return { ...summarize(diffs), codes: [...new Set(diffs.map((d) => d.change))] };
  }

  private refOf(node: LocatedSchema, side: Side) {
    const schema = node.schema;
    if (!isJsonObject(schema)) return undefined;
    const keyword =
      typeof schema.$ref === "string"
        ? "$ref"
        : typeof schema.$dynamicRef === "string"
          ? "$dynamicRef"
          : undefined;
    if (keyword === undefined) return undefined;
    const value = schema[keyword] as string;
    // A single-resource document is its own outermost dynamic scope, so `$dynamicRef` lands on
    // its `$dynamicAnchor` (JSON Schema Core 2020-12 §8.2.3.2).
    const target = internalRefPointer(value, side.root, side.anchors);
    const rest = Object.fromEntries(Object.entries(schema).filter(([k]) => k !== keyword));
    return {
      keyword,
      value,
      target:
        target === undefined
          ? undefined
          : { schema: readPointer(side.root, target), pointer: target },
      rest: { schema: rest, pointer: node.pointer },
      restTrivial: isTrivial(rest),
    };
  }

  private resolved(o: LocatedSchema, n: LocatedSchema, slot: Slot): Difference[] {
    const oRef = this.refOf(o, this.older);
    const nRef = this.refOf(n, this.newer);
    if (!oRef && !nRef) return this.schemas(o, n, slot);

    const unproven = { newerAcceptsAllOfOlder: false, olderAcceptsAllOfNewer: false };
    if (oRef && nRef) {
      const diffs: Difference[] = [];
      if (!oRef.target || !nRef.target) {
        // Registry entries are immutable, so the same external URI names the same schema.
        if (oRef.value !== nRef.value) {
          diffs.push(
            this.make(
              o,
              n,
              [nRef.keyword],
              "REF_CHANGED",
              `The reference changed from ${show(oRef.value)} to ${show(nRef.value)}; could not prove compatibility because schemas outside the document are not compared here.`,
              unproven,
            ),
          );
        }
        diffs.push(...this.schemas(oRef.rest, nRef.rest, slot));
        return diffs;
      }
      if (oRef.value !== nRef.value) {
        diffs.push(
          this.make(
            o,
            n,
            [nRef.keyword],
            "REF_CHANGED",
            `The reference now points to ${show(nRef.value)} instead of ${show(oRef.value)}; the two targets are compared in place.`,
            { newerAcceptsAllOfOlder: true, olderAcceptsAllOfNewer: true },
          ),
        );
      }
      diffs.push(...this.schemas(oRef.rest, nRef.rest, slot));
      diffs.push(...this.nodes(oRef.target, nRef.target, slot));
      return diffs;
    }

    // Exactly one side references: an inlined schema moved into $defs, or the reverse.
    const ref = (oRef ?? nRef) as NonNullable<typeof oRef>;
    const code: DifferenceCode = oRef ? "REF_REMOVED" : "REF_ADDED";
    if (!ref.target) {
      return [
        this.make(
          o,
          n,
          [ref.keyword],
          code,
          `The ${oRef ? "older" : "newer"} version refers to ${show(ref.value)} outside the document; could not prove compatibility because that schema is not compared here.`,
          unproven,
        ),
      ];
    }
    if (ref.restTrivial) {
      const nested = oRef ? this.nodes(ref.target, n, slot) : this.nodes(o, ref.target, slot);
      return [
        this.make(
          o,
          n,
          [ref.keyword],
          code,
          oRef
            ? `The older version referred to ${show(ref.value)}; the newer one states the schema inline, and it is compared with that target.`
            : `The newer version refers to ${show(ref.value)} instead of stating the schema inline; the target is compared with the older schema.`,
          { newerAcceptsAllOfOlder: true, olderAcceptsAllOfNewer: true },
        ),
        ...nested,
      ];
    }
    // `$ref` beside other keywords is a conjunction (Core 2020-12 §8.2.3.1): one included conjunct is
    // enough for the side that has it to be narrower, both are needed for it to be wider.
    if (oRef) {
      const viaRest = this.probe(ref.rest, n);
      const viaTarget = this.probe(ref.target, n);
      return [
        this.make(
          o,
          n,
          [ref.keyword],
          code,
          `The older version combined ${show(ref.value)} with sibling keywords; the newer one does not reference it. Judged conjunct by conjunct${viaRest.newerAcceptsAllOfOlder || viaTarget.newerAcceptsAllOfOlder ? "" : "; could not prove that the newer schema accepts every older document"}.`,
          {
            newerAcceptsAllOfOlder:
              viaRest.newerAcceptsAllOfOlder || viaTarget.newerAcceptsAllOfOlder,
            olderAcceptsAllOfNewer:
              viaRest.olderAcceptsAllOfNewer && viaTarget.olderAcceptsAllOfNewer,
          },
        ),
      ];
    }
    const viaRest = this.probe(o, ref.rest);
    const viaTarget = this.probe(o, ref.target);
    return [
      this.make(
        o,
        n,
        [ref.keyword],
        code,
        `The newer version combines ${show(ref.value)} with sibling keywords where the older one had no reference. Judged conjunct by conjunct${viaRest.olderAcceptsAllOfNewer || viaTarget.olderAcceptsAllOfNewer ? "" : "; could not prove that the older schema accepts every newer document"}.`,
        {
          newerAcceptsAllOfOlder:
            viaRest.newerAcceptsAllOfOlder && viaTarget.newerAcceptsAllOfOlder,
          olderAcceptsAllOfNewer:
            viaRest.olderAcceptsAllOfNewer || viaTarget.olderAcceptsAllOfNewer,
        },
      ),
    ];
  }

  // ---- two schemas without references ---------------------------------------------------------

  private schemas(o: LocatedSchema, n: LocatedSchema, slot: Slot): Difference[] {
    const older = o.schema;
    const newer = n.schema;
    if (older === false && newer === false) return [];
    if (newer === false) {
      const code = slot === "SCHEMA" ? "SCHEMA_CLOSED" : `${slot}_CLOSED`;
      return [
        this.make(
          o,
          n,
          [],
          code as DifferenceCode,
          `${SLOT_WORDS[slot].subject} ${SLOT_WORDS[slot].closed}: older documents that have ${SLOT_WORDS[slot].what} are refused.`,
          { newerAcceptsAllOfOlder: false, olderAcceptsAllOfNewer: true },
        ),
      ];
    }
    if (older === false) {
      const code = slot === "SCHEMA" ? "SCHEMA_OPENED" : `${slot}_OPENED`;
      return [
        this.make(
          o,
          n,
          [],
          code as DifferenceCode,
          `${SLOT_WORDS[slot].subject} ${SLOT_WORDS[slot].opened}${isTrivial(newer) ? "" : " (within its schema)"}: older readers refuse documents that have ${SLOT_WORDS[slot].what}.`,
          { newerAcceptsAllOfOlder: true, olderAcceptsAllOfNewer: false },
        ),
      ];
    }
    if ((!isJsonObject(older) && older !== true) || (!isJsonObject(newer) && newer !== true)) {
      return jsonEqual(older, newer)
        ? []
        : [
            this.make(
              o,
              n,
              [],
              "CONSTRAINT_CHANGED",
              "Could not prove compatibility: one side is not a schema.",
              { newerAcceptsAllOfOlder: false, olderAcceptsAllOfNewer: false },
            ),
          ];
    }
    const os = asObject(older);
    const ns = asObject(newer);
    const ol = { schema: os, pointer: o.pointer };
    const nl = { schema: ns, pointer: n.pointer };
    return [
      ...this.types(ol, nl),
      ...this.values(ol, nl),
      ...this.guard(this.numbers(ol, nl), "number", os, ns),
      ...this.guard(this.strings(ol, nl), "string", os, ns),
      ...this.format(ol, nl),
      ...this.guard(this.arrays(ol, nl), "array", os, ns),
      ...this.guard(this.objects(ol, nl), "object", os, ns),
      ...this.branches(ol, nl, "allOf"),
      ...this.branches(ol, nl, "anyOf"),
      ...this.branches(ol, nl, "oneOf"),
      ...this.negation(ol, nl),
      ...this.unsupported(ol, nl),
      ...this.annotations(ol, nl),
    ];
  }

  private types(o: Located, n: Located): Difference[] {
    const ot = declaredTypes(o.schema);
    const nt = declaredTypes(n.schema);
    const widened = typeSubset(ot, nt);
    const narrowed = typeSubset(nt, ot);
    const list = (t: ReadonlySet<string> | undefined) => (t ? [...t].join(", ") : "any type");
    if (widened && narrowed) {
      if (jsonEqual(o.schema.type, n.schema.type)) return [];
      return [
        this.make(
          o,
          n,
          ["type"],
          "TYPE_REWRITTEN",
          `"type" is written differently (${list(ot)} → ${list(nt)}) but accepts the same values.`,
          { newerAcceptsAllOfOlder: true, olderAcceptsAllOfNewer: true },
        ),
      ];
    }
    const gained = [...(nt ?? TYPE_NAMES)].filter((t) => !typeAccepts(ot, t));
    const lost = [...(ot ?? TYPE_NAMES)].filter((t) => !typeAccepts(nt, t));
    const inclusion = { newerAcceptsAllOfOlder: widened, olderAcceptsAllOfNewer: narrowed };
    if (widened) {
      const note = gained.includes("null") ? " (the value may now be null)" : "";
      return [
        this.make(
          o,
          n,
          ["type"],
          "TYPE_WIDENED",
          `"type" widened from ${list(ot)} to ${list(nt)}${note}: every older value is still accepted, but older readers refuse ${gained.join(", ")} values.`,
          inclusion,
        ),
      ];
    }
    if (narrowed) {
      return [
        this.make(
          o,
          n,
          ["type"],
          "TYPE_NARROWED",
          `"type" narrowed from ${list(ot)} to ${list(nt)}: older documents holding ${lost.join(", ")} values are refused.`,
          inclusion,
        ),
      ];
    }
    return [
      this.make(
        o,
        n,
        ["type"],
        "TYPE_CHANGED",
        `"type" changed from ${list(ot)} to ${list(nt)}: neither accepts all the other's values (${lost.join(", ")} dropped, ${gained.join(", ")} added).`,
        inclusion,
      ),
    ];
  }

  private values(o: Located, n: Located): Difference[] {
    const ov = valueSet(o.schema);
    const nv = valueSet(n.schema);
    if (ov === undefined && nv === undefined) return [];
    const nUsesConst = Object.hasOwn(n.schema, "const") && !Object.hasOwn(n.schema, "enum");
    const oUsesConst = Object.hasOwn(o.schema, "const") && !Object.hasOwn(o.schema, "enum");
    if (ov === undefined) {
      const kw = nUsesConst ? "const" : "enum";
      return [
        this.make(
          o,
          n,
          [kw],
          nUsesConst ? "CONST_ADDED" : "ENUM_ADDED",
          `The newer version only accepts ${show(nv)}; the older one accepted other values too, so older documents may be refused.`,
          { newerAcceptsAllOfOlder: false, olderAcceptsAllOfNewer: true },
        ),
      ];
    }
    if (nv === undefined) {
      const kw = oUsesConst ? "const" : "enum";
      return [
        this.make(
          o,
          n,
          [kw],
          oUsesConst ? "CONST_REMOVED" : "ENUM_REMOVED",
          `The older version only accepted ${show(ov)}; the newer one accepts other values, which older readers refuse.`,
          { newerAcceptsAllOfOlder: true, olderAcceptsAllOfNewer: false },
        ),
      ];
    }
    const removed = valuesMissingFrom(ov, nv);
    const added = valuesMissingFrom(nv, ov);
    if (oUsesConst && nUsesConst) {
      if (removed.length === 0) return [];
      return [
        this.make(
          o,
          n,
          ["const"],
          "CONST_CHANGED",
          `"const" changed from ${show(o.schema.const)} to ${show(n.schema.const)}: no document is valid under both.`,
          { newerAcceptsAllOfOlder: false, olderAcceptsAllOfNewer: false },
        ),
      ];
    }
    const kw = nUsesConst ? "const" : "enum";
    return [
      ...removed.map((v) =>
        this.make(
          o,
          n,
          [kw],
          "ENUM_VALUE_REMOVED",
          `The value ${show(v)} is no longer allowed: older documents holding it are refused.`,
          { newerAcceptsAllOfOlder: false, olderAcceptsAllOfNewer: true },
        ),
      ),
      ...added.map((v) =>
        this.make(
          o,
          n,
          [kw],
          "ENUM_VALUE_ADDED",
          `The value ${show(v)} is newly allowed: older readers refuse documents holding it.`,
          { newerAcceptsAllOfOlder: true, olderAcceptsAllOfNewer: false },
        ),
      ),
    ];
  }

  private numbers(o: Located, n: Located): Difference[] {
    const diffs: Difference[] = [];
    for (const side of ["lower", "upper"] as const) {
      const ob = effectiveBound(o.schema, side);
      const nb = effectiveBound(n.schema, side);
      const keywords =
        side === "lower" ? ["minimum", "exclusiveMinimum"] : ["maximum", "exclusiveMaximum"];
      const prefix = side === "lower" ? "MINIMUM" : "MAXIMUM";
      const t = tightness(nb, ob, side);
      const where = [nb?.keyword ?? ob?.keyword ?? keywords[0] ?? ""];
      const what = `${describeBound(ob, side)} → ${describeBound(nb, side)}`;
      if (t > 0) {
        const moved = side === "lower" ? "INCREASED" : "DECREASED";
        diffs.push(
          this.make(
            o,
            n,
            where,
            `${prefix}_${ob ? moved : "ADDED"}` as DifferenceCode,
            `The ${side} bound tightened (${what}): older numbers outside it are refused.`,
            { newerAcceptsAllOfOlder: false, olderAcceptsAllOfNewer: true },
          ),
        );
      } else if (t < 0) {
        const moved = side === "lower" ? "DECREASED" : "INCREASED";
        diffs.push(
          this.make(
            o,
            n,
            where,
            `${prefix}_${nb ? moved : "REMOVED"}` as DifferenceCode,
            `The ${side} bound loosened (${what}): every older number is still accepted, but older readers refuse the newly allowed ones.`,
            { newerAcceptsAllOfOlder: true, olderAcceptsAllOfNewer: false },
          ),
        );
      } else if (keywords.some((k) => !jsonEqual(o.schema[k], n.schema[k]))) {
        diffs.push(
          this.make(
            o,
            n,
            where,
            "BOUND_REWRITTEN",
            `The ${side} bound is written differently but is the same (${describeBound(nb, side)}).`,
            { newerAcceptsAllOfOlder: true, olderAcceptsAllOfNewer: true },
          ),
        );
      }
    }
    const om = numberOf(o.schema.multipleOf);
    const nm = numberOf(n.schema.multipleOf);
    if (om !== nm) {
      if (om === undefined) {
        diffs.push(
          this.make(
            o,
            n,
            ["multipleOf"],
            "MULTIPLE_OF_ADDED",
            `Numbers must now be multiples of ${nm}: older numbers that are not are refused.`,
            { newerAcceptsAllOfOlder: false, olderAcceptsAllOfNewer: true },
          ),
        );
      } else if (nm === undefined) {
        diffs.push(
          this.make(
            o,
            n,
            ["multipleOf"],
            "MULTIPLE_OF_REMOVED",
            `Numbers no longer need to be multiples of ${om}: older readers refuse the others.`,
            { newerAcceptsAllOfOlder: true, olderAcceptsAllOfNewer: false },
          ),
        );
      } else {
        const nAo = isMultiple(om, nm);
        const oAn = isMultiple(nm, om);
        diffs.push(
          this.make(
            o,
            n,
            ["multipleOf"],
            "MULTIPLE_OF_CHANGED",
            `"multipleOf" changed from ${om} to ${nm}: ${nAo ? `every multiple of ${om} is a multiple of ${nm}` : `some multiples of ${om} are not multiples of ${nm}`}; ${oAn ? `every multiple of ${nm} is a multiple of ${om}` : `some multiples of ${nm} are not multiples of ${om}`}.`,
            { newerAcceptsAllOfOlder: nAo, olderAcceptsAllOfNewer: oAn },
          ),
        );
      }
    }
    return diffs;
  }

  /** minLength/maxLength, minItems/maxItems, minProperties/maxProperties. */
  private counts(o: Located, n: Located, keyword: string, kind: "min" | "max", noun: string) {
    const ov = numberOf(o.schema[keyword]);
    const nv = numberOf(n.schema[keyword]);
    if (ov === nv) return [];
    const prefix = keyword.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();
    const oe = ov ?? (kind === "min" ? 0 : Number.POSITIVE_INFINITY);
    const ne = nv ?? (kind === "min" ? 0 : Number.POSITIVE_INFINITY);
    const shown = (v: number | undefined) => (v === undefined ? "none" : String(v));
    const what = `"${keyword}" ${shown(ov)} → ${shown(nv)}`;
    if (oe === ne) {
      return [
        this.make(
          o,
          n,
          [keyword],
          "BOUND_REWRITTEN",
          `${what} states the default and changes nothing.`,
          { newerAcceptsAllOfOlder: true, olderAcceptsAllOfNewer: true },
        ),
      ];
    }
    const tighter = kind === "min" ? ne > oe : ne < oe;
    const code = tighter
      ? ov === undefined
        ? "ADDED"
        : kind === "min"
          ? "INCREASED"
          : "DECREASED"
      : nv === undefined
        ? "REMOVED"
        : kind === "min"
          ? "DECREASED"
          : "INCREASED";
    return [
      this.make(
        o,
        n,
        [keyword],
        `${prefix}_${code}` as DifferenceCode,
        tighter
          ? `${what}: older ${noun} outside the new limit are refused.`
          : `${what}: every older value is still accepted, but older readers refuse ${noun} beyond their limit.`,
        { newerAcceptsAllOfOlder: !tighter, olderAcceptsAllOfNewer: tighter },
      ),
    ];
  }

  private strings(o: Located, n: Located): Difference[] {
    const diffs = [
      ...this.counts(o, n, "minLength", "min", "strings"),
      ...this.counts(o, n, "maxLength", "max", "strings"),
    ];
    const op = o.schema.pattern;
    const np = n.schema.pattern;
    if (!jsonEqual(op, np)) {
      if (op === undefined) {
        diffs.push(
          this.make(
            o,
            n,
            ["pattern"],
            "PATTERN_ADDED",
            `Strings must now match ${show(np)}: older strings that do not are refused.`,
            { newerAcceptsAllOfOlder: false, olderAcceptsAllOfNewer: true },
          ),
        );
      } else if (np === undefined) {
        diffs.push(
          this.make(
            o,
            n,
            ["pattern"],
            "PATTERN_REMOVED",
            `Strings no longer need to match ${show(op)}: older readers refuse those that do not.`,
            { newerAcceptsAllOfOlder: true, olderAcceptsAllOfNewer: false },
          ),
        );
      } else {
        diffs.push(
          this.make(
            o,
            n,
            ["pattern"],
            "PATTERN_CHANGED",
            `"pattern" changed from ${show(op)} to ${show(np)}: could not prove that either accepts every string the other does, so it is treated as breaking both ways.`,
            { newerAcceptsAllOfOlder: false, olderAcceptsAllOfNewer: false },
          ),
        );
      }
    }
    return diffs;
  }

  /** `format` is an annotation by default in 2020-12, but validators commonly assert it. */
  private format(o: Located, n: Located): Difference[] {
    const of = o.schema.format;
    const nf = n.schema.format;
    if (jsonEqual(of, nf)) return [];
    const note = "format is treated as an assertion, as most validators enforce it";
    if (of === undefined) {
      return [
        this.make(
          o,
          n,
          ["format"],
          "FORMAT_ADDED",
          `Values must now have format ${show(nf)} (${note}): older values that do not are refused.`,
          { newerAcceptsAllOfOlder: false, olderAcceptsAllOfNewer: true },
        ),
      ];
    }
    if (nf === undefined) {
      return [
        this.make(
          o,
          n,
          ["format"],
          "FORMAT_REMOVED",
          `Values no longer need format ${show(of)} (${note}): older readers refuse values without it.`,
          { newerAcceptsAllOfOlder: true, olderAcceptsAllOfNewer: false },
        ),
      ];
    }
    return [
      this.make(
        o,
        n,
        ["format"],
        "FORMAT_CHANGED",
        `"format" changed from ${show(of)} to ${show(nf)}: could not prove that either format contains the other (${note}).`,
        { newerAcceptsAllOfOlder: false, olderAcceptsAllOfNewer: false },
      ),
    ];
  }

  private arrays(o: Located, n: Located): Difference[] {
    const diffs: Difference[] = [];
    const op = Array.isArray(o.schema.prefixItems) ? o.schema.prefixItems : [];
    const np = Array.isArray(n.schema.prefixItems) ? n.schema.prefixItems : [];
    const tail = (l: Located): LocatedSchema => ({
      schema: Object.hasOwn(l.schema, "items") ? l.schema.items : TRUE_SCHEMA,
      pointer: childPointer(l.pointer, "items"),
    });
    for (let i = 0; i < Math.max(op.length, np.length); i += 1) {
      const oi =
        i < op.length
          ? { schema: op[i], pointer: childPointer(o.pointer, "prefixItems", i) }
          : undefined;
      const ni =
        i < np.length
          ? { schema: np[i], pointer: childPointer(n.pointer, "prefixItems", i) }
          : undefined;
      if (oi && ni) {
        diffs.push(...this.nodes(oi, ni));
      } else if (ni) {
        const p = this.probe(tail(o), ni);
        diffs.push({
          ...this.make(
            o,
            n,
            ["prefixItems", i],
            "PREFIX_ITEM_ADDED",
            `Position ${i} now has its own schema; before it fell under ${Object.hasOwn(o.schema, "items") ? '"items"' : "no constraint"}.${p.newerAcceptsAllOfOlder ? "" : " Older arrays may hold values there that the new schema refuses."}${p.olderAcceptsAllOfNewer ? "" : " Older readers may refuse values the new position allows."}`,
            p,
          ),
          pointer: ni.pointer,
        });
      } else if (oi) {
        const p = this.probe(oi, tail(n));
        diffs.push(
          this.make(
            o,
            n,
            ["prefixItems", i],
            "PREFIX_ITEM_REMOVED",
            `Position ${i} lost its own schema and now falls under ${Object.hasOwn(n.schema, "items") ? '"items"' : "no constraint"}.${p.newerAcceptsAllOfOlder ? "" : " Older values there may be refused."}${p.olderAcceptsAllOfNewer ? "" : " Older readers may refuse values now allowed there."}`,
            p,
          ),
        );
      }
    }
    if (Object.hasOwn(o.schema, "items") || Object.hasOwn(n.schema, "items")) {
      diffs.push(...this.nodes(tail(o), tail(n), "ITEMS"));
    }
    diffs.push(
      ...this.counts(o, n, "minItems", "min", "arrays"),
      ...this.counts(o, n, "maxItems", "max", "arrays"),
    );
    const ou = o.schema.uniqueItems === true;
    const nu = n.schema.uniqueItems === true;
    if (ou !== nu) {
      diffs.push(
        nu
          ? this.make(
              o,
              n,
              ["uniqueItems"],
              "UNIQUE_ITEMS_ADDED",
              "Array items must now be unique: older arrays with duplicates are refused.",
              { newerAcceptsAllOfOlder: false, olderAcceptsAllOfNewer: true },
            )
          : this.make(
              o,
              n,
              ["uniqueItems"],
              "UNIQUE_ITEMS_REMOVED",
              "Array items no longer need to be unique: older readers refuse arrays with duplicates.",
              { newerAcceptsAllOfOlder: true, olderAcceptsAllOfNewer: false },
            ),
      );
    }
    if (Object.hasOwn(o.schema, "contains") && Object.hasOwn(n.schema, "contains")) {
      // "contains" is monotone: a wider item schema is easier to satisfy.
      diffs.push(
        ...this.nodes(
          { schema: o.schema.contains, pointer: childPointer(o.pointer, "contains") },
          { schema: n.schema.contains, pointer: childPointer(n.pointer, "contains") },
        ),
      );
    }
    return diffs;
  }

  private governor(l: Located, name: string, patternsComparable: boolean): Governor {
    const patterns = isJsonObject(l.schema.patternProperties) ? l.schema.patternProperties : {};
    const patternKeys = Object.keys(patterns);
    if (patternKeys.length > 0) {
      if (!patternsComparable) return "unknown";
      for (const key of patternKeys) {
        try {
          // The same patternProperties apply on both sides, so only what else applies differs.
          if (new RegExp(key, "u").test(name)) {
            return {
              schema: TRUE_SCHEMA,
              pointer: childPointer(l.pointer, "patternProperties", key),
            };
          }
        } catch {
          return "unknown";
        }
      }
    }
    if (Object.hasOwn(l.schema, "additionalProperties")) {
      return {
        schema: l.schema.additionalProperties,
        pointer: childPointer(l.pointer, "additionalProperties"),
      };
    }
    if (Object.hasOwn(l.schema, "unevaluatedProperties")) {
      if (IN_PLACE_APPLICATORS.some((k) => Object.hasOwn(l.schema, k))) return "unknown";
      return {
        schema: l.schema.unevaluatedProperties,
        pointer: childPointer(l.pointer, "unevaluatedProperties"),
      };
    }
    return { schema: TRUE_SCHEMA, pointer: childPointer(l.pointer, "additionalProperties") };
  }

  private objects(o: Located, n: Located): Difference[] {
    const diffs: Difference[] = [];
    const oprops = isJsonObject(o.schema.properties) ? o.schema.properties : {};
    const nprops = isJsonObject(n.schema.properties) ? n.schema.properties : {};
    const patternsComparable = jsonEqual(
      o.schema.patternProperties ?? {},
      n.schema.patternProperties ?? {},
    );
    const names = [...new Set([...Object.keys(oprops), ...Object.keys(nprops)])];
    const unproven = { newerAcceptsAllOfOlder: false, olderAcceptsAllOfNewer: false };
    for (const name of names) {
      const inOlder = Object.hasOwn(oprops, name);
      const inNewer = Object.hasOwn(nprops, name);
      const op = { schema: oprops[name], pointer: childPointer(o.pointer, "properties", name) };
      const np = { schema: nprops[name], pointer: childPointer(n.pointer, "properties", name) };
      if (inOlder && inNewer) {
        diffs.push(...this.nodes(op, np));
        continue;
      }
      if (inNewer) {
        const gov = this.governor(o, name, patternsComparable);
        if (gov === "unknown") {
          diffs.push(
            this.make(
              o,
              n,
              ["properties", name],
              "PROPERTY_ADDED",
              `Property "${name}" was added; could not prove compatibility because patternProperties or unevaluatedProperties decided what the older version allowed under that name.`,
              unproven,
            ),
          );
          continue;
        }
        const p = this.probe(gov, np);
        const before =
          gov.schema === true || isTrivial(gov.schema)
            ? "the older version left the object open, so older documents may already carry it with any value"
            : gov.schema === false
              ? "the older version refused it (additionalProperties is false)"
              : "the older version governed it through additionalProperties";
        const effects = [
          p.newerAcceptsAllOfOlder
            ? "every older document still passes"
            : "older documents whose value does not fit the new property schema are refused",
          p.olderAcceptsAllOfNewer
            ? "older readers accept every new value"
            : "older readers refuse documents that carry it",
        ];
        diffs.push(
          this.make(
            o,
            n,
            ["properties", name],
            "PROPERTY_ADDED",
            `Property "${name}" was added; ${before}: ${effects.join("; ")}.`,
            p,
          ),
        );
        continue;
      }
      const gov = this.governor(n, name, patternsComparable);
      if (gov === "unknown") {
        diffs.push(
          this.make(
            o,
            n,
            ["properties", name],
            "PROPERTY_REMOVED",
            `Property "${name}" was removed; could not prove compatibility because patternProperties or unevaluatedProperties decide what the newer version allows under that name.`,
            unproven,
          ),
        );
        continue;
      }
      const p = this.probe(op, gov);
      const after =
        gov.schema === true || isTrivial(gov.schema)
          ? "the newer version leaves the object open, so it accepts any value under that name"
          : gov.schema === false
            ? "the newer version refuses it (additionalProperties is false)"
            : "the newer version governs it through additionalProperties";
      const effects = [
        p.newerAcceptsAllOfOlder
          ? "every older document still passes"
          : "older documents that carry it are refused",
        p.olderAcceptsAllOfNewer
          ? "older readers accept every new value"
          : "older readers may refuse values the newer version lets through",
      ];
      diffs.push(
        this.make(
          o,
          n,
          ["properties", name],
          "PROPERTY_REMOVED",
          `Property "${name}" was removed; ${after}: ${effects.join("; ")}.`,
          p,
        ),
      );
    }

    if (
      Object.hasOwn(o.schema, "additionalProperties") ||
      Object.hasOwn(n.schema, "additionalProperties")
    ) {
      const ao = this.governorForOthers(o);
      const an = this.governorForOthers(n);
      diffs.push(...this.nodes(ao, an, "ADDITIONAL_PROPERTIES"));
    }

    const oreq = new Set(Array.isArray(o.schema.required) ? o.schema.required : []);
    const nreq = new Set(Array.isArray(n.schema.required) ? n.schema.required : []);
    for (const name of nreq) {
      if (typeof name !== "string" || oreq.has(name)) continue;
      diffs.push(
        this.make(
          o,
          n,
          ["properties", name],
          "REQUIRED_ADDED",
          `Property "${name}" is now required: older documents without it are refused.`,
          { newerAcceptsAllOfOlder: false, olderAcceptsAllOfNewer: true },
        ),
      );
    }
    for (const name of oreq) {
      if (typeof name !== "string" || nreq.has(name)) continue;
      diffs.push(
        this.make(
          o,
          n,
          ["properties", name],
          "REQUIRED_REMOVED",
          `Property "${name}" is no longer required: older readers refuse documents without it.`,
          { newerAcceptsAllOfOlder: true, olderAcceptsAllOfNewer: false },
        ),
      );
    }
    diffs.push(
      ...this.counts(o, n, "minProperties", "min", "objects"),
      ...this.counts(o, n, "maxProperties", "max", "objects"),
    );
    if (Object.hasOwn(o.schema, "propertyNames") || Object.hasOwn(n.schema, "propertyNames")) {
      // "propertyNames" is monotone: a wider name schema accepts more objects.
      const side = (l: Located): LocatedSchema => ({
        schema: Object.hasOwn(l.schema, "propertyNames") ? l.schema.propertyNames : TRUE_SCHEMA,
        pointer: childPointer(l.pointer, "propertyNames"),
      });
      diffs.push(...this.nodes(side(o), side(n)));
    }
    return diffs;
  }

  private governorForOthers(l: Located): LocatedSchema {
    return {
      schema: Object.hasOwn(l.schema, "additionalProperties")
        ? l.schema.additionalProperties
        : TRUE_SCHEMA,
      pointer: childPointer(l.pointer, "additionalProperties"),
    };
  }

  private branches(o: Located, n: Located, keyword: "allOf" | "anyOf" | "oneOf"): Difference[] {
    const ob = Array.isArray(o.schema[keyword]) ? (o.schema[keyword] as unknown[]) : undefined;
    const nb = Array.isArray(n.schema[keyword]) ? (n.schema[keyword] as unknown[]) : undefined;
    const prefix = keyword === "allOf" ? "ALL_OF" : keyword === "anyOf" ? "ANY_OF" : "ONE_OF";
    if (!ob && !nb) return [];
    if (!ob) {
      return [
        this.make(
          o,
          n,
          [keyword],
          `${prefix}_ADDED` as DifferenceCode,
          `The newer version adds "${keyword}", an extra condition: could not prove that every older document meets it.`,
          { newerAcceptsAllOfOlder: false, olderAcceptsAllOfNewer: true },
        ),
      ];
    }
    if (!nb) {
      return [
        this.make(
          o,
          n,
          [keyword],
          `${prefix}_REMOVED` as DifferenceCode,
          `The newer version drops "${keyword}", a condition older readers still apply: could not prove they accept every newer document.`,
          { newerAcceptsAllOfOlder: true, olderAcceptsAllOfNewer: false },
        ),
      ];
    }
    const at = (l: Located, list: readonly unknown[], i: number): LocatedSchema => ({
      schema: list[i],
      pointer: childPointer(l.pointer, keyword, i),
    });
    // Pair equal branches first (reordering is not a change), then the rest by position.
    const pairs: [number, number][] = [];
    const usedN = new Set<number>();
    const pairedO = new Set<number>();
    ob.forEach((branch, i) => {
      const j = nb.findIndex((other, k) => !usedN.has(k) && jsonEqual(branch, other));
      if (j >= 0) {
        pairs.push([i, j]);
        usedN.add(j);
        pairedO.add(i);
      }
    });
    const restO = ob.map((_, i) => i).filter((i) => !pairedO.has(i));
    const restN = nb.map((_, j) => j).filter((j) => !usedN.has(j));
    const count = Math.min(restO.length, restN.length);
    for (let k = 0; k < count; k += 1) pairs.push([restO[k] as number, restN[k] as number]);
    const addedN = restN.slice(count);
    const removedO = restO.slice(count);

    const diffs: Difference[] = [];
    for (const [i, j] of pairs.sort((a, b) => a[1] - b[1])) {
      diffs.push(...this.nodes(at(o, ob, i), at(n, nb, j)));
    }
    for (const j of addedN) {
      const branch = at(n, nb, j);
      const probes = ob.map((_, i) => this.probe(at(o, ob, i), branch));
      const insideOlder = probes.some((p) => p.olderAcceptsAllOfNewer);
      const impliedByOlder = probes.some((p) => p.newerAcceptsAllOfOlder);
      const inclusion =
        keyword === "allOf"
          ? { newerAcceptsAllOfOlder: impliedByOlder, olderAcceptsAllOfNewer: true }
          : { newerAcceptsAllOfOlder: true, olderAcceptsAllOfNewer: insideOlder };
      const why =
        keyword === "allOf"
          ? impliedByOlder
            ? "an older branch already implies it"
            : "could not prove that every older document satisfies it"
          : insideOlder
            ? "an older branch already accepts everything it accepts"
            : "older readers refuse documents that only this branch accepts";
      diffs.push({
        ...this.make(
          o,
          n,
          [keyword, j],
          `${prefix}_BRANCH_ADDED` as DifferenceCode,
          `A "${keyword}" branch was added: ${why}.`,
          inclusion,
        ),
        pointer: branch.pointer,
      });
    }
    for (const i of removedO) {
      const branch = at(o, ob, i);
      const probes = nb.map((_, j) => this.probe(branch, at(n, nb, j)));
      const coveredByNewer = probes.some((p) => p.newerAcceptsAllOfOlder);
      const impliedByNewer = probes.some((p) => p.olderAcceptsAllOfNewer);
      const inclusion =
        keyword === "allOf"
          ? { newerAcceptsAllOfOlder: true, olderAcceptsAllOfNewer: impliedByNewer }
          : { newerAcceptsAllOfOlder: coveredByNewer, olderAcceptsAllOfNewer: true };
      const why =
        keyword === "allOf"
          ? impliedByNewer
            ? "a remaining branch still implies it"
            : "older readers still apply it, and could not prove every newer document satisfies it"
          : coveredByNewer
            ? "a remaining branch accepts everything it accepted"
            : "older documents that only this branch accepted are refused";
      diffs.push({
        ...this.make(
          o,
          n,
          [keyword, i],
          `${prefix}_BRANCH_REMOVED` as DifferenceCode,
          `A "${keyword}" branch was removed: ${why}.`,
          inclusion,
        ),
        pointer: childPointer(n.pointer, keyword),
        olderPointer: branch.pointer,
      });
    }
    if (keyword === "oneOf") {
      const changed = diffs.some((d) => !d.newerAcceptsAllOfOlder || !d.olderAcceptsAllOfNewer);
      if (changed && !(this.exclusive(ob, this.older) && this.exclusive(nb, this.newer))) {
        diffs.push(
          this.make(
            o,
            n,
            ["oneOf"],
            "ONE_OF_EXCLUSIVITY_UNPROVEN",
            'The "oneOf" branches changed and could not prove that they still exclude each other, so a document matching exactly one branch before may match none or several now (and the reverse).',
            { newerAcceptsAllOfOlder: false, olderAcceptsAllOfNewer: false },
          ),
        );
      }
    }
    return diffs;
  }

  /** True when no document can match two branches (distinct types, values or discriminators). */
  private exclusive(branches: readonly unknown[], side: Side): boolean {
    const resolvedBranches = branches.map((b) => this.deref(b, side));
    for (let i = 0; i < resolvedBranches.length; i += 1) {
      for (let j = i + 1; j < resolvedBranches.length; j += 1) {
        if (!disjoint(resolvedBranches[i], resolvedBranches[j], (s) => this.deref(s, side))) {
          return false;
        }
      }
    }
    return true;
  }

  private deref(schema: unknown, side: Side): unknown {
    let current = schema;
    for (let hops = 0; hops < 32; hops += 1) {
      if (!isJsonObject(current) || typeof current.$ref !== "string") return current;
      const rest = Object.fromEntries(Object.entries(current).filter(([k]) => k !== "$ref"));
      if (!isTrivial(rest)) return current;
      const target = internalRefPointer(current.$ref, side.root, side.anchors);
      if (target === undefined) return current;
      current = readPointer(side.root, target);
    }
    return current;
  }

  private negation(o: Located, n: Located): Difference[] {
    const hasO = Object.hasOwn(o.schema, "not");
    const hasN = Object.hasOwn(n.schema, "not");
    if (!hasO && !hasN) return [];
    if (!hasO) {
      return [
        this.make(
          o,
          n,
          ["not"],
          "NOT_ADDED",
          'The newer version adds "not", an extra exclusion: could not prove that no older document falls under it.',
          { newerAcceptsAllOfOlder: false, olderAcceptsAllOfNewer: true },
        ),
      ];
    }
    if (!hasN) {
      return [
        this.make(
          o,
          n,
          ["not"],
          "NOT_REMOVED",
          'The newer version drops "not": documents it excluded are accepted now, and older readers refuse them.',
          { newerAcceptsAllOfOlder: true, olderAcceptsAllOfNewer: false },
        ),
      ];
    }
    this.notDepth += 1;
    try {
      const inner = this.nodes(
        { schema: o.schema.not, pointer: childPointer(o.pointer, "not") },
        { schema: n.schema.not, pointer: childPointer(n.pointer, "not") },
      );
      // Widening what "not" excludes narrows what the schema accepts, and the reverse.
      return inner.map((d) => ({
        ...d,
        description: `Inside "not", so its effect is reversed: ${d.description}`,
        newerAcceptsAllOfOlder: d.olderAcceptsAllOfNewer,
        olderAcceptsAllOfNewer: d.newerAcceptsAllOfOlder,
      }));
    } finally {
      this.notDepth -= 1;
    }
  }

  /** Keywords compared only for equality; any change is reported as unproven. */
  private unsupported(o: Located, n: Located): Difference[] {
    const groups: { keywords: string[]; family?: Family }[] = [
      { keywords: ["if", "then", "else"] },
      { keywords: ["dependentRequired"], family: "object" },
      { keywords: ["dependentSchemas"], family: "object" },
      { keywords: ["patternProperties"], family: "object" },
      { keywords: ["unevaluatedProperties"], family: "object" },
      { keywords: ["unevaluatedItems"], family: "array" },
      { keywords: ["minContains", "maxContains"], family: "array" },
    ];
    const hasContainsO = Object.hasOwn(o.schema, "contains");
    const hasContainsN = Object.hasOwn(n.schema, "contains");
    if (hasContainsO !== hasContainsN) groups.push({ keywords: ["contains"], family: "array" });
    const diffs: Difference[] = [];
    for (const { keywords, family } of groups) {
      const pick = (s: JsonObject) =>
        Object.fromEntries(keywords.filter((k) => Object.hasOwn(s, k)).map((k) => [k, s[k]]));
      const ov = pick(o.schema);
      const nv = pick(n.schema);
      if (jsonEqual(ov, nv)) continue;
      const hasO = Object.keys(ov).length > 0;
      const hasN = Object.keys(nv).length > 0;
      const where = [keywords.find((k) => Object.hasOwn(nv, k) || Object.hasOwn(ov, k)) ?? ""];
      const label = keywords.map((k) => `"${k}"`).join("/");
      const diff = !hasO
        ? this.make(
            o,
            n,
            where,
            "CONSTRAINT_ADDED",
            `${label} was added, an extra condition: could not prove that every older document meets it.`,
            { newerAcceptsAllOfOlder: false, olderAcceptsAllOfNewer: true },
          )
        : !hasN
          ? this.make(
              o,
              n,
              where,
              "CONSTRAINT_REMOVED",
              `${label} was removed: could not prove that older readers accept every newer document.`,
              { newerAcceptsAllOfOlder: true, olderAcceptsAllOfNewer: false },
            )
          : this.make(
              o,
              n,
              where,
              "CONSTRAINT_CHANGED",
              `${label} changed: could not prove inclusion either way, so it is treated as breaking both ways.`,
              { newerAcceptsAllOfOlder: false, olderAcceptsAllOfNewer: false },
            );
      diffs.push(...(family ? this.guard([diff], family, o.schema, n.schema) : [diff]));
    }
    return diffs;
  }

  private annotations(o: Located, n: Located): Difference[] {
    const keys = [...new Set([...Object.keys(o.schema), ...Object.keys(n.schema)])].filter(
      (k) => !ASSERTION_KEYWORDS.has(k) && !STRUCTURAL_KEYWORDS.has(k),
    );
    const diffs: Difference[] = [];
    for (const key of keys) {
      const hasO = Object.hasOwn(o.schema, key);
      const hasN = Object.hasOwn(n.schema, key);
      if (hasO && hasN && jsonEqual(o.schema[key], n.schema[key])) continue;
      const suffix = !hasO ? "ADDED" : !hasN ? "REMOVED" : "CHANGED";
      const code = `${ANNOTATION_CODE[key] ?? "ANNOTATION"}_${suffix}` as DifferenceCode;
      const what = !hasO
        ? `added ${show(n.schema[key])}`
        : !hasN
          ? `removed ${show(o.schema[key])}`
          : `changed from ${show(o.schema[key])} to ${show(n.schema[key])}`;
      const extra =
        key === "default"
          ? " Readers that fill in missing values may behave differently."
          : key === "deprecated"
            ? " Producers should plan to stop sending it."
            : "";
      diffs.push(
        this.make(
          o,
          n,
          [key],
          code,
          `"${key}" ${what}: an annotation, so the accepted documents do not change.${extra}`,
          { newerAcceptsAllOfOlder: true, olderAcceptsAllOfNewer: true },
        ),
      );
    }
    return diffs;
  }

  // ---- $defs nobody references ---------------------------------------------------------------

  private unreferencedDefinitions(): Difference[] {
    const defs = (side: Side) =>
      isJsonObject(side.root) && isJsonObject(side.root.$defs) ? side.root.$defs : {};
    const od = defs(this.older);
    const nd = defs(this.newer);
    const oReached = reachedDefinitions(this.older);
    const nReached = reachedDefinitions(this.newer);
    const diffs: Difference[] = [];
    for (const name of new Set([...Object.keys(od), ...Object.keys(nd)])) {
      if (oReached.has(name) && nReached.has(name)) continue;
      const hasO = Object.hasOwn(od, name);
      const hasN = Object.hasOwn(nd, name);
      if (hasO && hasN && jsonEqual(od[name], nd[name])) continue;
      const code = !hasO ? "DEFINITION_ADDED" : !hasN ? "DEFINITION_REMOVED" : "DEFINITION_CHANGED";
      const unused = [!oReached.has(name) && "older", !nReached.has(name) && "newer"].filter(
        Boolean,
      );
      diffs.push({
        pointer: childPointer("/$defs", name),
        change: code,
        description: `Definition "${name}" ${code === "DEFINITION_ADDED" ? "was added" : code === "DEFINITION_REMOVED" ? "was removed" : "changed"}; it is not referenced from the root of the ${unused.join(" or ")} version, so on its own it does not change the accepted documents (where it is referenced, the comparison covers it).`,
        newerAcceptsAllOfOlder: true,
        olderAcceptsAllOfNewer: true,
      });
    }
    return diffs;
  }
}

type Located = { readonly schema: JsonObject; readonly pointer: string };

/** Names of top-level `$defs` reachable from the root through internal references. */
function reachedDefinitions(side: Side): Set<string> {
  const reached = new Set<string>();
  const starts = [""];
  const visited = new Set<string>();
  while (starts.length > 0) {
    const start = starts.pop() as string;
    if (visited.has(start)) continue;
    visited.add(start);
    const match = /^\/\$defs\/([^/]*)/.exec(start);
    if (match?.[1] !== undefined) {
      reached.add(match[1].replaceAll("~1", "/").replaceAll("~0", "~"));
    }
    for (const { schema, pointer } of walkSubschemas(readPointer(side.root, start))) {
      if (start === "" && /^\/\$defs\//.test(pointer)) continue;
      if (!isJsonObject(schema)) continue;
      for (const keyword of ["$ref", "$dynamicRef"]) {
        const ref = schema[keyword];
        if (typeof ref !== "string") continue;
        const target = internalRefPointer(ref, side.root, side.anchors);
        if (target !== undefined) starts.push(target);
      }
    }
  }
  return reached;
}

/** A sound but partial disjointness test for two subschemas. */
function disjoint(a: unknown, b: unknown, deref: (s: unknown) => unknown): boolean {
  if (a === false || b === false) return true;
  if (!isJsonObject(a) || !isJsonObject(b)) return false;
  const families = (s: JsonObject): Set<string> => {
    const types = declaredTypes(s);
    const values = valueSet(s);
    const base = new Set([...(types ?? TYPE_NAMES)].map((t) => (t === "integer" ? "number" : t)));
    if (values === undefined) return base;
    return new Set(
      values
        .map((v) => jsonTypeOf(v))
        .map((t) => (t === "integer" ? "number" : t))
        .filter((t) => base.has(t)),
    );
  };
  const fa = families(a);
  const fb = families(b);
  if (![...fa].some((t) => fb.has(t))) return true;
  const va = valueSet(a);
  const vb = valueSet(b);
  if (va && vb && !va.some((v) => vb.some((w) => jsonEqual(v, w)))) return true;
  // Tagged unions: both only objects, a shared required property with disjoint values.
  if (fa.size === 1 && fa.has("object") && fb.size === 1 && fb.has("object")) {
    const pa = isJsonObject(a.properties) ? a.properties : {};
    const pb = isJsonObject(b.properties) ? b.properties : {};
    const ra = Array.isArray(a.required) ? a.required : [];
    const rb = Array.isArray(b.required) ? b.required : [];
    for (const name of Object.keys(pa)) {
      if (!Object.hasOwn(pb, name) || !ra.includes(name) || !rb.includes(name)) continue;
      const xa = deref(pa[name]);
      const xb = deref(pb[name]);
      if (isJsonObject(xa) && isJsonObject(xb)) {
        const sa = valueSet(xa);
        const sb = valueSet(xb);
        if (sa && sb && !sa.some((v) => sb.some((w) => jsonEqual(v, w)))) return true;
      }
    }
  }
  return false;
}

/**
 * Lists every difference between two schema documents, each with whether the newer schema
 * accepts every document the older one accepts (`newerAcceptsAllOfOlder`) and the reverse
 * (`olderAcceptsAllOfNewer`), judged on that difference alone. A newer version accepts all of
 * an older one's documents when every difference says so; informational differences have both
 * flags true. Only internal references (`#...`) are followed, with cycles guarded; a reference
 * to a registry schema is taken to mean the same schema while its URI is unchanged (published
 * versions are immutable) and is reported as unproven when the URI changes. Both arguments are
 * expected to have passed `validateSchemaDocument`; anything else is compared conservatively.
 *
 * @example
 * const diffs = compare(v1, v2);
 * const readsOldData = diffs.every((d) => d.newerAcceptsAllOfOlder); // BACKWARD
 */
export function compare(
  older: unknown,
  newer: unknown,
  options: CompareOptions = {},
): Difference[] {
  return new Comparison(older, newer, options).run();
}
