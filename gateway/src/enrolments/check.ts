/** One enrolment check: the civil registry and every program source, asked in parallel. */
import type {
  EnrolmentAdapter,
  SourceEnrolments,
} from "../../../adapters/core/enrolment-source.ts";
import type { Result } from "../../../adapters/core/result.ts";
import type { CallContext } from "../../../adapters/core/source.ts";
import type { DukcapilAdapter, DukcapilLookup } from "../../../adapters/dukcapil/adapter.ts";
import type { EnrolmentSourceId, ProgramCode, RuleSet } from "../../../schemas/src/enrolment.ts";
import { assembleCheck, type EnrolmentCheck, type Timed } from "./assemble.ts";

export interface CheckDependencies {
  readonly dukcapil: DukcapilAdapter;
  readonly enrolmentSources: readonly EnrolmentAdapter[];
  readonly ruleSet: RuleSet;
  readonly now?: () => Date;
}

async function timed<T>(call: () => Promise<Result<T>>): Promise<Timed<T>> {
  const started = performance.now();
  const result = await call();
  return { result, latencyMs: performance.now() - started };
}

/** Sources that own at least one of the requested programs. */
export function sourcesFor(
  programs: readonly ProgramCode[],
  deps: CheckDependencies,
): EnrolmentAdapter[] {
  return deps.enrolmentSources.filter((source) =>
    source.programs.some((program) => programs.includes(program)),
  );
}

/**
 * Checks one NIK. A source that fails makes the answer partial (`complete: false`, its programs
 * `enrolled: null`), never an error: callers must see what is known and what is not.
 */
export async function checkEnrolments(
  nik: string,
  programs: readonly ProgramCode[],
  deps: CheckDependencies,
  ctx: CallContext,
): Promise<EnrolmentCheck> {
  const asked = sourcesFor(programs, deps);
  const [civil, ...answers] = await Promise.all([
    timed<DukcapilLookup>(() => deps.dukcapil.lookup(nik, ctx)),
    ...asked.map((source) => timed<SourceEnrolments>(() => source.enrolments(nik, ctx))),
  ]);
  const sources = new Map<EnrolmentSourceId, Timed<SourceEnrolments>>();
  asked.forEach((source, i) => {
    const answer = answers[i];
    if (answer) sources.set(source.id, answer);
  });
  return assembleCheck({
    nik,
    programs,
    civil,
    sources,
    ruleSet: deps.ruleSet,
    now: deps.now?.() ?? new Date(),
  });
}
