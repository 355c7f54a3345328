import { readFileSync, writeFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { generateMetaSchemaValidator } from "./compat-meta-schema.codegen.ts";
import { SCHEMA_DIALECT_2020_12, validateSchemaDocument } from "./schema-document.ts";

const doc = (body: Record<string, unknown> = {}) => ({
  $schema: SCHEMA_DIALECT_2020_12,
  $id: "https://schemas.simpul.id/penerima/1",
  type: "object",
  ...body,
});

const refused = (result: ReturnType<typeof validateSchemaDocument>) => {
  if (result.ok) throw new Error("expected the document to be refused");
  return { code: result.code, pointer: result.pointer };
};

describe("validateSchemaDocument", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("admits a 2020-12 document with internal references", () => {
    const result = validateSchemaDocument(
      doc({
        properties: {
          alamat: { $ref: "#/$defs/alamat" },
          wilayah: { $ref: "#kodeWilayah" },
          riwayat: { type: "array", items: { $ref: "#" } },
        },
        $defs: {
          alamat: { type: "object", properties: { kodePos: { pattern: "^[0-9]{5}$" } } },
          wilayah: { $anchor: "kodeWilayah", type: "string" },
        },
      }),
    );
    expect(result).toEqual({ ok: true });
  });

  it("refuses values that are not JSON objects", () => {
    for (const value of [[], "schema", null, 42, true]) {
      expect(refused(validateSchemaDocument(value)).code).toBe("NOT_AN_OBJECT");
    }
    expect(refused(validateSchemaDocument(doc({ minimum: Number.NaN })))).toEqual({
      code: "NOT_JSON",
      pointer: "/minimum",
    });
  });

  it("refuses another dialect", () => {
    const result = validateSchemaDocument(
      doc({ $schema: "http://json-schema.org/draft-07/schema#" }),
    );
    expect(refused(result)).toEqual({ code: "WRONG_DIALECT", pointer: "/$schema" });
  });

  it("refuses a document without $id, or with a relative one", () => {
    const { $id: _, ...withoutId } = doc();
    expect(refused(validateSchemaDocument(withoutId))).toEqual({
      code: "MISSING_ID",
      pointer: "/$id",
    });
    expect(refused(validateSchemaDocument(doc({ $id: "penerima.json" }))).code).toBe("INVALID_ID");
    expect(refused(validateSchemaDocument(doc({ $id: "https://x.id/a#frag" }))).code).toBe(
      "INVALID_ID",
    );
  });

  it("refuses a malformed schema with the meta-schema's reason and pointer", () => {
    const badType = validateSchemaDocument(doc({ properties: { nik: { type: "strin" } } }));
    expect(refused(badType)).toEqual({ code: "INVALID_SCHEMA", pointer: "/properties/nik/type" });
    expect(badType.ok ? "" : badType.reason).toMatch(/allowed values/);

    const negative = validateSchemaDocument(doc({ properties: { nik: { minLength: -1 } } }));
    expect(refused(negative)).toEqual({
      code: "INVALID_SCHEMA",
      pointer: "/properties/nik/minLength",
    });
    expect(refused(validateSchemaDocument(doc({ required: "nik" }))).pointer).toBe("/required");
    expect(refused(validateSchemaDocument(doc({ anyOf: [] }))).pointer).toBe("/anyOf");
  });

  it("refuses a pattern that is not a valid regular expression", () => {
    expect(refused(validateSchemaDocument(doc({ properties: { a: { pattern: "([" } } })))).toEqual({
      code: "INVALID_PATTERN",
      pointer: "/properties/a/pattern",
    });
    expect(refused(validateSchemaDocument(doc({ patternProperties: { "(": {} } }))).code).toBe(
      "INVALID_PATTERN",
    );
  });

  it("refuses external references without fetching them", () => {
    const fetchSpy = vi.fn(() => {
      throw new Error("network must not be used");
    });
    vi.stubGlobal("fetch", fetchSpy);
    const http = doc({ properties: { a: { $ref: "https://evil.example/schema.json" } } });
    expect(refused(validateSchemaDocument(http))).toEqual({
      code: "EXTERNAL_REF",
      pointer: "/properties/a/$ref",
    });
    const relative = doc({ properties: { a: { $ref: "alamat.json#/$defs/x" } } });
    expect(refused(validateSchemaDocument(relative, () => true)).code).toBe("EXTERNAL_REF");
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it("admits a reference to a schema the registry holds, and only that", () => {
    const known = "https://schemas.simpul.id/wilayah/1";
    const resolver = vi.fn((uri: string) => uri === known);
    expect(validateSchemaDocument(doc({ properties: { w: { $ref: known } } }), resolver)).toEqual({
      ok: true,
    });
    expect(resolver).toHaveBeenCalledWith(known);
    const unknown = doc({ properties: { w: { $ref: "https://schemas.simpul.id/wilayah/9" } } });
    expect(refused(validateSchemaDocument(unknown, resolver)).code).toBe("EXTERNAL_REF");
  });

  it("refuses an internal reference that does not resolve", () => {
    expect(refused(validateSchemaDocument(doc({ $ref: "#/$defs/missing" })))).toEqual({
      code: "UNRESOLVED_REF",
      pointer: "/$ref",
    });
    expect(refused(validateSchemaDocument(doc({ $ref: "#nowhere" }))).code).toBe("UNRESOLVED_REF");
  });

  it("ignores $ref-shaped data inside const, enum, default and examples", () => {
    const result = validateSchemaDocument(
      doc({
        properties: {
          a: { const: { $ref: "https://evil.example" } },
          b: { default: { $ref: "../x.json" }, examples: [{ $ref: "x" }] },
        },
      }),
    );
    expect(result).toEqual({ ok: true });
  });

  it("admits an internal $dynamicRef and refuses one that leaves the document", () => {
    const tree = doc({
      $dynamicAnchor: "node",
      properties: { children: { type: "array", items: { $dynamicRef: "#node" } } },
    });
    expect(validateSchemaDocument(tree)).toEqual({ ok: true });
    const outside = doc({ properties: { a: { $dynamicRef: "https://x.id/meta#node" } } });
    expect(refused(validateSchemaDocument(outside, () => true))).toEqual({
      code: "EXTERNAL_DYNAMIC_REF",
      pointer: "/properties/a/$dynamicRef",
    });
  });

  it("refuses embedded resources and duplicate anchors", () => {
    expect(
      refused(validateSchemaDocument(doc({ $defs: { a: { $id: "https://x.id/other" } } }))),
    ).toEqual({ code: "EMBEDDED_RESOURCE", pointer: "/$defs/a/$id" });
    const twice = doc({ $defs: { a: { $anchor: "x" }, b: { $anchor: "x" } } });
    expect(refused(validateSchemaDocument(twice)).code).toBe("DUPLICATE_ANCHOR");
  });

  it("refuses documents that are too deep or too large, without overflowing the stack", () => {
    let deep: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < 100_000; i += 1) deep = { items: deep };
    expect(refused(validateSchemaDocument(doc({ items: deep }))).code).toBe("TOO_DEEP");

    const properties = Object.fromEntries(
      Array.from({ length: 10_000 }, (_, i) => [`p${i}`, { type: "string" }]),
    );
    expect(refused(validateSchemaDocument(doc({ properties }))).code).toBe("TOO_LARGE");
    expect(refused(validateSchemaDocument(doc({ description: "x".repeat(600_000) }))).code).toBe(
      "TOO_LARGE",
    );
    expect(validateSchemaDocument(doc({ properties }), undefined, { maxNodes: 100_000 })).toEqual({
      ok: true,
    });
  });
});

describe("compat-meta-schema.generated.ts", () => {
  it("matches what Ajv generates (UPDATE_GENERATED=1 rewrites it)", () => {
    const file = new URL("./compat-meta-schema.generated.ts", import.meta.url);
    const fresh = generateMetaSchemaValidator();
    if (process.env.UPDATE_GENERATED === "1") writeFileSync(file, fresh);
    expect(readFileSync(file, "utf8") === fresh, "regenerate with UPDATE_GENERATED=1").toBe(true);
  });

  it("contains no runtime code generation", () => {
    const source = readFileSync(
      new URL("./compat-meta-schema.generated.ts", import.meta.url),
      "utf8",
    );
    expect(source).not.toMatch(/new Function|\beval\(|require\(/);
  });
});
