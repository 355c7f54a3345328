/** The canonical schemas in `schemas/` match their zod sources, and the drift check says when not. */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { validateSchemaDocument } from "../gateway/src/schema-registry/schema-document.ts";
import { parseSchemaId } from "../gateway/src/schema-registry/subjects.ts";
import { Person } from "../schemas/src/person.ts";
import {
  buildSchemaFiles,
  CATALOGUE,
  canonicalDocument,
  findSchemaDrift,
  SCHEMAS_DIR,
} from "../scripts/schema-catalogue.ts";

const GENERATOR = join(process.cwd(), "scripts/gen-schemas.ts");
/** tsx's loader by absolute URL, since the check runs in a temporary directory. */
const TSX = pathToFileURL(join(process.cwd(), "node_modules/tsx/dist/loader.mjs")).href;
const temporary: string[] = [];
afterEach(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of `schemas/` to edit freely. */
function copyOfSchemas(): string {
  const root = mkdtempSync(join(tmpdir(), "simpul-schemas-"));
  temporary.push(root);
  cpSync(SCHEMAS_DIR, join(root, SCHEMAS_DIR), { recursive: true });
  return root;
}

describe("canonical schemas", () => {
  it("are in sync with their zod sources (run `npm run gen` if not)", () => {
    expect(findSchemaDrift(SCHEMAS_DIR, buildSchemaFiles())).toEqual([]);
  });

  it.each(CATALOGUE.map((entry) => [entry.subject, entry] as const))(
    "%s is a registrable 2020-12 document with SDI metadata",
    (subject, entry) => {
      const document = canonicalDocument(entry);
      expect(validateSchemaDocument(document, undefined, { maxNodes: 100_000 })).toEqual({
        ok: true,
      });
      expect(parseSchemaId(String(document.$id))).toEqual({ subject, version: entry.version });
      expect(document.version).toBe(entry.version);
      const sdi = document["x-sdi"] as Record<string, unknown>;
      expect(sdi.legalBasis).toContain("Perpres 39/2019 tentang Satu Data Indonesia");
      for (const field of ["concept", "definition", "classification", "steward"]) {
        expect(sdi[field], `x-sdi.${field}`).toBeTruthy();
      }
      const ajv = new Ajv2020({ strict: false });
      expect(() => ajv.compile(document)).not.toThrow();
    },
  );

  it("marks personal-data shapes restricted under UU PDP", () => {
    for (const subject of ["person", "household", "audit-record"]) {
      const entry = CATALOGUE.find((candidate) => candidate.subject === subject);
      expect(entry?.sdi.classification, subject).toBe("terbatas");
      expect(entry?.sdi.legalBasis.join(" ")).toMatch(/UU 27\/2022/);
    }
  });
});

describe("the drift check", () => {
  it("fails when a generated file is edited by hand", () => {
    const root = copyOfSchemas();
    const file = join(root, SCHEMAS_DIR, "person.schema.json");
    writeFileSync(file, readFileSync(file, "utf8").replace('"fullName"', '"namaLengkap"'));
    expect(findSchemaDrift(join(root, SCHEMAS_DIR), buildSchemaFiles())).toEqual([
      { file: "person.schema.json", status: "changed" },
    ]);
  });

  it("fails when the zod source changes and the files are not regenerated", () => {
    const edited = CATALOGUE.map((entry) =>
      entry.subject === "person"
        ? {
            ...entry,
            body: () => {
              const { $schema: _, ...body } = z.toJSONSchema(
                Person.extend({ nickname: z.string() }),
                { target: "draft-2020-12" },
              );
              return body;
            },
          }
        : entry,
    );
    expect(findSchemaDrift(SCHEMAS_DIR, buildSchemaFiles(edited))).toEqual([
      { file: "person.schema.json", status: "changed" },
    ]);
  });

  it("reports deleted and orphaned files", () => {
    const root = copyOfSchemas();
    const dir = join(root, SCHEMAS_DIR);
    unlinkSync(join(dir, "household.schema.json"));
    writeFileSync(join(dir, "old-thing.schema.json"), "{}\n");
    expect(findSchemaDrift(dir, buildSchemaFiles())).toEqual([
      { file: "household.schema.json", status: "missing" },
      { file: "old-thing.schema.json", status: "orphaned" },
    ]);
  });

  it("makes `gen-schemas --check` exit 1 on an edited file, as CI runs it", () => {
    const root = copyOfSchemas();
    const file = join(root, SCHEMAS_DIR, "dukcapil-sex.schema.json");
    writeFileSync(file, readFileSync(file, "utf8").replace("PEREMPUAN", "WANITA"));
    const run = spawnSync(process.execPath, ["--import", TSX, GENERATOR, "--check"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toContain("DRIFTED (changed): schemas/dukcapil-sex.schema.json");
  });
});
