/** How each source answered, in the audit trail's terms. */
import type { Result } from "../../../adapters/core/result.ts";
import type { SourceOutcome } from "../../../schemas/src/enrolment.ts";
import type { AuditSource } from "../stores/audit/record.ts";

/** One source call's result as an audit source entry. */
export function auditSource(id: string, result: Result<unknown>): AuditSource {
  return {
    id,
    status: result.ok ? "OK" : result.error.kind === "TIMEOUT" ? "TIMEOUT" : result.error.kind,
  };
}

/** The sources an enrolment check asked, as audit source entries. */
export function auditSources(outcomes: readonly SourceOutcome[]): AuditSource[] {
  const sources: AuditSource[] = [];
  for (const { id, status } of outcomes) {
    if (status === "NOT_ASKED") continue;
    sources.push({ id, status: status === "TIMED_OUT" ? "TIMEOUT" : status });
  }
  return sources;
}
