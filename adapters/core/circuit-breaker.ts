/** A circuit breaker that counts only real upstream failures. */
import type { CircuitState } from "./source.ts";

export interface CircuitBreakerOptions {
  /** Upstream failures that open the circuit: consecutive, or within `windowMs` when set. */
  readonly failureThreshold: number;
  /** Count failures in a sliding window of this many milliseconds instead of consecutively. */
  readonly windowMs?: number;
  /** How long the circuit stays open before letting probes through. */
  readonly openMs: number;
  /** Calls let through at once while half-open. */
  readonly halfOpenProbes: number;
  readonly now?: () => number;
}

/** Permission to make one call; hand it back with the outcome. */
export interface BreakerPermit {
  readonly probe: boolean;
  readonly generation: number;
}

/**
 * How a call ended, as far as the breaker cares: `FAILURE` only for the source's own faults,
 * `NEUTRAL` for anything that says nothing about the source's health (caller aborts, local
 * overload, 4xx refusals).
 */
export type BreakerOutcome = "SUCCESS" | "FAILURE" | "NEUTRAL";

export interface CircuitBreaker {
  /** A permit, or the milliseconds until the circuit may let a probe through. */
  acquire():
    | { readonly ok: true; readonly permit: BreakerPermit }
    | { readonly ok: false; readonly retryInMs: number };
  release(permit: BreakerPermit, outcome: BreakerOutcome): void;
  state(): CircuitState;
  /** Milliseconds until an open circuit lets a probe through; 0 unless OPEN. */
  retryInMs(): number;
}

/**
 * CLOSED → OPEN after `failureThreshold` failures → HALF_OPEN after `openMs`, admitting up to
 * `halfOpenProbes` calls → CLOSED on a probe's success, OPEN again on a probe's failure.
 * Outcomes of calls admitted before the last transition are ignored, so a slow straggler
 * cannot close or re-open a circuit it did not probe.
 *
 * @example
 * ```ts
 * const breaker = createCircuitBreaker({ failureThreshold: 5, openMs: 10_000, halfOpenProbes: 1 });
 * const admitted = breaker.acquire();
 * if (admitted.ok) breaker.release(admitted.permit, "SUCCESS");
 * ```
 */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const now = options.now ?? Date.now;
  let state: CircuitState = "CLOSED";
  let generation = 0;
  let openedAt = 0;
  let consecutive = 0;
  let failureTimes: number[] = [];
  let probesInFlight = 0;

  function transition(next: CircuitState): void {
    state = next;
    generation++;
    consecutive = 0;
    failureTimes = [];
    probesInFlight = 0;
    if (next === "OPEN") openedAt = now();
  }

  function current(): CircuitState {
    if (state === "OPEN" && now() - openedAt >= options.openMs) transition("HALF_OPEN");
    return state;
  }

  function countFailure(): boolean {
    if (options.windowMs === undefined) {
      consecutive++;
      return consecutive >= options.failureThreshold;
    }
    const at = now();
    failureTimes = failureTimes.filter((t) => at - t < (options.windowMs ?? 0));
    failureTimes.push(at);
    return failureTimes.length >= options.failureThreshold;
  }

  return {
    acquire() {
      const s = current();
      if (s === "OPEN") {
        return { ok: false, retryInMs: Math.max(0, openedAt + options.openMs - now()) };
      }
      if (s === "HALF_OPEN") {
        if (probesInFlight >= options.halfOpenProbes) return { ok: false, retryInMs: 0 };
        probesInFlight++;
        return { ok: true, permit: { probe: true, generation } };
      }
      return { ok: true, permit: { probe: false, generation } };
    },

    release(permit, outcome) {
      current();
      if (permit.generation !== generation) return;
      if (permit.probe) {
        if (outcome === "SUCCESS") transition("CLOSED");
        else if (outcome === "FAILURE") transition("OPEN");
        else probesInFlight = Math.max(0, probesInFlight - 1);
        return;
      }
      if (outcome === "SUCCESS") {
        consecutive = 0;
      } else if (outcome === "FAILURE" && countFailure()) {
        transition("OPEN");
      }
    },

    state: current,

    retryInMs: () => (current() === "OPEN" ? Math.max(0, openedAt + options.openMs - now()) : 0),
  };
}
