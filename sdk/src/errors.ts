/** The SDK's one error model: typed exceptions, all extending `SimpulError`. */
import type { ErrorCode, Problem } from "./types.ts";

/**
 * The base of every error the SDK throws (a caller's own `AbortSignal` rethrows its reason).
 *
 * @example
 * try {
 *   await client.programs.list();
 * } catch (error) {
 *   if (error instanceof SimpulError) console.error(error.message);
 *   else throw error;
 * }
 */
export class SimpulError extends Error {
  override readonly name: string = "SimpulError";
}

/**
 * The gateway answered with an RFC 9457 problem. `code` is one of the gateway's closed set of
 * error codes, so a `switch` over it is checked by the compiler.
 *
 * @example
 * try {
 *   await client.identity.lookup({ nik: "327301450190001" });
 * } catch (error) {
 *   if (error instanceof SimpulProblemError && error.code === "NIK_WRONG_LENGTH") {
 *     console.log(error.detail, error.errors);
 *   }
 * }
 */
export class SimpulProblemError extends SimpulError {
  override readonly name = "SimpulProblemError";
  /** The stable, machine-readable error code. */
  readonly code: ErrorCode;
  /** The HTTP status. */
  readonly status: number;
  /** The problem `type` URI, relative to the gateway (`/problems/nik-wrong-length`). */
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  /** The gateway's request id: quote it when asking the operator about this call. */
  readonly requestId: string;
  /** For validation problems, each invalid member as a JSON pointer into the request body. */
  readonly errors: NonNullable<Problem["errors"]>;
  /** From `Retry-After` (or the problem body) when the gateway said when to try again. */
  readonly retryAfterSeconds: number | undefined;
  /** The whole problem document, extension members included. */
  readonly problem: Problem;

  constructor(problem: Problem, retryAfterSeconds?: number) {
    super(`${problem.code}: ${problem.detail ?? problem.title} (request ${problem.requestId})`);
    this.problem = problem;
    this.code = problem.code;
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.requestId = problem.requestId;
    this.errors = problem.errors ?? [];
    this.retryAfterSeconds = retryAfterSeconds ?? problem.retryAfterSeconds;
  }
}

/**
 * The gateway could not be reached or the connection failed before a response arrived.
 *
 * @example
 * if (error instanceof SimpulNetworkError) console.error("Simpul unreachable:", error.cause);
 */
export class SimpulNetworkError extends SimpulError {
  override readonly name = "SimpulNetworkError";
}

/**
 * A call (or a pause in a stream) took longer than `timeoutMs`.
 *
 * @example
 * if (error instanceof SimpulTimeoutError) console.error(`gave up after ${error.timeoutMs} ms`);
 */
export class SimpulTimeoutError extends SimpulError {
  override readonly name = "SimpulTimeoutError";
  constructor(readonly timeoutMs: number) {
    super(`No answer from Simpul within ${timeoutMs} ms.`);
  }
}

/**
 * The gateway answered with something that is not the API's shape: a status without a problem
 * document (e.g. a proxy's HTML error page) or a body that is not valid JSON.
 *
 * @example
 * if (error instanceof SimpulResponseError) console.error(error.status, error.requestId);
 */
export class SimpulResponseError extends SimpulError {
  override readonly name = "SimpulResponseError";
  constructor(
    message: string,
    readonly status: number,
    readonly requestId: string | undefined,
  ) {
    super(message);
  }
}

/** Why a batch stream failed after it started. */
export type SimpulStreamFailure =
  | "TRUNCATED"
  | "INTERRUPTED"
  | "MALFORMED_LINE"
  | "OUT_OF_ORDER"
  | "COUNT_MISMATCH"
  | "IDLE_TIMEOUT";

/**
 * A batch stream failed after it had started: cut short before its `{done: true}` line, broken
 * off, or not the shape promised. Lines before `nextIndex` were delivered; resume from there.
 *
 * @example
 * try {
 *   for await (const line of client.enrolments.checkBatch(niks)) save(line);
 * } catch (error) {
 *   if (error instanceof SimpulStreamError) console.error(`resume from input #${error.nextIndex}`);
 * }
 */
export class SimpulStreamError extends SimpulError {
  override readonly name = "SimpulStreamError";
  constructor(
    readonly reason: SimpulStreamFailure,
    /** The global input position of the first NIK whose line was not delivered. */
    readonly nextIndex: number,
    message: string,
    readonly requestId: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
