/** Rolling health statistics for one source, cheap enough to update on every call. */
import type { CircuitState, SourceHealth, SourceId } from "./source.ts";

export interface HealthTrackerOptions {
  readonly id: SourceId;
  /** Successful calls kept for the latency percentiles. Default 200. */
  readonly sampleSize?: number;
  /** What counts as a recent failure, in milliseconds. Default 300000 (five minutes). */
  readonly failureWindowMs?: number;
  readonly now?: () => number;
}

export interface HealthTracker {
  recordSuccess(latencyMs: number): void;
  /** Records a real upstream failure (not caller aborts or local refusals). */
  recordFailure(): void;
  /** Builds the `SourceHealth` snapshot served by `GET /v1/sources` and readiness. */
  snapshot(circuit: CircuitState): SourceHealth;
}

/** Failures remembered at most; enough for any sane window, bounded whatever the traffic. */
const MAX_FAILURE_TIMES = 10_000;

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? null;
}

/**
 * Latencies go into a fixed ring buffer and are sorted only when a snapshot is asked for
 * (200 numbers: microseconds), so recording stays O(1).
 *
 * @example
 * ```ts
 * const health = createHealthTracker({ id: "kemensos" });
 * health.recordSuccess(42);
 * health.snapshot("CLOSED").latencyP50Ms; // 42
 * ```
 */
export function createHealthTracker(options: HealthTrackerOptions): HealthTracker {
  const now = options.now ?? Date.now;
  const sampleSize = Math.max(1, options.sampleSize ?? 200);
  const windowMs = options.failureWindowMs ?? 300_000;
  const latencies = new Float64Array(sampleSize);
  let samples = 0;
  let next = 0;
  let failureTimes: number[] = [];
  let lastSuccessAt: number | null = null;
  let lastFailureAt: number | null = null;

  function pruneFailures(at: number): void {
    const first = failureTimes.findIndex((t) => at - t < windowMs);
    if (first === -1) failureTimes = [];
    else if (first > 0) failureTimes = failureTimes.slice(first);
  }

  return {
    recordSuccess(latencyMs) {
      latencies[next] = latencyMs;
      next = (next + 1) % sampleSize;
      samples = Math.min(samples + 1, sampleSize);
      lastSuccessAt = now();
    },

    recordFailure() {
      const at = now();
      lastFailureAt = at;
      failureTimes.push(at);
      if (failureTimes.length > MAX_FAILURE_TIMES) pruneFailures(at);
      if (failureTimes.length > MAX_FAILURE_TIMES) failureTimes.shift();
    },

    snapshot(circuit) {
      pruneFailures(now());
      const sorted = latencies.slice(0, samples).sort();
      return {
        id: options.id,
        circuit,
        latencyP50Ms: percentile(sorted, 50),
        latencyP95Ms: percentile(sorted, 95),
        recentFailures: failureTimes.length,
        lastSuccessAt: lastSuccessAt === null ? null : new Date(lastSuccessAt).toISOString(),
        lastFailureAt: lastFailureAt === null ? null : new Date(lastFailureAt).toISOString(),
      };
    },
  };
}
