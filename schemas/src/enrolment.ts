/** Canonical programs, rules and enrolment-check results: the shapes every party codes against. */
import { z } from "@hono/zod-openapi";

export const PROGRAM_CODES = ["PKH", "BPNT", "PBI", "BST", "PRAKERJA", "BSU", "BPUM"] as const;
export const ProgramCode = z.enum(PROGRAM_CODES).openapi("ProgramCode", {
  description:
    "PKH (Program Keluarga Harapan), BPNT (Sembako), PBI (PBI-JK), BST (Bantuan Sosial Tunai), PRAKERJA (Kartu Prakerja), BSU (Bantuan Subsidi Upah), BPUM (Banpres Produktif Usaha Mikro).",
});
export type ProgramCode = z.infer<typeof ProgramCode>;

export const ENROLMENT_SOURCES = ["kemensos", "kemnaker", "kemenkopukm"] as const;
export type EnrolmentSourceId = (typeof ENROLMENT_SOURCES)[number];

export const Program = z
  .object({
    code: ProgramCode,
    name: z.string(),
    owner: z.string(),
    source: z.enum(ENROLMENT_SOURCES),
    legalBasis: z.array(z.string()),
    effectiveFrom: z.iso.date(),
    effectiveTo: z.iso.date().nullable(),
  })
  .strict()
  .openapi("Program");

export const RELATIONS = ["EXCLUSIVE", "PRIORITY", "WARN"] as const;
export const SEVERITIES = ["HIGH", "MEDIUM", "LOW"] as const;

export const PairRule = z
  .object({
    id: z.string(),
    kind: z.literal("PAIR"),
    programs: z.tuple([ProgramCode, ProgramCode]),
    relation: z.enum(RELATIONS),
    severity: z.enum(SEVERITIES),
    description: z.string(),
    legalBasis: z.string(),
    effectiveFrom: z.iso.date(),
    effectiveTo: z.iso.date().nullable(),
  })
  .strict()
  .openapi("PairRule");

export const OccupationRule = z
  .object({
    id: z.string(),
    kind: z.literal("EXCLUDED_OCCUPATION"),
    program: ProgramCode,
    occupations: z.array(z.string()),
    severity: z.enum(SEVERITIES),
    description: z.string(),
    legalBasis: z.string(),
    effectiveFrom: z.iso.date(),
    effectiveTo: z.iso.date().nullable(),
  })
  .strict()
  .openapi("OccupationRule");

export const Rule = z.discriminatedUnion("kind", [PairRule, OccupationRule]).openapi("Rule");
export type Rule = z.infer<typeof Rule>;

export const RuleSet = z
  .object({
    version: z.string().regex(/^\d+\.\d+\.\d+$/),
    publishedAt: z.iso.date(),
    programs: z.array(Program),
    rules: z.array(Rule),
  })
  .strict()
  .openapi("RuleSet");
export type RuleSet = z.infer<typeof RuleSet>;

export const ENROLMENT_STATUSES = [
  "ACTIVE",
  "INACTIVE",
  "PAID",
  "NOT_ENROLLED",
  "UNKNOWN",
] as const;

export const ProgramEnrolment = z
  .object({
    program: ProgramCode,
    enrolled: z.boolean().nullable().openapi({
      description: "null when the source that knows could not be asked (see `sources`).",
    }),
    status: z.enum(ENROLMENT_STATUSES),
    period: z.string().nullable().openapi({ description: "e.g. `2024-11`, `2022` or `2021-T2`." }),
    source: z.enum(ENROLMENT_SOURCES),
    asOf: z.iso.datetime().nullable(),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  .strict()
  .openapi("ProgramEnrolment");
export type ProgramEnrolment = z.infer<typeof ProgramEnrolment>;

export const FINDING_TYPES = [
  "RULE_CONFLICT",
  "DECEASED_BUT_ACTIVE",
  "NOT_IN_CIVIL_REGISTRY",
  "KTP_REGION_DIFFERS",
  "DUPLICATE_NIK",
  "OUTSIDE_CLIENT_REGION",
] as const;

export const Finding = z
  .object({
    type: z.enum(FINDING_TYPES),
    severity: z.enum(SEVERITIES),
    message: z.string(),
    ruleId: z.string().optional(),
    programs: z.array(ProgramCode).optional(),
    legalBasis: z.string().optional(),
    relation: z.enum(RELATIONS).optional(),
  })
  .strict()
  .openapi("Finding");
export type Finding = z.infer<typeof Finding>;

export const SOURCE_STATUSES = ["OK", "UNAVAILABLE", "TIMED_OUT", "NOT_ASKED"] as const;
export const SourceOutcome = z
  .object({
    id: z.enum(["dukcapil", ...ENROLMENT_SOURCES]),
    status: z.enum(SOURCE_STATUSES),
    latencyMs: z.number().nullable(),
  })
  .strict()
  .openapi("SourceOutcome");
export type SourceOutcome = z.infer<typeof SourceOutcome>;
