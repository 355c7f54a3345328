/** Turns a source failure into the problem a caller sees: the kind, never the upstream detail. */
import type { SourceFailure } from "../../../adapters/core/result.ts";
import type { SourceId } from "../../../adapters/core/source.ts";
import { ProblemError } from "../errors/problem.ts";
import type { Logger } from "../logging/logger.ts";

export function sourceProblem(
  source: SourceId,
  failure: SourceFailure,
  logger: Logger,
  requestId: string,
): ProblemError {
  logger.log("warn", "source call failed", {
    requestId,
    source,
    kind: failure.kind,
    detail: failure.detail,
  });
  const retryAfter = failure.retryAfterSeconds ?? (failure.kind === "CIRCUIT_OPEN" ? 5 : undefined);
  const headers: Record<string, string> =
    retryAfter === undefined ? {} : { "Retry-After": String(retryAfter) };
  if (failure.kind === "TIMEOUT") {
    return new ProblemError(
      "SOURCE_TIMEOUT",
      `${source} did not answer in time.`,
      { source },
      headers,
    );
  }
  return new ProblemError(
    "SOURCE_UNAVAILABLE",
    `${source} cannot answer right now (${failure.kind.toLowerCase().replaceAll("_", " ")}).`,
    { source, ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }) },
    headers,
  );
}
