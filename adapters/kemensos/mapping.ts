/** Pure mapping from DTKS rows to canonical enrolments (PKH, BPNT, PBI, BST). */

import type { ProgramEnrolment } from "../../schemas/src/enrolment.ts";
import type { SourceEnrolments } from "../core/enrolment-source.ts";
import type { DtksRow } from "./native.ts";

export const KEMENSOS_PROGRAMS = ["PKH", "BPNT", "PBI", "BST"] as const;
type KemensosProgram = (typeof KEMENSOS_PROGRAMS)[number];

const isFlag = (value: unknown) => value === 0 || value === 1;

/** True when a row has the fields the mapping reads, with the types it expects. */
export function isDtksRow(value: unknown): value is DtksRow {
  if (typeof value !== "object" || value === null) return false;
  const row = value as Record<string, unknown>;
  return (
    typeof row.NIK === "string" &&
    isFlag(row.is_nonaktif) &&
    typeof row.desil === "number" &&
    typeof row.kode_kabupaten === "string" &&
    typeof row.periode_dtks === "string" &&
    KEMENSOS_PROGRAMS.every(
      (program) =>
        isFlag(row[program]) &&
        (row[`periode_${program}`] === null || typeof row[`periode_${program}`] === "string"),
    )
  );
}

/**
 * Maps the DTKS rows of one NIK (usually one; DTKS may hold several) to its enrolments.
 * BST was a time-limited cash transfer, so a BST flag means it was paid, not that it runs.
 *
 * @example
 * const enrolments = mapDtksRows(reply.data, new Date());
 * enrolments.enrolments.find((e) => e.program === "PKH")?.enrolled;
 */
export function mapDtksRows(rows: readonly DtksRow[], retrievedAt: Date): SourceEnrolments {
  const asOf = retrievedAt.toISOString();
  if (rows.length === 0) {
    return {
      known: false,
      enrolments: KEMENSOS_PROGRAMS.map((program) => notEnrolled(program, asOf)),
    };
  }
  const enrolments = KEMENSOS_PROGRAMS.map((program): ProgramEnrolment => {
    const row = rows.find((candidate) => candidate[program] === 1);
    if (row === undefined) return notEnrolled(program, asOf);
    const status = row.is_nonaktif === 1 ? "INACTIVE" : program === "BST" ? "PAID" : "ACTIVE";
    return {
      program,
      enrolled: true,
      status,
      period: row[`periode_${program}`],
      source: "kemensos",
      asOf,
      details: { desil: row.desil, dtksPeriod: row.periode_dtks },
    };
  });
  const [first] = rows;
  return {
    known: true,
    enrolments,
    ...(first ? { domicileRegency: first.kode_kabupaten } : {}),
    deceasedNoted: rows.some((row) => row.keterangan_meninggal !== null),
  };
}

function notEnrolled(program: KemensosProgram, asOf: string): ProgramEnrolment {
  return {
    program,
    enrolled: false,
    status: "NOT_ENROLLED",
    period: null,
    source: "kemensos",
    asOf,
  };
}
