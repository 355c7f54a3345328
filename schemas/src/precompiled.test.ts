import { describe, expect, it } from "vitest";
import type { ZodType } from "zod";
import { mapDukcapilRecord } from "../../adapters/dukcapil/mapping.ts";
import { dukcapilRecord } from "../../adapters/dukcapil/simulator.ts";
import { mapBpumRecords } from "../../adapters/kemenkopukm/mapping.ts";
import { bpumRecords } from "../../adapters/kemenkopukm/simulator.ts";
import { mapDtksRows } from "../../adapters/kemensos/mapping.ts";
import { dtksRow } from "../../adapters/kemensos/simulator.ts";
import { mapKemnakerRecipient } from "../../adapters/kemnaker/mapping.ts";
import { kemnakerRecipient } from "../../adapters/kemnaker/simulator.ts";
import { generateWorld } from "../../adapters/world/index.ts";
import { AuditRecordInputSchema } from "../../gateway/src/stores/audit/record.ts";
import { validateAuditRecordInput } from "../../gateway/src/stores/audit/record-validator.generated.ts";
import { ProgramEnrolment } from "./enrolment.ts";
import { Person } from "./person.ts";
import { codePointLength, precompiled } from "./precompiled.ts";
import { validatePerson, validateProgramEnrolments } from "./validators.generated.ts";

const world = generateWorld({ seed: 20_240_101, size: 3_000 });
const RETRIEVED = new Date("2026-01-02T03:04:05.000Z");
const ASTRAL = "😀".repeat(150); // 150 characters, 300 UTF-16 units: zod counts units
const HOSTILE_VALUES: unknown[] = [
  undefined,
  null,
  0,
  -1,
  1.5,
  Number.MAX_SAFE_INTEGER + 2,
  "",
  " ",
  "x".repeat(65),
  "x".repeat(201),
  ASTRAL,
  "2024-02-30",
  "2024-13-01T00:00:00Z",
  "ISLAM ",
  "1".repeat(15),
  "1".repeat(17),
  [],
  {},
  true,
];

/** Every value one change away from `sample`: each key removed, retyped, or one key added. */
function* mutations(sample: unknown): Generator<unknown> {
  yield sample;
  if (Array.isArray(sample)) {
    yield [...sample, {}];
    for (const [i, item] of sample.entries()) {
      for (const variant of mutations(item)) {
        const copy = [...sample];
        copy[i] = variant;
        yield copy;
      }
    }
    return;
  }
  if (sample === null || typeof sample !== "object") return;
  const record = sample as Record<string, unknown>;
  yield { ...record, unexpected: "key" };
  for (const key of Object.keys(record)) {
    const { [key]: _removed, ...without } = record;
    yield without;
    for (const value of HOSTILE_VALUES) yield { ...record, [key]: value };
    const nested = record[key];
    if (nested !== null && typeof nested === "object") {
      for (const variant of mutations(nested)) yield { ...record, [key]: variant };
    }
  }
}

function expectAgreement(
  name: string,
  compiled: (value: unknown) => boolean,
  schema: ZodType,
  samples: unknown[],
) {
  const check = precompiled(compiled, schema);
  let judged = 0;
  let refused = 0;
  for (const sample of samples) {
    for (const value of mutations(sample)) {
      const zod = schema.safeParse(value).success;
      expect(
        compiled(value),
        `${name}: compiled and zod disagree on ${JSON.stringify(value)}`,
      ).toBe(zod);
      const result = check(value);
      expect(result.success).toBe(zod);
      if (!result.success) {
        // A refusal always comes from zod, with zod's own issues.
        expect(result.error.issues.length).toBeGreaterThan(0);
        refused++;
      }
      judged++;
    }
  }
  return { judged, refused };
}

describe("codePointLength", () => {
  it("counts code points, a lone surrogate as one", () => {
    expect(codePointLength("")).toBe(0);
    expect(codePointLength("NIK")).toBe(3);
    expect(codePointLength("a😀b")).toBe(3);
    expect(codePointLength("\ud83d")).toBe(1);
    expect(codePointLength("\ud83dx")).toBe(2);
    expect(codePointLength(ASTRAL)).toBe(150);
  });
});

describe("precompiled validators agree with their zod schemas", () => {
  it("on canonical persons mapped from the world, and every one-change mutation of them", () => {
    const persons: unknown[] = [];
    for (let index = 0; index < 300; index++) {
      const mapped = mapDukcapilRecord(dukcapilRecord(world, index), { deceased: false });
      if (mapped.ok) persons.push(mapped.value);
    }
    expect(persons.length).toBeGreaterThan(250);
    const { judged, refused } = expectAgreement("person", validatePerson, Person, persons);
    expect(refused, "the mutations must include refusals").toBeGreaterThan(judged / 4);
  });

  it("on every source's mapped enrolments, and their mutations", () => {
    const lists: unknown[] = [];
    for (let index = 0; index < 3_000 && lists.length < 120; index++) {
      const row = dtksRow(world, index);
      if (row) lists.push(mapDtksRows([row], RETRIEVED).enrolments);
      lists.push(mapKemnakerRecipient(kemnakerRecipient(world, index), RETRIEVED).enrolments);
      const bpum = bpumRecords(world, index);
      if (bpum.length > 0) lists.push(mapBpumRecords(bpum, RETRIEVED).enrolments);
    }
    const { judged, refused } = expectAgreement(
      "enrolments",
      validateProgramEnrolments,
      ProgramEnrolment.array(),
      lists,
    );
    expect(refused).toBeGreaterThan(judged / 4);
  });

  it("on audit records of every outcome, and their mutations", () => {
    const digest = "ab".repeat(32);
    const records: unknown[] = [
      {
        requestId: "8d3b8f5e-1d7a-4c4f-9a3e-6c1f2b3a4d5e",
        clientId: "kemensos-app",
        purpose: "eligibility-verification",
        endUserId: "officer-17",
        caseId: "SK/2026/001",
        route: "identity.lookup",
        nikHmac: digest,
        sources: [{ id: "dukcapil", status: "OK" }],
        outcome: "RELEASED",
        httpStatus: 200,
        fieldsReleased: ["nik", "fullName"],
      },
      {
        requestId: "batch-0001",
        clientId: "dinsos-bandung",
        route: "enrolments.checkBatch",
        nikHmacs: [digest, "cd".repeat(32)],
        nikCount: 2,
        sources: [
          { id: "kemensos", status: "TIMEOUT" },
          { id: "kemenkopukm", status: "CIRCUIT_OPEN" },
        ],
        outcome: "PARTIAL",
        httpStatus: 200,
        fieldsReleased: [],
      },
      {
        requestId: "denied-1",
        clientId: "anonymous",
        purpose: "x".repeat(200),
        route: "audit.search",
        sources: [],
        outcome: "DENIED",
        httpStatus: 403,
        errorCode: "PURPOSE_NOT_ALLOWED",
        fieldsReleased: [],
      },
    ];
    const { refused } = expectAgreement(
      "audit record",
      validateAuditRecordInput,
      AuditRecordInputSchema,
      records,
    );
    expect(refused).toBeGreaterThan(100);
  });
});
