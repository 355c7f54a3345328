import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import {
  COMPATIBILITY_MODES,
  type CompatibilityMode,
  checkCompatibility,
  compare,
  DIFFERENCE_CODES,
  type Difference,
  type DifferenceCode,
} from "./compatibility.ts";
import { validateSchemaDocument } from "./schema-document.ts";

const doc = (body: Record<string, unknown>) => ({
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://schemas.simpul.id/test/penerima",
  ...body,
});

const nik = { type: "string", minLength: 16, maxLength: 16, pattern: "^[0-9]{16}$" };
const person = {
  type: "object",
  properties: { nik, nama: { type: "string", maxLength: 100 } },
  required: ["nik"],
};
const closedPerson = { ...person, additionalProperties: false };
const withProps = (base: Record<string, unknown>, extra: Record<string, unknown>) => ({
  ...base,
  properties: { ...(base.properties as Record<string, unknown>), ...extra },
});
const withoutProp = (base: Record<string, unknown>, name: string) => {
  const properties = { ...(base.properties as Record<string, unknown>) };
  delete properties[name];
  return { ...base, properties };
};
const field = (schema: unknown) => ({ type: "object", properties: { f: schema } });

interface Case {
  readonly name: string;
  readonly older: Record<string, unknown>;
  readonly newer: Record<string, unknown>;
  readonly backward: boolean;
  readonly forward: boolean;
  /** Expected [code, pointer] pairs, in any order. */
  readonly differences: readonly (readonly [DifferenceCode, string])[];
}

const address = (extra: Record<string, unknown> = {}) => ({
  type: "object",
  properties: {
    kota: { type: "string" },
    kodePos: { type: "string", maxLength: 5 },
  },
  ...extra,
});

const cases: readonly Case[] = [
  {
    name: "optional property added to an open object narrows what older documents may carry",
    older: person,
    newer: withProps(person, { email: { type: "string" } }),
    backward: false,
    forward: true,
    differences: [["PROPERTY_ADDED", "/properties/email"]],
  },
  {
    name: "optional property added to a closed object widens the accepted set",
    older: closedPerson,
    newer: withProps(closedPerson, { email: { type: "string" } }),
    backward: true,
    forward: false,
    differences: [["PROPERTY_ADDED", "/properties/email"]],
  },
  {
    name: "unconstrained property added to an open object changes nothing",
    older: person,
    newer: withProps(person, { catatan: { description: "Free text" } }),
    backward: true,
    forward: true,
    differences: [["PROPERTY_ADDED", "/properties/catatan"]],
  },
  {
    name: "required property added to a closed object",
    older: closedPerson,
    newer: { ...withProps(closedPerson, { kk: nik }), required: ["nik", "kk"] },
    backward: false,
    forward: false,
    differences: [
      ["PROPERTY_ADDED", "/properties/kk"],
      ["REQUIRED_ADDED", "/properties/kk"],
    ],
  },
  {
    name: "optional property made required",
    older: person,
    newer: { ...person, required: ["nik", "nama"] },
    backward: false,
    forward: true,
    differences: [["REQUIRED_ADDED", "/properties/nama"]],
  },
  {
    name: "required property made optional",
    older: person,
    newer: { ...person, required: [] },
    backward: true,
    forward: false,
    differences: [["REQUIRED_REMOVED", "/properties/nik"]],
  },
  {
    name: "property removed from an open object",
    older: person,
    newer: withoutProp(person, "nama"),
    backward: true,
    forward: false,
    differences: [["PROPERTY_REMOVED", "/properties/nama"]],
  },
  {
    name: "property removed from a closed object",
    older: closedPerson,
    newer: withoutProp(closedPerson, "nama"),
    backward: false,
    forward: true,
    differences: [["PROPERTY_REMOVED", "/properties/nama"]],
  },
  {
    name: "property renamed in a closed object (removed and added)",
    older: closedPerson,
    newer: withProps(withoutProp(closedPerson, "nama"), { namaLengkap: { type: "string" } }),
    backward: false,
    forward: false,
    differences: [
      ["PROPERTY_REMOVED", "/properties/nama"],
      ["PROPERTY_ADDED", "/properties/namaLengkap"],
    ],
  },
  {
    name: "property renamed in an open object (removed and added)",
    older: person,
    newer: withProps(withoutProp(person, "nama"), { namaLengkap: { type: "string" } }),
    backward: false,
    forward: false,
    differences: [
      ["PROPERTY_REMOVED", "/properties/nama"],
      ["PROPERTY_ADDED", "/properties/namaLengkap"],
    ],
  },
  {
    name: "enum value removed",
    older: field({ enum: ["AKTIF", "NONAKTIF", "MENINGGAL"] }),
    newer: field({ enum: ["AKTIF", "NONAKTIF"] }),
    backward: false,
    forward: true,
    differences: [["ENUM_VALUE_REMOVED", "/properties/f/enum"]],
  },
  {
    name: "enum value added",
    older: field({ enum: ["PKH", "BPNT"] }),
    newer: field({ enum: ["PKH", "BPNT", "BST"] }),
    backward: true,
    forward: false,
    differences: [["ENUM_VALUE_ADDED", "/properties/f/enum"]],
  },
  {
    name: "type widened from integer to number",
    older: field({ type: "integer" }),
    newer: field({ type: "number" }),
    backward: true,
    forward: false,
    differences: [["TYPE_WIDENED", "/properties/f/type"]],
  },
  {
    name: "type made nullable (string to [string, null])",
    older: field({ type: "string" }),
    newer: field({ type: ["string", "null"] }),
    backward: true,
    forward: false,
    differences: [["TYPE_WIDENED", "/properties/f/type"]],
  },
  {
    name: "type narrowed from number to integer",
    older: field({ type: "number" }),
    newer: field({ type: "integer" }),
    backward: false,
    forward: true,
    differences: [["TYPE_NARROWED", "/properties/f/type"]],
  },
  {
    name: "maxLength tightened",
    older: field({ type: "string", maxLength: 100 }),
    newer: field({ type: "string", maxLength: 50 }),
    backward: false,
    forward: true,
    differences: [["MAX_LENGTH_DECREASED", "/properties/f/maxLength"]],
  },
  {
    name: "maxLength loosened",
    older: field({ type: "string", maxLength: 50 }),
    newer: field({ type: "string", maxLength: 100 }),
    backward: true,
    forward: false,
    differences: [["MAX_LENGTH_INCREASED", "/properties/f/maxLength"]],
  },
  {
    name: "minLength raised",
    older: field({ type: "string", minLength: 1 }),
    newer: field({ type: "string", minLength: 3 }),
    backward: false,
    forward: true,
    differences: [["MIN_LENGTH_INCREASED", "/properties/f/minLength"]],
  },
  {
    name: "minimum raised",
    older: field({ type: "integer", minimum: 0 }),
    newer: field({ type: "integer", minimum: 17 }),
    backward: false,
    forward: true,
    differences: [["MINIMUM_INCREASED", "/properties/f/minimum"]],
  },
  {
    name: "maximum raised",
    older: field({ type: "integer", maximum: 120 }),
    newer: field({ type: "integer", maximum: 150 }),
    backward: true,
    forward: false,
    differences: [["MAXIMUM_INCREASED", "/properties/f/maximum"]],
  },
  {
    name: "exclusiveMinimum 0 relaxed to minimum 0",
    older: field({ type: "number", exclusiveMinimum: 0 }),
    newer: field({ type: "number", minimum: 0 }),
    backward: true,
    forward: false,
    differences: [["MINIMUM_DECREASED", "/properties/f/minimum"]],
  },
  {
    name: "multipleOf 10 relaxed to 5",
    older: field({ type: "integer", multipleOf: 10 }),
    newer: field({ type: "integer", multipleOf: 5 }),
    backward: true,
    forward: false,
    differences: [["MULTIPLE_OF_CHANGED", "/properties/f/multipleOf"]],
  },
  {
    name: "numeric bound added to a string-only value cannot refuse anything",
    older: field({ type: "string" }),
    newer: field({ type: "string", maximum: 3 }),
    backward: true,
    forward: true,
    differences: [["MAXIMUM_ADDED", "/properties/f/maximum"]],
  },
  {
    name: "items type changed",
    older: field({ type: "array", items: { type: "string" } }),
    newer: field({ type: "array", items: { type: "integer" } }),
    backward: false,
    forward: false,
    differences: [["TYPE_CHANGED", "/properties/f/items/type"]],
  },
  {
    name: "items closed (absent to false)",
    older: field({ type: "array" }),
    newer: field({ type: "array", items: false }),
    backward: false,
    forward: true,
    differences: [["ITEMS_CLOSED", "/properties/f/items"]],
  },
  {
    name: "prefixItems position added to a closed tuple",
    older: field({
      type: "array",
      prefixItems: [{ type: "number" }, { type: "number" }],
      items: false,
    }),
    newer: field({
      type: "array",
      prefixItems: [{ type: "number" }, { type: "number" }, { type: "number" }],
      items: false,
    }),
    backward: true,
    forward: false,
    differences: [["PREFIX_ITEM_ADDED", "/properties/f/prefixItems/2"]],
  },
  {
    name: "prefixItems position narrowed",
    older: field({ type: "array", prefixItems: [{ type: "number" }, { type: "number" }] }),
    newer: field({ type: "array", prefixItems: [{ type: "number" }, { type: "integer" }] }),
    backward: false,
    forward: true,
    differences: [["TYPE_NARROWED", "/properties/f/prefixItems/1/type"]],
  },
  {
    name: "minItems raised",
    older: field({ type: "array", minItems: 0 }),
    newer: field({ type: "array", minItems: 1 }),
    backward: false,
    forward: true,
    differences: [["MIN_ITEMS_INCREASED", "/properties/f/minItems"]],
  },
  {
    name: "uniqueItems required",
    older: field({ type: "array", items: { type: "string" } }),
    newer: field({ type: "array", items: { type: "string" }, uniqueItems: true }),
    backward: false,
    forward: true,
    differences: [["UNIQUE_ITEMS_ADDED", "/properties/f/uniqueItems"]],
  },
  {
    name: "additionalProperties false to true",
    older: closedPerson,
    newer: { ...person, additionalProperties: true },
    backward: true,
    forward: false,
    differences: [["ADDITIONAL_PROPERTIES_OPENED", "/additionalProperties"]],
  },
  {
    name: "additionalProperties true to false",
    older: { ...person, additionalProperties: true },
    newer: closedPerson,
    backward: false,
    forward: true,
    differences: [["ADDITIONAL_PROPERTIES_CLOSED", "/additionalProperties"]],
  },
  {
    name: "additionalProperties schema widened",
    older: { type: "object", additionalProperties: { type: "string" } },
    newer: { type: "object", additionalProperties: { type: ["string", "number"] } },
    backward: true,
    forward: false,
    differences: [["TYPE_WIDENED", "/additionalProperties/type"]],
  },
  {
    name: "property added where additionalProperties already required the same schema",
    older: { type: "object", additionalProperties: { type: "string" } },
    newer: {
      type: "object",
      properties: { kota: { type: "string" } },
      additionalProperties: { type: "string" },
    },
    backward: true,
    forward: true,
    differences: [["PROPERTY_ADDED", "/properties/kota"]],
  },
  {
    name: "definition behind $ref changed in $defs",
    older: {
      type: "object",
      properties: { alamat: { $ref: "#/$defs/alamat" } },
      $defs: { alamat: address() },
    },
    newer: {
      type: "object",
      properties: { alamat: { $ref: "#/$defs/alamat" } },
      $defs: {
        alamat: {
          ...address(),
          properties: { ...address().properties, kodePos: { type: "string", maxLength: 6 } },
        },
      },
    },
    backward: true,
    forward: false,
    differences: [["MAX_LENGTH_INCREASED", "/$defs/alamat/properties/kodePos/maxLength"]],
  },
  {
    name: "$ref retargeted to a stricter definition",
    older: {
      type: "object",
      properties: { alamat: { $ref: "#/$defs/alamatV1" } },
      $defs: { alamatV1: address() },
    },
    newer: {
      type: "object",
      properties: { alamat: { $ref: "#/$defs/alamatV2" } },
      $defs: { alamatV1: address(), alamatV2: address({ required: ["kota"] }) },
    },
    backward: false,
    forward: true,
    differences: [
      ["REF_CHANGED", "/properties/alamat/$ref"],
      ["REQUIRED_ADDED", "/$defs/alamatV2/properties/kota"],
      ["DEFINITION_ADDED", "/$defs/alamatV2"],
    ],
  },
  {
    name: "inline schema moved into $defs without change",
    older: { type: "object", properties: { alamat: address() } },
    newer: {
      type: "object",
      properties: { alamat: { $ref: "#/$defs/alamat" } },
      $defs: { alamat: address() },
    },
    backward: true,
    forward: true,
    differences: [
      ["REF_ADDED", "/properties/alamat/$ref"],
      ["DEFINITION_ADDED", "/$defs/alamat"],
    ],
  },
  {
    name: "recursive schema (cycle through $ref) with a tightened leaf",
    older: {
      $ref: "#/$defs/wilayah",
      $defs: {
        wilayah: {
          type: "object",
          properties: {
            kode: { type: "string" },
            anak: { type: "array", items: { $ref: "#/$defs/wilayah" } },
          },
        },
      },
    },
    newer: {
      $ref: "#/$defs/wilayah",
      $defs: {
        wilayah: {
          type: "object",
          properties: {
            kode: { type: "string", maxLength: 13 },
            anak: { type: "array", items: { $ref: "#/$defs/wilayah" } },
          },
        },
      },
    },
    backward: false,
    forward: true,
    differences: [["MAX_LENGTH_ADDED", "/$defs/wilayah/properties/kode/maxLength"]],
  },
  {
    name: "nested object change reported with a deep pointer",
    older: {
      type: "object",
      properties: {
        keluarga: {
          type: "object",
          properties: {
            anggota: {
              type: "array",
              items: {
                type: "object",
                properties: {
                  hubungan: { enum: ["KEPALA KELUARGA", "ISTRI", "ANAK", "FAMILI LAIN"] },
                },
              },
            },
          },
        },
      },
    },
    newer: {
      type: "object",
      properties: {
        keluarga: {
          type: "object",
          properties: {
            anggota: {
              type: "array",
              items: {
                type: "object",
                properties: { hubungan: { enum: ["KEPALA KELUARGA", "ISTRI", "ANAK"] } },
              },
            },
          },
        },
      },
    },
    backward: false,
    forward: true,
    differences: [
      [
        "ENUM_VALUE_REMOVED",
        "/properties/keluarga/properties/anggota/items/properties/hubungan/enum",
      ],
    ],
  },
  {
    name: "const changed",
    older: field({ const: "v1" }),
    newer: field({ const: "v2" }),
    backward: false,
    forward: false,
    differences: [["CONST_CHANGED", "/properties/f/const"]],
  },
  {
    name: "format added (treated as an assertion)",
    older: field({ type: "string" }),
    newer: field({ type: "string", format: "email" }),
    backward: false,
    forward: true,
    differences: [["FORMAT_ADDED", "/properties/f/format"]],
  },
  {
    name: "description and title only",
    older: field({ type: "string", description: "Nama" }),
    newer: field({ type: "string", description: "Nama lengkap sesuai KTP", title: "Nama" }),
    backward: true,
    forward: true,
    differences: [
      ["DESCRIPTION_CHANGED", "/properties/f/description"],
      ["TITLE_ADDED", "/properties/f/title"],
    ],
  },
  {
    name: "default changed",
    older: field({ type: "boolean", default: false }),
    newer: field({ type: "boolean", default: true }),
    backward: true,
    forward: true,
    differences: [["DEFAULT_CHANGED", "/properties/f/default"]],
  },
  {
    name: "pattern changed cannot be proven either way",
    older: field({ type: "string", pattern: "^[0-9]{16}$" }),
    newer: field({ type: "string", pattern: "^[0-9]{15,16}$" }),
    backward: false,
    forward: false,
    differences: [["PATTERN_CHANGED", "/properties/f/pattern"]],
  },
  {
    name: "pattern removed",
    older: field({ type: "string", pattern: "^[A-Z]+$" }),
    newer: field({ type: "string" }),
    backward: true,
    forward: false,
    differences: [["PATTERN_REMOVED", "/properties/f/pattern"]],
  },
  {
    name: "anyOf branch added",
    older: field({ anyOf: [{ type: "string" }, { type: "integer" }] }),
    newer: field({ anyOf: [{ type: "string" }, { type: "integer" }, { type: "null" }] }),
    backward: true,
    forward: false,
    differences: [["ANY_OF_BRANCH_ADDED", "/properties/f/anyOf/2"]],
  },
  {
    name: "anyOf branch removed",
    older: field({ anyOf: [{ type: "string" }, { type: "integer" }, { type: "null" }] }),
    newer: field({ anyOf: [{ type: "string" }, { type: "integer" }] }),
    backward: false,
    forward: true,
    differences: [["ANY_OF_BRANCH_REMOVED", "/properties/f/anyOf"]],
  },
  {
    name: "anyOf branch added that an existing branch already covers",
    older: field({ anyOf: [{ type: "number" }] }),
    newer: field({ anyOf: [{ type: "number" }, { type: "integer", minimum: 0 }] }),
    backward: true,
    forward: true,
    differences: [["ANY_OF_BRANCH_ADDED", "/properties/f/anyOf/1"]],
  },
  {
    name: "oneOf branch added to a tagged union (branches provably exclusive)",
    older: field({
      oneOf: [
        { type: "object", properties: { jenis: { const: "PKH" } }, required: ["jenis"] },
        { type: "object", properties: { jenis: { const: "BPNT" } }, required: ["jenis"] },
      ],
    }),
    newer: field({
      oneOf: [
        { type: "object", properties: { jenis: { const: "PKH" } }, required: ["jenis"] },
        { type: "object", properties: { jenis: { const: "BPNT" } }, required: ["jenis"] },
        { type: "object", properties: { jenis: { const: "BST" } }, required: ["jenis"] },
      ],
    }),
    backward: true,
    forward: false,
    differences: [["ONE_OF_BRANCH_ADDED", "/properties/f/oneOf/2"]],
  },
  {
    name: "oneOf branch added that may overlap (exclusivity unproven)",
    older: field({ oneOf: [{ type: "string", maxLength: 5 }, { type: "integer" }] }),
    newer: field({
      oneOf: [
        { type: "string", maxLength: 5 },
        { type: "integer" },
        { type: "string", pattern: "^A" },
      ],
    }),
    backward: false,
    forward: false,
    differences: [
      ["ONE_OF_BRANCH_ADDED", "/properties/f/oneOf/2"],
      ["ONE_OF_EXCLUSIVITY_UNPROVEN", "/properties/f/oneOf"],
    ],
  },
  {
    name: "if/then/else added is an extra condition the engine does not decide",
    older: field({ type: "object" }),
    newer: field({
      type: "object",
      if: { properties: { status: { const: "MENINGGAL" } }, required: ["status"] },
      // biome-ignore lint/suspicious/noThenProperty: "then" is a JSON Schema keyword here.
      then: { required: ["tanggalMeninggal"] },
    }),
    backward: false,
    forward: true,
    differences: [["CONSTRAINT_ADDED", "/properties/f/if"]],
  },
  {
    name: "whole document unchanged apart from key order",
    older: person,
    newer: {
      required: ["nik"],
      properties: { nama: { maxLength: 100, type: "string" }, nik },
      type: "object",
    },
    backward: true,
    forward: true,
    differences: [],
  },
];

const pairs = (diffs: readonly Difference[]) => diffs.map((d) => `${d.change} ${d.pointer}`).sort();

const expected = (c: Case): Record<CompatibilityMode, boolean> => ({
  BACKWARD: c.backward,
  BACKWARD_TRANSITIVE: c.backward,
  FORWARD: c.forward,
  FORWARD_TRANSITIVE: c.forward,
  FULL: c.backward && c.forward,
  FULL_TRANSITIVE: c.backward && c.forward,
  NONE: true,
});

describe("compare and checkCompatibility: evolution table", () => {
  it("has at least 30 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  for (const c of cases) {
    describe(c.name, () => {
      const older = doc(c.older);
      const newer = doc(c.newer);

      it("uses documents the registry would admit", () => {
        expect(validateSchemaDocument(older)).toEqual({ ok: true });
        expect(validateSchemaDocument(newer)).toEqual({ ok: true });
      });

      it("lists the expected differences with their pointers", () => {
        const diffs = compare(older, newer);
        expect(pairs(diffs), JSON.stringify(diffs, null, 2)).toEqual(
          c.differences.map(([code, pointer]) => `${code} ${pointer}`).sort(),
        );
        for (const d of diffs) {
          expect(DIFFERENCE_CODES).toContain(d.change);
          expect(d.description.length).toBeGreaterThan(10);
        }
      });

      it("gives the expected verdict under every mode", () => {
        const verdicts = Object.fromEntries(
          COMPATIBILITY_MODES.map((mode) => [
            mode,
            checkCompatibility(mode, newer, [older]).compatible,
          ]),
        );
        expect(verdicts).toEqual(expected(c));
      });

      it("explains each difference under the mode, breaking or not", () => {
        const result = checkCompatibility("FULL", newer, [older]);
        expect(result.differences).toHaveLength(c.differences.length);
        for (const d of result.differences) {
          expect(d.against).toBe(0);
          expect(d.breaking).toBe(!d.newerAcceptsAllOfOlder || !d.olderAcceptsAllOfNewer);
          expect(d.verdict).toMatch(d.breaking ? /breaks/ : /safe/);
        }
      });
    });
  }
});

describe("checkCompatibility", () => {
  const v1 = doc(field({ enum: ["PKH", "BPNT", "BST"] }));
  const v2 = doc(field({ enum: ["PKH", "BPNT"] }));
  const v3 = doc(field({ enum: ["PKH", "BPNT"], description: "Program bansos" }));

  it("compares only with the latest version unless the mode is transitive", () => {
    // v2 dropped BST while the subject was FORWARD; the mode is now BACKWARD.
    expect(checkCompatibility("BACKWARD", v3, [v1, v2]).compatible).toBe(true);
    const transitive = checkCompatibility("BACKWARD_TRANSITIVE", v3, [v1, v2]);
    expect(transitive.compatible).toBe(false);
    const breaking = transitive.differences.filter((d) => d.breaking);
    expect(breaking.map((d) => [d.change, d.pointer, d.against])).toEqual([
      ["ENUM_VALUE_REMOVED", "/properties/f/enum", 0],
    ]);
    expect(breaking[0]?.verdict).toMatch(/version 1/);
    expect(transitive.differences.filter((d) => !d.breaking).map((d) => d.against)).toEqual([0, 1]);
    expect(checkCompatibility("FULL_TRANSITIVE", v3, [v1, v2]).compatible).toBe(false);
    expect(checkCompatibility("FORWARD_TRANSITIVE", v3, [v1, v2]).compatible).toBe(true);
  });

  it("accepts anything for a first version", () => {
    expect(checkCompatibility("FULL_TRANSITIVE", v1, [])).toEqual({
      compatible: true,
      mode: "FULL_TRANSITIVE",
      differences: [],
    });
  });

  it("still lists differences under NONE, none of them breaking", () => {
    const result = checkCompatibility("NONE", v1, [v2]);
    expect(result.compatible).toBe(true);
    expect(result.differences.map((d) => [d.change, d.breaking])).toEqual([
      ["ENUM_VALUE_ADDED", false],
    ]);
  });

  it("reports both directions under FULL", () => {
    const result = checkCompatibility("FULL", doc(field({ const: "b" })), [
      doc(field({ const: "a" })),
    ]);
    expect(result.differences[0]?.verdict).toMatch(/BACKWARD.*FORWARD/);
  });
});

describe("compare: robustness", () => {
  it("terminates on mutually recursive definitions", () => {
    const schema = (max: number) =>
      doc({
        $ref: "#/$defs/a",
        $defs: {
          a: { type: "object", properties: { b: { $ref: "#/$defs/b" } } },
          b: { type: "object", properties: { a: { $ref: "#/$defs/a" }, n: { maximum: max } } },
        },
      });
    expect(pairs(compare(schema(5), schema(6)))).toEqual([
      "MAXIMUM_INCREASED /$defs/b/properties/n/maximum",
    ]);
  });

  it("treats a reference outside the document as unproven when it changes", () => {
    const diffs = compare(
      doc(field({ $ref: "https://schemas.simpul.id/wilayah/1" })),
      doc(field({ $ref: "https://schemas.simpul.id/wilayah/2" })),
    );
    expect(
      diffs.map((d) => [d.change, d.newerAcceptsAllOfOlder, d.olderAcceptsAllOfNewer]),
    ).toEqual([["REF_CHANGED", false, false]]);
    expect(diffs[0]?.description).toMatch(/could not prove/);
  });

  it("stops at the comparison limit with an unproven difference", () => {
    const wide = (n: number) =>
      doc({
        anyOf: Array.from({ length: 30 }, (_, i) => ({
          type: "object",
          properties: { [`p${i}`]: { maximum: n } },
        })),
      });
    const diffs = compare(wide(1), wide(2), { maxComparisons: 50 });
    expect(diffs.some((d) => d.change === "COMPARISON_LIMIT_REACHED")).toBe(true);
  });

  it("reverses the direction inside not", () => {
    const diffs = compare(
      doc(field({ not: { type: "string" } })),
      doc(field({ not: { type: ["string", "null"] } })),
    );
    expect(
      diffs.map((d) => [d.change, d.newerAcceptsAllOfOlder, d.olderAcceptsAllOfNewer]),
    ).toEqual([["TYPE_WIDENED", false, true]]);
  });
});

/*
 * Sample-based sanity check: a reported inclusion must never be contradicted by a concrete
 * document. Samples are generated from both schemas (plus mutations) with a seeded generator and
 * judged by Ajv, an independent validator.
 */
describe("compare: claimed inclusions hold on generated samples", () => {
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  let compiled = 0;
  const compile = (schema: Record<string, unknown>) => {
    compiled += 1;
    return ajv.compile({ ...schema, $id: `https://schemas.simpul.id/sample/${compiled}` });
  };

  for (const c of cases) {
    it(c.name, () => {
      const older = doc(c.older);
      const newer = doc(c.newer);
      const diffs = compare(older, newer);
      const newerAcceptsAllOfOlder = diffs.every((d) => d.newerAcceptsAllOfOlder);
      const olderAcceptsAllOfNewer = diffs.every((d) => d.olderAcceptsAllOfNewer);
      const validOlder = compile(older);
      const validNewer = compile(newer);
      const samples = generateSamples([older, newer], 400);
      for (const sample of samples) {
        const inOlder = validOlder(sample);
        const inNewer = validNewer(sample);

        if (newerAcceptsAllOfOlder && inOlder) {
          expect(inNewer, `newer refuses ${JSON.stringify(sample)}`).toBe(true);
        }
        if (olderAcceptsAllOfNewer && inNewer) {
          expect(inOlder, `older refuses ${JSON.stringify(sample)}`).toBe(true);
        }
      }
    });
  }
});

/** Seeded generator of JSON documents shaped after the given schemas, with some mutation. */
function generateSamples(roots: readonly Record<string, unknown>[], count: number): unknown[] {
  let seed = 0x5eed;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const noise = [
    null,
    true,
    0,
    -1,
    1.5,
    7,
    10,
    15,
    17,
    120,
    150,
    "",
    "A",
    "ABC",
    "x".repeat(60),
    [],
    {},
  ];

  const resolve = (schema: unknown, root: Record<string, unknown>): Record<string, unknown> => {
    let current = schema;
    for (let i = 0; i < 8; i += 1) {
      if (typeof current !== "object" || current === null) return {};
      const ref = (current as Record<string, unknown>).$ref;
      if (typeof ref !== "string" || !ref.startsWith("#/")) break;
      current = ref
        .slice(2)
        .split("/")
        .reduce<unknown>((node, token) => (node as Record<string, unknown>)?.[token], root);
    }
    return typeof current === "object" && current !== null
      ? (current as Record<string, unknown>)
      : {};
  };

  const gen = (schemaIn: unknown, root: Record<string, unknown>, depth: number): unknown => {
    if (random() < 0.08 || depth > 5) return pick(noise);
    const schema = resolve(schemaIn, root);
    if ("const" in schema) return schema.const;
    if (Array.isArray(schema.enum)) return random() < 0.9 ? pick(schema.enum) : "LAINNYA";
    for (const key of ["anyOf", "oneOf"] as const) {
      const branches = schema[key];
      if (Array.isArray(branches)) return gen(pick(branches), root, depth + 1);
    }
    const declared = schema.type;
    const types = Array.isArray(declared)
      ? declared
      : declared
        ? [declared]
        : ["object", "string", "number"];
    const type = pick(types as string[]);
    switch (type) {
      case "object": {
        const out: Record<string, unknown> = {};
        const props = (schema.properties ?? {}) as Record<string, unknown>;
        const names = new Set<string>([
          ...Object.keys(props),
          ...roots.flatMap((r) => Object.keys((r.properties ?? {}) as object)),
          "lain",
        ]);
        for (const name of names) {
          if (random() < 0.6)
            out[name] = gen(props[name] ?? schema.additionalProperties ?? {}, root, depth + 1);
        }
        return out;
      }
      case "array": {
        const prefix = (schema.prefixItems ?? []) as unknown[];
        const length = Math.floor(random() * 5);
        return Array.from({ length }, (_, i) =>
          gen(i < prefix.length ? prefix[i] : (schema.items ?? {}), root, depth + 1),
        );
      }
      case "string": {
        const length = pick([0, 1, 3, 5, 6, 15, 16, 50, 51, 100, 101]);
        return pick(["1", "A", "x"]).repeat(length);
      }
      case "integer":
      case "number":
        return pick([-1, 0, 1, 3, 5, 10, 15, 16, 17, 2.5, 120, 121, 150, 151]);
      case "boolean":
        return random() < 0.5;
      default:
        return null;
    }
  };

  return Array.from({ length: count }, (_, i) => {
    const root = roots[i % roots.length] as Record<string, unknown>;
    return gen(root, root, 0);
  });
}
