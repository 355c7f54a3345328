/** The upstream latency the benchmarks give the simulators (load/bench.ts, load/compare.ts). */
import type { SourceId } from "./processes.ts";

/**
 * Upstream latency for the enrolment-check and batch phases: log-normal, one source clearly the
 * slowest so that "the slowest source's p50" is a meaningful yardstick. The lookup and mixed
 * phases run with instant sources, so what is measured there is the gateway's own cost.
 */
export const SOURCE_LATENCY: Record<
  SourceId,
  { kind: "lognormal"; medianMs: number; p99Ms: number }
> = {
  dukcapil: { kind: "lognormal", medianMs: 5, p99Ms: 10 },
  kemensos: { kind: "lognormal", medianMs: 8, p99Ms: 16 },
  kemnaker: { kind: "lognormal", medianMs: 10, p99Ms: 20 },
  kemenkopukm: { kind: "lognormal", medianMs: 20, p99Ms: 40 },
};

/** {@link SOURCE_LATENCY} as the simulators' fault settings (`setSimulatorFaults`). */
export const SOURCE_LATENCY_FAULTS = Object.fromEntries(
  Object.entries(SOURCE_LATENCY).map(([id, latency]) => [id, { latency }]),
);
