/** Expected failures inside adapters and services are values, not exceptions. */

/** Why a call to a ministry source did not produce an answer. */
export type SourceFailureKind =
  | "UNAVAILABLE" // connection refused/reset, DNS, 5xx
  | "TIMEOUT" // connect, headers or body deadline passed
  | "BAD_RESPONSE" // malformed, oversized or unexpected body
  | "CIRCUIT_OPEN" // the breaker refused to call
  | "OVERLOADED" // the local concurrency limit is full
  | "QUOTA" // the source's own quota is exhausted (e.g. Dukcapil code 05)
  | "REJECTED"; // the source refused our credentials or setup (never the caller's fault)

/**
 * A failure carried as a value. `detail` is for operators' logs only: it never contains
 * upstream bodies, credentials or a raw NIK, and it is never sent to a caller.
 */
export interface SourceFailure {
  readonly kind: SourceFailureKind;
  readonly retryable: boolean;
  readonly detail: string;
  /** Seconds the source asked us to wait (Retry-After), when it said so. */
  readonly retryAfterSeconds?: number;
  /** The HTTP status the source answered with, when it answered at all. */
  readonly status?: number;
  /**
   * Set when the caller's own signal ended the call (client went away or its deadline passed),
   * as opposed to the source being slow; such failures are never retried or held against the
   * source by the circuit breaker.
   */
  readonly callerAborted?: true;
}

export type Result<T, E = SourceFailure> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <E>(error: E): Result<never, E> => ({ ok: false, error });
