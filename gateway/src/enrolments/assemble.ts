/** Assembles one enrolment-check answer from what each source said: pure and shared by single and batch. */
import type { SourceEnrolments } from "../../../adapters/core/enrolment-source.ts";
import type { Result } from "../../../adapters/core/result.ts";
import type { DukcapilLookup } from "../../../adapters/dukcapil/adapter.ts";
import type {
  EnrolmentSourceId,
  Finding,
  ProgramCode,
  ProgramEnrolment,
  RuleSet,
  SourceOutcome,
} from "../../../schemas/src/enrolment.ts";
import { type CivilStatus, findingsFor } from "../programs/findings.ts";

export interface Timed<T> {
  readonly result: Result<T>;
  readonly latencyMs: number;
}

export interface EnrolmentCheck {
  readonly checkedAt: string;
  readonly ruleSetVersion: string;
  /** False when any source needed for this answer could not be asked; see `sources`. */
  readonly complete: boolean;
  readonly civilRegistry: CivilStatus["registry"];
  readonly programs: ProgramEnrolment[];
  readonly findings: Finding[];
  readonly sources: SourceOutcome[];
  /** Regency (4 digits) of the registered address, when known; used for regional checks. */
  readonly domicileRegency?: string;
}

const outcome = (id: SourceOutcome["id"], timed: Timed<unknown> | undefined): SourceOutcome => {
  if (timed === undefined) return { id, status: "NOT_ASKED", latencyMs: null };
  if (timed.result.ok) return { id, status: "OK", latencyMs: Math.round(timed.latencyMs) };
  return {
    id,
    status: timed.result.error.kind === "TIMEOUT" ? "TIMED_OUT" : "UNAVAILABLE",
    latencyMs: Math.round(timed.latencyMs),
  };
};

function civilStatus(civil: Timed<DukcapilLookup> | undefined): CivilStatus {
  if (civil === undefined || !civil.result.ok) return { registry: "UNKNOWN" };
  const lookup = civil.result.value;
  if (lookup.status === "NOT_FOUND" || lookup.status === "MULTIPLE")
    return { registry: lookup.status };
  return {
    registry: lookup.status,
    occupation: lookup.person.occupation,
    domicileRegency: lookup.person.address.regency.code,
  };
}

export interface AssembleInput {
  readonly nik: string;
  readonly programs: readonly ProgramCode[];
  readonly civil: Timed<DukcapilLookup> | undefined;
  readonly sources: ReadonlyMap<EnrolmentSourceId, Timed<SourceEnrolments>>;
  readonly ruleSet: RuleSet;
  readonly now: Date;
}

// A batch assembles 100,000 answers against one rule set: index its owners once.
const OWNERS = new WeakMap<RuleSet, ReadonlyMap<ProgramCode, EnrolmentSourceId>>();
function ownersOf(ruleSet: RuleSet): ReadonlyMap<ProgramCode, EnrolmentSourceId> {
  let owners = OWNERS.get(ruleSet);
  if (owners === undefined) {
    owners = new Map(ruleSet.programs.map((program) => [program.code, program.source]));
    OWNERS.set(ruleSet, owners);
  }
  return owners;
}

export function assembleCheck(input: AssembleInput): EnrolmentCheck {
  const { nik, programs, civil, sources, ruleSet, now } = input;
  const ownerOf = ownersOf(ruleSet);
  const nowIso = now.toISOString();
  const enrolments: ProgramEnrolment[] = programs.map((program) => {
    const source = ownerOf.get(program) ?? "kemensos";
    const timed = sources.get(source);
    if (timed === undefined || !timed.result.ok) {
      return { program, enrolled: null, status: "UNKNOWN", period: null, source, asOf: null };
    }
    const found = timed.result.value.enrolments.find((entry) => entry.program === program);
    return (
      found ?? {
        program,
        enrolled: false,
        status: "NOT_ENROLLED",
        period: null,
        source,
        asOf: nowIso,
      }
    );
  });

  const civilFacts = civilStatus(civil);
  // The NIK names the regency that issued the KTP; where the person lives comes from the
  // registered address, or from a social registry when the civil registry could not answer.
  const socialDomicile = [...sources.values()]
    .map((timed) => (timed.result.ok ? timed.result.value.domicileRegency : undefined))
    .find((regency) => regency !== undefined);
  const domicileRegency = civilFacts.domicileRegency ?? socialDomicile;
  // Object.assign, not a spread literal: this runs for every NIK of a batch, and V8 builds a
  // literal that spreads an object and then sets more members several times slower.
  const civilForRules: CivilStatus = Object.assign(
    {},
    civilFacts,
    { ktpRegency: nik.slice(0, 4) },
    domicileRegency === undefined ? {} : { domicileRegency },
  );
  const findings = findingsFor(ruleSet, enrolments, civilForRules, nowIso.slice(0, 10));

  const sourceOutcomes: SourceOutcome[] = [
    outcome("dukcapil", civil),
    ...[...new Set(programs.map((program) => ownerOf.get(program) ?? "kemensos"))].map((id) =>
      outcome(id, sources.get(id)),
    ),
  ];
  return {
    checkedAt: nowIso,
    ruleSetVersion: ruleSet.version,
    complete: sourceOutcomes.every((source) => source.status === "OK"),
    civilRegistry: civilFacts.registry,
    programs: enrolments,
    findings,
    sources: sourceOutcomes,
    ...(domicileRegency === undefined ? {} : { domicileRegency }),
  };
}
