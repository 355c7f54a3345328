/** What every program source (Kemensos, Kemnaker, KemenkopUKM) answers, in canonical terms. */
import type {
  EnrolmentSourceId,
  ProgramCode,
  ProgramEnrolment,
} from "../../schemas/src/enrolment.ts";
import type { Result } from "./result.ts";
import type { Adapter, CallContext } from "./source.ts";

/** One source's answer about one NIK. */
export interface SourceEnrolments {
  /** Whether the source holds any record for the NIK at all. */
  readonly known: boolean;
  /** One entry per program this source owns, enrolled or not. */
  readonly enrolments: readonly ProgramEnrolment[];
  /** Regency (4 digits) where this source places the person's domicile, when it knows. */
  readonly domicileRegency?: string;
  /** The source's own note that the person has died, when it has one. */
  readonly deceasedNoted?: boolean;
}

export interface EnrolmentAdapter extends Adapter {
  readonly id: EnrolmentSourceId;
  /** The programs this source is authoritative for. */
  readonly programs: readonly ProgramCode[];
  /** Largest number of NIKs one bulk call may carry. */
  readonly maxBulk: number;
  /**
   * Enrolments of one NIK.
   *
   * @example
   * const result = await kemensos.enrolments("3273014501900001", {});
   * if (result.ok) console.log(result.value.enrolments.filter((e) => e.enrolled));
   */
  enrolments(nik: string, ctx: CallContext): Promise<Result<SourceEnrolments>>;
  /** Enrolments of many NIKs in one call (at most `maxBulk`), keyed by NIK. */
  enrolmentsBulk(
    niks: readonly string[],
    ctx: CallContext,
  ): Promise<Result<ReadonlyMap<string, SourceEnrolments>>>;
}
