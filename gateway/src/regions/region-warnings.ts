/** Unknown regencies and districts are warnings, not rejections: codes change over time. */
import { DISTRICTS, REGENCIES } from "./regions.generated.ts";

export interface Warning {
  readonly code: string;
  readonly message: string;
}

/** Warnings about a NIK that passed validation (its province is known). */
export function regionWarnings(nik: string): Warning[] {
  if (REGENCIES[nik.slice(0, 4)] === undefined) {
    return [
      {
        code: "NIK_UNKNOWN_REGENCY",
        message: "The NIK's regency code is not in the current Kemendagri list (it may be older).",
      },
    ];
  }
  if (DISTRICTS[nik.slice(0, 6)] === undefined) {
    return [
      {
        code: "NIK_UNKNOWN_DISTRICT",
        message: "The NIK's district code is not in the current Kemendagri list (it may be older).",
      },
    ];
  }
  return [];
}
