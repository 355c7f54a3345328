/** The canonical schemas in `schemas/`: each built from its one zod source, plus SDI metadata. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import {
  EDUCATION,
  MARITAL,
  OCCUPATION,
  RELIGION as RELIGION_LABELS,
} from "../adapters/world/vocabulary.ts";
import { ProblemSchema } from "../gateway/src/errors/problem.ts";
import { CURRENT_RULE_SET } from "../gateway/src/programs/rule-set.ts";
import { DISTRICTS, REGENCIES } from "../gateway/src/regions/regions.generated.ts";
import { EnrolmentCheckResult } from "../gateway/src/routes/enrolments/check.ts";
import { VerifyResponse } from "../gateway/src/routes/identity/verify.ts";
import { SCHEMA_DIALECT_2020_12 } from "../gateway/src/schema-registry/schema-document.ts";
import { schemaId } from "../gateway/src/schema-registry/subjects.ts";
import { AuditEntrySchema } from "../gateway/src/stores/audit/record.ts";
import {
  Finding,
  PROGRAM_CODES,
  Program,
  ProgramEnrolment,
  RuleSet,
} from "../schemas/src/enrolment.ts";
import { Household } from "../schemas/src/household.ts";
import {
  FAMILY_RELATIONSHIPS,
  MARITAL_STATUSES,
  Person,
  RELIGIONS,
  SEXES,
} from "../schemas/src/person.ts";
import { PROVINCES } from "../sdk/src/nik/provinces.generated.ts";

type Json = Record<string, unknown>;

/**
 * Satu Data Indonesia metadata (Perpres 39/2019 Art. 3: one data standard, one metadata,
 * interoperable, shared reference codes), carried in the `x-sdi` annotation.
 */
export interface SdiMetadata {
  /** The concept the data describes (Indonesian term first). */
  readonly concept: string;
  readonly definition: string;
  /** Access classification; personal data is `terbatas` (restricted) under UU PDP 27/2022. */
  readonly classification: "terbuka" | "terbatas";
  /** Measurement unit, only where values are quantities. */
  readonly unit?: string;
  /** The walidata (data steward) responsible for the standard. */
  readonly steward: string;
  /** Where the data is produced (produsen data). */
  readonly producer: string;
  readonly legalBasis: readonly string[];
  /** The day this version was released (seeds `publishedAt` in the registry). */
  readonly released: string;
}

export interface CanonicalSchema {
  /** Registry subject and file name: `schemas/<subject>.schema.json`. */
  readonly subject: string;
  readonly version: string;
  readonly title: string;
  readonly description: string;
  readonly sdi: SdiMetadata;
  /** The schema body (no `$schema`/`$id`), from its one source. */
  readonly body: () => Json;
}

const SDI_LAW = "Perpres 39/2019 tentang Satu Data Indonesia";
const PDP_LAW = "UU 27/2022 tentang Pelindungan Data Pribadi";
const ADMINDUK_LAW = "UU 23/2006 jo. UU 24/2013 tentang Administrasi Kependudukan";
const ADMINDUK_FORMS =
  "Permendagri 109/2019 tentang Formulir dan Buku yang Digunakan dalam Administrasi Kependudukan";
const REGION_LAW =
  "Permendagri 72/2019 tentang Kode dan Data Wilayah Administrasi Pemerintahan (perubahan Permendagri 137/2017)";
const DTKS_LAW = "Permensos 3/2021 tentang Pengelolaan Data Terpadu Kesejahteraan Sosial";
const FAKIR_MISKIN_LAW = "UU 13/2011 tentang Penanganan Fakir Miskin";
const RFC_9457 = "RFC 9457 Problem Details for HTTP APIs";

const DUKCAPIL = "Kementerian Dalam Negeri — Direktorat Jenderal Kependudukan dan Pencatatan Sipil";
const KEMENDAGRI_WILAYAH =
  "Kementerian Dalam Negeri — Direktorat Jenderal Bina Administrasi Kewilayahan";
const KEMENSOS = "Kementerian Sosial — Pusat Data dan Informasi Kesejahteraan Sosial";
const SIMPUL = "Simpul gateway (operator of the interoperability service)";
const RELEASED = "2025-01-15";

const fromZod = (schema: z.ZodType) => (): Json => {
  const { $schema: _dialect, ...body } = z.toJSONSchema(schema, { target: "draft-2020-12" });
  return body;
};

/** A short code list as `oneOf` of `const` + `title`, which forms and validators can show. */
const labelled = (type: string, entries: readonly (readonly [string, string])[]) => (): Json => ({
  type,
  oneOf: entries.map(([value, title]) => ({ const: value, title })),
});

/*
 * Long code lists (514 regencies, 7 000+ districts) are an `enum` with the names in `x-labels`:
 * comparing two `oneOf` lists pairs every branch with every other, which takes seconds for the
 * regencies and minutes for the districts, while an `enum` compares in linear time.
 */
const enumerated = (pattern: string, table: Readonly<Record<string, string>>) => (): Json => ({
  type: "string",
  pattern,
  enum: Object.keys(table),
  "x-labels": table,
});

const spaced = (value: string) => value.replaceAll("_", " ");

const DUKCAPIL_CODE_LIST = (concept: string, definition: string): SdiMetadata => ({
  concept,
  definition,
  classification: "terbuka",
  steward: DUKCAPIL,
  producer: DUKCAPIL,
  legalBasis: [SDI_LAW, ADMINDUK_LAW, ADMINDUK_FORMS],
  released: RELEASED,
});

export const CATALOGUE: readonly CanonicalSchema[] = [
  {
    subject: "person",
    version: "1.0.0",
    title: "Person",
    description: "A person as recorded by the civil registry (Dukcapil), in canonical terms.",
    sdi: {
      concept: "Penduduk",
      definition:
        "Warga Negara Indonesia dan Orang Asing yang bertempat tinggal di Indonesia, sebagaimana tercatat dalam database kependudukan (SIAK).",
      classification: "terbatas",
      steward: DUKCAPIL,
      producer: DUKCAPIL,
      legalBasis: [SDI_LAW, PDP_LAW, ADMINDUK_LAW],
      released: RELEASED,
    },
    body: fromZod(Person),
  },
  {
    subject: "household",
    version: "1.0.0",
    title: "Household",
    description: "A family card (Kartu Keluarga) with its head, address and members.",
    sdi: {
      concept: "Keluarga (Kartu Keluarga)",
      definition:
        "Satuan keluarga yang tercatat pada satu Kartu Keluarga beserta hubungan setiap anggota dengan kepala keluarga.",
      classification: "terbatas",
      steward: DUKCAPIL,
      producer: DUKCAPIL,
      legalBasis: [SDI_LAW, PDP_LAW, ADMINDUK_LAW],
      released: RELEASED,
    },
    body: fromZod(Household),
  },
  {
    subject: "program",
    version: "1.0.0",
    title: "Social-protection program",
    description: "One program of the catalogue: code, owner, source and legal basis.",
    sdi: {
      concept: "Program Perlindungan Sosial",
      definition:
        "Program bantuan atau jaminan sosial pemerintah pusat beserta kementerian pemiliknya dan masa berlakunya.",
      classification: "terbuka",
      steward: KEMENSOS,
      producer: "Kementerian Sosial, Kementerian Ketenagakerjaan, Kementerian Koperasi dan UKM",
      legalBasis: [SDI_LAW, FAKIR_MISKIN_LAW],
      released: RELEASED,
    },
    body: fromZod(Program),
  },
  {
    subject: "rule-set",
    version: "1.0.0",
    title: "Cross-program rule set",
    description:
      "A versioned set of relations between programs (EXCLUSIVE, PRIORITY, WARN) and excluded occupations.",
    sdi: {
      concept: "Aturan Keterkaitan Antarprogram",
      definition:
        "Kaidah saling-eksklusif, prioritas dan peringatan antarprogram bantuan sosial, dengan dasar hukum masing-masing.",
      classification: "terbuka",
      steward: KEMENSOS,
      producer: SIMPUL,
      legalBasis: [SDI_LAW, FAKIR_MISKIN_LAW, DTKS_LAW],
      released: RELEASED,
    },
    body: fromZod(RuleSet),
  },
  {
    subject: "program-enrolment",
    version: "1.0.0",
    title: "Program enrolment",
    description: "Whether a person is enrolled in one program, in which period, per which source.",
    sdi: {
      concept: "Kepesertaan Program",
      definition:
        "Status keikutsertaan seseorang dalam satu program pada satu periode, menurut sumber data pemilik program.",
      classification: "terbatas",
      steward: KEMENSOS,
      producer: "Kementerian Sosial, Kementerian Ketenagakerjaan, Kementerian Koperasi dan UKM",
      legalBasis: [SDI_LAW, PDP_LAW, DTKS_LAW],
      released: RELEASED,
    },
    body: fromZod(ProgramEnrolment),
  },
  {
    subject: "finding",
    version: "1.0.0",
    title: "Enrolment-check finding",
    description:
      "One thing an enrolment check found: a rule conflict, deceased-but-active, and so on.",
    sdi: {
      concept: "Temuan Pemeriksaan Kepesertaan",
      definition:
        "Hasil penerapan aturan antarprogram dan pemadanan data kependudukan terhadap kepesertaan seseorang.",
      classification: "terbatas",
      steward: KEMENSOS,
      producer: SIMPUL,
      legalBasis: [SDI_LAW, PDP_LAW, DTKS_LAW],
      released: RELEASED,
    },
    body: fromZod(Finding),
  },
  {
    subject: "enrolment-check-result",
    version: "1.0.0",
    title: "Enrolment-check result",
    description: "Per-program status, findings and per-source outcome for one person.",
    sdi: {
      concept: "Hasil Pemeriksaan Kepesertaan",
      definition:
        "Jawaban atas pertanyaan program apa saja yang diterima seseorang dan apakah terjadi konflik antarprogram.",
      classification: "terbatas",
      steward: KEMENSOS,
      producer: SIMPUL,
      legalBasis: [SDI_LAW, PDP_LAW, DTKS_LAW],
      released: RELEASED,
    },
    body: fromZod(EnrolmentCheckResult),
  },
  {
    subject: "identity-verification",
    version: "1.0.0",
    title: "Identity verification",
    description: "A match verdict and similarity score per supplied identity element.",
    sdi: {
      concept: "Verifikasi Data Kependudukan",
      definition:
        "Kecocokan elemen data yang diajukan terhadap database kependudukan, tanpa membuka isi data.",
      classification: "terbatas",
      unit: "score: similarity from 0 to 100 (percent)",
      steward: DUKCAPIL,
      producer: DUKCAPIL,
      legalBasis: [SDI_LAW, PDP_LAW, ADMINDUK_LAW],
      released: RELEASED,
    },
    body: fromZod(VerifyResponse),
  },
  {
    subject: "problem",
    version: "1.0.0",
    title: "Problem details",
    description: "How every error leaves the gateway: RFC 9457 with a stable code and request id.",
    sdi: {
      concept: "Galat Layanan",
      definition: "Keterangan kesalahan yang dapat dibaca mesin, dengan kode yang stabil.",
      classification: "terbuka",
      steward: SIMPUL,
      producer: SIMPUL,
      legalBasis: [SDI_LAW, RFC_9457],
      released: RELEASED,
    },
    body: fromZod(ProblemSchema),
  },
  {
    subject: "audit-record",
    version: "1.0.0",
    title: "Audit record",
    description:
      "One hash-chained entry of the audit trail: who asked for whose data (as a keyed HMAC), why and what left.",
    sdi: {
      concept: "Rekam Jejak Pemrosesan Data Pribadi",
      definition:
        "Catatan setiap pemrosesan data pribadi oleh pengendali, berantai hash agar perubahan terdeteksi.",
      classification: "terbatas",
      steward: SIMPUL,
      producer: SIMPUL,
      legalBasis: [SDI_LAW, `${PDP_LAW} (Pasal 31: perekaman kegiatan pemrosesan)`],
      released: RELEASED,
    },
    body: fromZod(AuditEntrySchema),
  },
  {
    subject: "program-code",
    version: "1.0.0",
    title: "Program codes",
    description: "The program codes every party uses, with the program's name.",
    sdi: {
      concept: "Kode Program Perlindungan Sosial",
      definition: "Kode referensi program bantuan sosial dan pemberdayaan yang dicek silang.",
      classification: "terbuka",
      steward: KEMENSOS,
      producer: SIMPUL,
      legalBasis: [SDI_LAW, FAKIR_MISKIN_LAW],
      released: RELEASED,
    },
    body: labelled(
      "string",
      PROGRAM_CODES.map((code) => [
        code,
        CURRENT_RULE_SET.programs.find((program) => program.code === code)?.name ?? code,
      ]),
    ),
  },
  {
    subject: "region-province",
    version: "1.0.0",
    title: "Province codes",
    description: "Kemendagri province codes (2 digits) with names.",
    sdi: {
      concept: "Kode Wilayah Provinsi",
      definition: "Kode dan nama provinsi menurut kode wilayah administrasi pemerintahan.",
      classification: "terbuka",
      steward: KEMENDAGRI_WILAYAH,
      producer: KEMENDAGRI_WILAYAH,
      legalBasis: [SDI_LAW, REGION_LAW],
      released: RELEASED,
    },
    body: labelled("string", Object.entries(PROVINCES)),
  },
  {
    subject: "region-regency",
    version: "1.0.0",
    title: "Regency and city codes",
    description:
      "Kemendagri regency/city codes (4 digits, PPKK); the names are in `x-labels`. An unknown code is a warning elsewhere in Simpul, since codes change over time.",
    sdi: {
      concept: "Kode Wilayah Kabupaten/Kota",
      definition: "Kode dan nama kabupaten/kota menurut kode wilayah administrasi pemerintahan.",
      classification: "terbuka",
      steward: KEMENDAGRI_WILAYAH,
      producer: KEMENDAGRI_WILAYAH,
      legalBasis: [SDI_LAW, REGION_LAW],
      released: RELEASED,
    },
    body: enumerated("^\\d{4}$", REGENCIES),
  },
  {
    subject: "region-district",
    version: "1.0.0",
    title: "District codes",
    description:
      "Kemendagri district (kecamatan) codes (6 digits, PPKKCC); the names are in `x-labels`.",
    sdi: {
      concept: "Kode Wilayah Kecamatan",
      definition: "Kode dan nama kecamatan menurut kode wilayah administrasi pemerintahan.",
      classification: "terbuka",
      steward: KEMENDAGRI_WILAYAH,
      producer: KEMENDAGRI_WILAYAH,
      legalBasis: [SDI_LAW, REGION_LAW],
      released: RELEASED,
    },
    body: enumerated("^\\d{6}$", DISTRICTS),
  },
  {
    subject: "dukcapil-sex",
    version: "1.0.0",
    title: "Sex (jenis kelamin)",
    description: "Canonical values with the Dukcapil label as title.",
    sdi: DUKCAPIL_CODE_LIST(
      "Jenis Kelamin",
      "Jenis kelamin penduduk sebagaimana tercatat di SIAK.",
    ),
    body: labelled(
      "string",
      SEXES.map((sex) => [sex, sex === "MALE" ? "LAKI-LAKI" : "PEREMPUAN"]),
    ),
  },
  {
    subject: "dukcapil-religion",
    version: "1.0.0",
    title: "Religion (agama)",
    description: "Canonical values with the Dukcapil label as title.",
    sdi: DUKCAPIL_CODE_LIST(
      "Agama dan Kepercayaan",
      "Agama atau kepercayaan terhadap Tuhan Yang Maha Esa sebagaimana tercatat di SIAK.",
    ),
    body: labelled(
      "string",
      RELIGIONS.map((religion) => [
        religion,
        religion === "KEPERCAYAAN"
          ? "KEPERCAYAAN TERHADAP TUHAN YME"
          : (RELIGION_LABELS.find((label) => label === religion) ?? religion),
      ]),
    ),
  },
  {
    subject: "dukcapil-marital-status",
    version: "1.0.0",
    title: "Marital status (status perkawinan)",
    description: "Canonical values with the Dukcapil label as title.",
    sdi: DUKCAPIL_CODE_LIST("Status Perkawinan", "Status perkawinan penduduk menurut SIAK."),
    body: labelled(
      "string",
      MARITAL_STATUSES.map((status) => [
        status,
        MARITAL.find((label) => label === spaced(status)) ?? spaced(status),
      ]),
    ),
  },
  {
    subject: "dukcapil-family-relationship",
    version: "1.0.0",
    title: "Family relationship (status hubungan dalam keluarga)",
    description: "Relationship to the head of the family card; the Dukcapil label as title.",
    sdi: DUKCAPIL_CODE_LIST(
      "Status Hubungan Dalam Keluarga",
      "Hubungan anggota keluarga dengan kepala keluarga pada Kartu Keluarga (STAT_HBKEL).",
    ),
    body: labelled(
      "string",
      FAMILY_RELATIONSHIPS.map((relationship) => [relationship, spaced(relationship)]),
    ),
  },
  {
    subject: "dukcapil-education",
    version: "1.0.0",
    title: "Last education (pendidikan terakhir)",
    description: "Dukcapil's labels (PDDK_AKH), carried verbatim in `person.education`.",
    sdi: DUKCAPIL_CODE_LIST(
      "Pendidikan Terakhir",
      "Jenjang pendidikan terakhir yang ditamatkan penduduk menurut SIAK.",
    ),
    body: labelled(
      "string",
      EDUCATION.map((label, index) => [label, `${index + 1} — ${label}`]),
    ),
  },
  {
    subject: "dukcapil-occupation",
    version: "1.0.0",
    title: "Occupation (jenis pekerjaan)",
    description:
      "Dukcapil occupation labels (JENIS_PKRJN) seen in Simpul's sources, carried verbatim in `person.occupation`. Dukcapil's full list is longer; labels not listed here stay valid in `person`.",
    sdi: DUKCAPIL_CODE_LIST("Jenis Pekerjaan", "Pekerjaan penduduk sebagaimana tercatat di SIAK."),
    body: labelled(
      "string",
      OCCUPATION.map((label) => [label, label]),
    ),
  },
];

/** The complete document of one canonical schema. */
export function canonicalDocument(entry: CanonicalSchema): Json {
  return {
    $schema: SCHEMA_DIALECT_2020_12,
    $id: schemaId(entry.subject, entry.version),
    title: entry.title,
    description: entry.description,
    version: entry.version,
    "x-sdi": entry.sdi,
    ...entry.body(),
  };
}

export const SCHEMAS_DIR = "schemas";
export const schemaFileName = (subject: string) => `${subject}.schema.json`;

/** File name → text, exactly as `npm run gen` writes them into `schemas/`. */
export function buildSchemaFiles(
  catalogue: readonly CanonicalSchema[] = CATALOGUE,
): Record<string, string> {
  return Object.fromEntries(
    catalogue.map((entry) => [
      schemaFileName(entry.subject),
      `${JSON.stringify(canonicalDocument(entry), null, 2)}\n`,
    ]),
  );
}

export interface SchemaDrift {
  readonly file: string;
  /** `changed`: differs from its source; `missing`: not written; `orphaned`: no source makes it. */
  readonly status: "changed" | "missing" | "orphaned";
}

/** Compares `dir` with what the sources make; an empty list means in sync. */
export function findSchemaDrift(dir: string, files: Record<string, string>): SchemaDrift[] {
  const drift: SchemaDrift[] = [];
  for (const [file, text] of Object.entries(files)) {
    const path = join(dir, file);
    if (!existsSync(path)) drift.push({ file, status: "missing" });
    else if (readFileSync(path, "utf8") !== text) drift.push({ file, status: "changed" });
  }
  const present = existsSync(dir) ? readdirSync(dir) : [];
  for (const file of present) {
    if (file.endsWith(".schema.json") && !(file in files)) drift.push({ file, status: "orphaned" });
  }
  return drift;
}
