/**
 * Adapter outputs checked against the canonical schemas at run time: the zod definitions in
 * `schemas/src/` are the source the published JSON Schemas are generated from, and zod needs no
 * code generation, so the same check runs on Node and on Workers.
 */
import { ProgramEnrolment } from "../../schemas/src/enrolment.ts";
import { precompiled } from "../../schemas/src/precompiled.ts";
import { validateProgramEnrolments } from "../../schemas/src/validators.generated.ts";
import type { EnrolmentAdapter, SourceEnrolments } from "./enrolment-source.ts";
import { fail, ok, type Result } from "./result.ts";

const checkEnrolments = precompiled(validateProgramEnrolments, ProgramEnrolment.array());

function checked(source: string, value: SourceEnrolments): Result<SourceEnrolments> {
  const result = checkEnrolments(value.enrolments);
  if (result.success) return ok(value);
  const issue = result.error.issues[0];
  return fail({
    kind: "BAD_RESPONSE",
    retryable: false,
    detail: `${source}: mapped enrolment breaks the canonical schema at /${issue?.path.join("/") ?? ""}`,
  });
}

/**
 * Wraps an enrolment adapter so that nothing it returns leaves unless it is canonical.
 *
 * @example
 * const kemensos = withCanonicalEnrolments(createKemensosAdapter(options));
 */
export function withCanonicalEnrolments(adapter: EnrolmentAdapter): EnrolmentAdapter {
  return {
    ...adapter,
    health: () => adapter.health(),
    close: () => adapter.close(),
    async enrolments(nik, ctx) {
      const result = await adapter.enrolments(nik, ctx);
      return result.ok ? checked(adapter.id, result.value) : result;
    },
    async enrolmentsBulk(niks, ctx) {
      const result = await adapter.enrolmentsBulk(niks, ctx);
      if (!result.ok) return result;
      for (const value of result.value.values()) {
        const verdict = checked(adapter.id, value);
        if (!verdict.ok) return verdict;
      }
      return result;
    },
  };
}
