/** NIK (Nomor Induk Kependudukan) validation and parsing, shared by the gateway and the SDK. */
import { PROVINCES } from "./provinces.generated.ts";

/** Every way a NIK can be wrong, each with its own stable code. */
export type NikProblemCode =
  | "NIK_NOT_STRING"
  | "NIK_WRONG_LENGTH"
  | "NIK_NOT_ASCII_DIGITS"
  | "NIK_UNKNOWN_PROVINCE"
  | "NIK_INVALID_BIRTH_DATE"
  | "NIK_INVALID_SERIAL";

export interface NikProblem {
  readonly code: NikProblemCode;
  readonly message: string;
}

export interface ParsedNik {
  readonly nik: string;
  /** Issuing region (where the NIK was issued, not current domicile). */
  readonly provinceCode: string;
  readonly regencyCode: string;
  readonly districtCode: string;
  readonly sex: "MALE" | "FEMALE";
  /** Day and month of birth; the century is not encoded, so the year has two digits only. */
  readonly birthDay: number;
  readonly birthMonth: number;
  readonly birthYearTwoDigits: number;
  readonly serial: string;
}

export type NikResult =
  | { readonly ok: true; readonly value: ParsedNik }
  | { readonly ok: false; readonly problem: NikProblem };

const ASCII_DIGITS = /^[0-9]+$/;
// Month lengths with 29 days for February: the century is unknown, so a 29th can't be ruled out.
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const problem = (code: NikProblemCode, message: string): NikResult => ({
  ok: false,
  problem: { code, message },
});

/**
 * Validates a NIK exactly as given: nothing is trimmed, converted or padded, so a value that
 * only looks right (spaces, full-width or Arabic-Indic digits, a JSON number) is refused.
 *
 * @example
 * const result = parseNik("3171014501900001");
 * if (result.ok) console.log(result.value.sex); // "FEMALE"
 * else console.log(result.problem.code);
 */
export function parseNik(value: unknown): NikResult {
  if (typeof value !== "string") {
    return problem("NIK_NOT_STRING", "NIK must be a JSON string of 16 digits, not a number.");
  }
  if (value.length > 0 && !ASCII_DIGITS.test(value)) {
    return problem(
      "NIK_NOT_ASCII_DIGITS",
      "NIK must contain only the ASCII digits 0-9 (no spaces, separators or other digit forms).",
    );
  }
  if (value.length !== 16) {
    return problem("NIK_WRONG_LENGTH", `NIK must have exactly 16 digits; got ${value.length}.`);
  }
  const provinceCode = value.slice(0, 2);
  if (PROVINCES[provinceCode] === undefined) {
    return problem("NIK_UNKNOWN_PROVINCE", "NIK's first two digits are not a Kemendagri province.");
  }
  const encodedDay = Number(value.slice(6, 8));
  const birthMonth = Number(value.slice(8, 10));
  const sex = encodedDay > 40 ? "FEMALE" : "MALE";
  const birthDay = sex === "FEMALE" ? encodedDay - 40 : encodedDay;
  const maxDay = DAYS_IN_MONTH[birthMonth - 1];
  if (maxDay === undefined || birthDay < 1 || birthDay > maxDay) {
    return problem(
      "NIK_INVALID_BIRTH_DATE",
      "NIK's digits 7-12 are not a possible birth date (DD, +40 for women, MM, YY).",
    );
  }
  const serial = value.slice(12);
  if (serial === "0000") {
    return problem("NIK_INVALID_SERIAL", "NIK's serial number (last four digits) cannot be 0000.");
  }
  return {
    ok: true,
    value: {
      nik: value,
      provinceCode,
      regencyCode: value.slice(0, 4),
      districtCode: value.slice(0, 6),
      sex,
      birthDay,
      birthMonth,
      birthYearTwoDigits: Number(value.slice(10, 12)),
      serial,
    },
  };
}

/**
 * True when `value` is a well-formed NIK.
 *
 * @example
 * isValidNik("3171014501900001"); // true
 */
export function isValidNik(value: unknown): value is string {
  return parseNik(value).ok;
}

/**
 * Masks a NIK for display and logs, keeping the issuing region and the last two digits.
 *
 * @example
 * maskNik("3171014501900001"); // "317101********01"
 */
export function maskNik(nik: string): string {
  if (nik.length <= 8) return "*".repeat(nik.length);
  return `${nik.slice(0, 6)}${"*".repeat(nik.length - 8)}${nik.slice(-2)}`;
}
