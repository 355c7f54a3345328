/** Pure mapping from Dukcapil's native records to the canonical person. */
import {
  FAMILY_RELATIONSHIPS,
  MARITAL_STATUSES,
  type Person,
  RELIGIONS,
} from "../../schemas/src/person.ts";
import type { DukcapilRecord } from "./native.ts";

export type MappingResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly field: string; readonly reason: string };

const invalid = (field: string, reason: string): MappingResult<never> => ({
  ok: false,
  field,
  reason,
});

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Days in `month` (1–12) of `year` in the proleptic Gregorian calendar, as ISO 8601 counts. */
function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/**
 * Dukcapil nodes answer either `DD-MM-YYYY` or `YYYY-MM-DD`; both become ISO 8601. Days past
 * the month's end (31-02) are refused, not rolled over. Checked with arithmetic rather than a
 * `Date` round trip, which cost more than the rest of a record's mapping (once per NIK of a batch).
 */
export function parseDukcapilDate(value: string): string | undefined {
  const parts =
    /^(\d{2})-(\d{2})-(\d{4})$/.exec(value)?.slice(1).reverse() ??
    /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)?.slice(1);
  if (!parts) return undefined;
  const [year = "", month = "", day = ""] = parts;
  const dayNumber = Number(day);
  return dayNumber >= 1 && dayNumber <= daysIn(Number(year), Number(month))
    ? `${year}-${month}-${day}`
    : undefined;
}

const RECORD_FIELDS: readonly (keyof DukcapilRecord)[] = [
  "NIK",
  "NO_KK",
  "NAMA_LGKP",
  "TMPT_LHR",
  "TGL_LHR",
  "JENIS_KLMIN",
  "AGAMA",
  "STATUS_KAWIN",
  "STAT_HBKEL",
  "PDDK_AKH",
  "JENIS_PKRJN",
  "NAMA_LGKP_IBU",
  "ALAMAT",
  "NO_RT",
  "NO_RW",
  "NO_PROP",
  "PROP_NAME",
  "NO_KAB",
  "KAB_NAME",
  "NO_KEC",
  "KEC_NAME",
  "NO_KEL",
  "KEL_NAME",
];

const label = (value: string) =>
  value
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, "_");

// Spelling variants seen in the field for the same religion.
const RELIGION_ALIASES: Record<string, (typeof RELIGIONS)[number]> = {
  BUDHA: "BUDDHA",
  KHONGHUCU: "KONGHUCU",
  KONG_HU_CU: "KONGHUCU",
  KRISTEN_PROTESTAN: "KRISTEN",
  KEPERCAYAAN_TERHADAP_TUHAN_YME: "KEPERCAYAAN",
};
const MARITAL_ALIASES: Record<string, (typeof MARITAL_STATUSES)[number]> = {
  KAWIN_TERCATAT: "KAWIN",
  KAWIN_BELUM_TERCATAT: "KAWIN",
};

function oneOf<T extends string>(
  allowed: readonly T[],
  value: string,
  aliases: Record<string, T> = {},
): T | undefined {
  const key = label(value);
  return aliases[key] ?? allowed.find((candidate) => candidate === key);
}

/** Region numbers come bare ("7") or zero-padded ("07"), and sometimes already prefixed. */
function regionCode(parent: string, value: string, width: number): string | undefined {
  const digits = value.trim();
  if (!/^\d+$/.test(digits)) return undefined;
  if (digits.length === parent.length + width && digits.startsWith(parent)) return digits;
  if (digits.length > width) return undefined;
  return parent + digits.padStart(width, "0");
}

const padded = (value: string) =>
  /^\d{1,3}$/.test(value.trim()) ? value.trim().padStart(3, "0") : undefined;

/**
 * Maps one CALL_NIK record to the canonical person.
 *
 * @example
 * const mapped = mapDukcapilRecord(reply.content[0], { deceased: false });
 * if (mapped.ok) console.log(mapped.value.birthDate); // "1990-01-05"
 */
export function mapDukcapilRecord(
  record: DukcapilRecord,
  status: { readonly deceased: boolean },
): MappingResult<Person> {
  // Sources send malformed bodies too: every field must be a string before it is read.
  for (const field of RECORD_FIELDS) {
    if (typeof record[field] !== "string") return invalid(field, "missing or not a string");
  }
  if (!/^\d{16}$/.test(record.NIK ?? "")) return invalid("NIK", "not 16 digits");
  if (!/^\d{16}$/.test(record.NO_KK ?? "")) return invalid("NO_KK", "not 16 digits");
  const birthDate = parseDukcapilDate(record.TGL_LHR ?? "");
  if (birthDate === undefined) return invalid("TGL_LHR", "not a date");
  const sex = { LAKI_LAKI: "MALE", PEREMPUAN: "FEMALE" }[label(record.JENIS_KLMIN ?? "")] as
    | Person["sex"]
    | undefined;
  if (sex === undefined) return invalid("JENIS_KLMIN", "unknown sex label");
  const religion = oneOf(RELIGIONS, record.AGAMA ?? "", RELIGION_ALIASES);
  if (religion === undefined) return invalid("AGAMA", "unknown religion label");
  const maritalStatus = oneOf(MARITAL_STATUSES, record.STATUS_KAWIN ?? "", MARITAL_ALIASES);
  if (maritalStatus === undefined) return invalid("STATUS_KAWIN", "unknown marital status");
  // Relationship labels vary by region; an unknown one is kept as LAINNYA rather than lost.
  const familyRelationship = oneOf(FAMILY_RELATIONSHIPS, record.STAT_HBKEL ?? "") ?? "LAINNYA";
  const rt = padded(record.NO_RT ?? "");
  const rw = padded(record.NO_RW ?? "");
  if (rt === undefined || rw === undefined) return invalid("NO_RT", "RT/RW not numeric");

  const province = (record.NO_PROP ?? "").trim().padStart(2, "0");
  const regency = regionCode(province, record.NO_KAB ?? "", 2);
  const district = regency && regionCode(regency, record.NO_KEC ?? "", 2);
  const village = district && regionCode(district, record.NO_KEL ?? "", 4);
  if (!/^\d{2}$/.test(province) || !regency || !district || !village) {
    return invalid("NO_PROP", "region codes are not numeric");
  }

  return {
    ok: true,
    value: {
      nik: record.NIK,
      familyCardNumber: record.NO_KK,
      fullName: record.NAMA_LGKP.trim(),
      birthPlace: record.TMPT_LHR.trim(),
      birthDate,
      sex,
      religion,
      maritalStatus,
      familyRelationship,
      education: record.PDDK_AKH.trim(),
      occupation: record.JENIS_PKRJN.trim(),
      motherName: record.NAMA_LGKP_IBU.trim(),
      address: {
        street: record.ALAMAT.trim(),
        rt,
        rw,
        village: { code: village, name: record.KEL_NAME.trim() },
        district: { code: district, name: record.KEC_NAME.trim() },
        regency: { code: regency, name: record.KAB_NAME.trim() },
        province: { code: province, name: record.PROP_NAME.trim() },
      },
      lifeStatus: status.deceased ? "DECEASED" : "ALIVE",
    },
  };
}
