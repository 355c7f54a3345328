/** Pure mapping from BPUM records to the canonical enrolment. */
import type { ProgramEnrolment } from "../../schemas/src/enrolment.ts";
import type { SourceEnrolments } from "../core/enrolment-source.ts";
import type { BpumRecord } from "./native.ts";

export const KEMENKOPUKM_PROGRAMS = ["BPUM"] as const;

const BPUM_STATUS: Record<BpumRecord["status"], ProgramEnrolment["status"]> = {
  TERSALUR: "PAID",
  "BELUM DICAIRKAN": "ACTIVE",
  DIBLOKIR: "INACTIVE",
  "DIKEMBALIKAN KE KAS NEGARA": "INACTIVE",
};

/** True when a record has the fields the mapping reads, with the types it expects. */
export function isBpumRecord(value: unknown): value is BpumRecord {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.nik === "string" &&
    typeof record.tahun === "number" &&
    typeof record.tahap === "number" &&
    typeof record.status === "string" &&
    record.status in BPUM_STATUS &&
    typeof record.nominal === "string" &&
    /^\d+(\.\d{1,2})?$/.test(record.nominal) &&
    typeof record.pengusul === "string" &&
    typeof record.bank_penyalur === "string"
  );
}

/**
 * Maps the BPUM records of one NIK to its enrolment, reported by the latest disbursement.
 *
 * @example
 * const enrolments = mapBpumRecords(reply.data, new Date());
 */
export function mapBpumRecords(
  records: readonly BpumRecord[],
  retrievedAt: Date,
): SourceEnrolments {
  const asOf = retrievedAt.toISOString();
  const latest = [...records].sort((a, b) => b.tahun - a.tahun || b.tahap - a.tahap)[0];
  if (latest === undefined) {
    return {
      known: false,
      enrolments: [
        {
          program: "BPUM",
          enrolled: false,
          status: "NOT_ENROLLED",
          period: null,
          source: "kemenkopukm",
          asOf,
        },
      ],
    };
  }
  return {
    known: true,
    enrolments: [
      {
        program: "BPUM",
        enrolled: true,
        status: BPUM_STATUS[latest.status],
        period: `${latest.tahun}-T${latest.tahap}`,
        source: "kemenkopukm",
        asOf,
        details: {
          // Amounts arrive as decimal strings; whole rupiah are exact in a double.
          amount: Number(latest.nominal),
          proposer: latest.pengusul,
          bank: latest.bank_penyalur,
        },
      },
    ],
  };
}
