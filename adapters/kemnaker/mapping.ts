/** Pure mapping from Kemnaker recipients to canonical enrolments (PRAKERJA, BSU). */
import type { ProgramEnrolment } from "../../schemas/src/enrolment.ts";
import type { SourceEnrolments } from "../core/enrolment-source.ts";
import type { BsuRecord, KemnakerRecipient, PrakerjaRecord } from "./native.ts";

export const KEMNAKER_PROGRAMS = ["PRAKERJA", "BSU"] as const;

const BSU_STATUS: Record<BsuRecord["status"], ProgramEnrolment["status"]> = {
  TERSALUR: "PAID",
  PROSES: "ACTIVE",
  "GAGAL SALUR": "INACTIVE",
  RETUR: "INACTIVE",
};

const isPrakerja = (value: unknown): value is PrakerjaRecord => {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.tahun === "number" &&
    typeof record.gelombang === "number" &&
    typeof record.insentif_dibayar === "number" &&
    typeof record.status_insentif === "string"
  );
};

const isBsu = (value: unknown): value is BsuRecord => {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.tahun === "number" &&
    typeof record.tahap === "number" &&
    typeof record.status === "string" &&
    record.status in BSU_STATUS &&
    typeof record.nominal === "number"
  );
};

/** True when a recipient has the fields the mapping reads, with the types it expects. */
export function isKemnakerRecipient(value: unknown): value is KemnakerRecipient {
  if (typeof value !== "object" || value === null) return false;
  const recipient = value as Record<string, unknown>;
  return (
    typeof recipient.nik === "string" &&
    (recipient.prakerja === null || isPrakerja(recipient.prakerja)) &&
    Array.isArray(recipient.bsu) &&
    recipient.bsu.every(isBsu)
  );
}

/**
 * Maps one recipient (or none, when Kemnaker does not know the NIK) to its enrolments.
 * BSU is reported by its latest disbursement.
 *
 * @example
 * const enrolments = mapKemnakerRecipient(reply.data, new Date());
 */
export function mapKemnakerRecipient(
  recipient: KemnakerRecipient | undefined,
  retrievedAt: Date,
): SourceEnrolments {
  const asOf = retrievedAt.toISOString();
  const none = (program: "PRAKERJA" | "BSU"): ProgramEnrolment => ({
    program,
    enrolled: false,
    status: "NOT_ENROLLED",
    period: null,
    source: "kemnaker",
    asOf,
  });
  if (recipient === undefined) return { known: false, enrolments: [none("PRAKERJA"), none("BSU")] };

  const { prakerja } = recipient;
  const prakerjaEnrolment: ProgramEnrolment = prakerja
    ? {
        program: "PRAKERJA",
        enrolled: true,
        status: prakerja.status_insentif === "BELUM DIBAYAR" ? "ACTIVE" : "PAID",
        period: `${prakerja.tahun}-G${prakerja.gelombang}`,
        source: "kemnaker",
        asOf,
        details: { wave: prakerja.gelombang, incentivePaid: prakerja.insentif_dibayar },
      }
    : none("PRAKERJA");

  const latest = [...recipient.bsu].sort((a, b) => b.tahun - a.tahun || b.tahap - a.tahap)[0];
  const bsuEnrolment: ProgramEnrolment = latest
    ? {
        program: "BSU",
        enrolled: true,
        status: BSU_STATUS[latest.status],
        period: `${latest.tahun}-T${latest.tahap}`,
        source: "kemnaker",
        asOf,
        details: { bank: latest.bank, amount: latest.nominal, disbursements: recipient.bsu.length },
      }
    : none("BSU");

  return { known: true, enrolments: [prakerjaEnrolment, bsuEnrolment] };
}
