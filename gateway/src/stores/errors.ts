/** Failures every store reports the same way, whatever backs it, so the edge can fail closed. */

/**
 * The store could not answer in time (backend down, paused, unreachable or overloaded). The caller
 * must not assume anything happened: for the audit trail this means personal data is not released.
 */
export class StoreUnavailableError extends Error {
  readonly code = "STORE_UNAVAILABLE";
  override readonly name = "StoreUnavailableError";

  constructor(
    readonly store: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${store} store unavailable: ${message}`, options);
  }
}
