/** What every ministry source adapter exposes, whatever its native format. */

export type SourceId = "dukcapil" | "kemensos" | "kemnaker" | "kemenkopukm";

export type CircuitState = "CLOSED" | "OPEN" | "HALF_OPEN";

/** A snapshot for `GET /v1/sources` and readiness. */
export interface SourceHealth {
  readonly id: SourceId;
  readonly circuit: CircuitState;
  /** Median and p95 of recent successful calls, in milliseconds (null before any call). */
  readonly latencyP50Ms: number | null;
  readonly latencyP95Ms: number | null;
  readonly recentFailures: number;
  readonly lastSuccessAt: string | null;
  readonly lastFailureAt: string | null;
}

/** Per-call context: a deadline and the W3C trace to propagate. */
export interface CallContext {
  readonly signal?: AbortSignal;
  readonly traceparent?: string;
}

export interface Adapter {
  readonly id: SourceId;
  health(): SourceHealth;
  close(): Promise<void>;
}
