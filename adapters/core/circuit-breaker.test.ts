import { describe, expect, it } from "vitest";
import { type BreakerPermit, createCircuitBreaker } from "./circuit-breaker.ts";

function permit(breaker: ReturnType<typeof createCircuitBreaker>, what: string): BreakerPermit {
  const admitted = breaker.acquire();
  if (!admitted.ok) throw new Error(`${what}: breaker refused`);
  return admitted.permit;
}

describe("circuit breaker", () => {
  it("resets the consecutive count on success", () => {
    const breaker = createCircuitBreaker({ failureThreshold: 3, openMs: 1_000, halfOpenProbes: 1 });
    breaker.release(permit(breaker, "1"), "FAILURE");
    breaker.release(permit(breaker, "2"), "FAILURE");
    breaker.release(permit(breaker, "3"), "SUCCESS");
    breaker.release(permit(breaker, "4"), "FAILURE");
    breaker.release(permit(breaker, "5"), "FAILURE");
    expect(breaker.state(), "opened although failures were not consecutive").toBe("CLOSED");
    breaker.release(permit(breaker, "6"), "FAILURE");
    expect(breaker.state(), "did not open on 3 consecutive failures").toBe("OPEN");
  });

  it("ignores neutral outcomes", () => {
    const breaker = createCircuitBreaker({ failureThreshold: 1, openMs: 1_000, halfOpenProbes: 1 });
    for (let i = 0; i < 10; i++) breaker.release(permit(breaker, `${i}`), "NEUTRAL");
    expect(breaker.state(), "neutral outcomes opened the circuit").toBe("CLOSED");
  });

  it("ignores stragglers admitted before the last transition", () => {
    let t = 0;
    const breaker = createCircuitBreaker({
      failureThreshold: 1,
      openMs: 1_000,
      halfOpenProbes: 1,
      now: () => t,
    });
    const straggler = permit(breaker, "straggler");
    breaker.release(permit(breaker, "tripper"), "FAILURE");
    t = 1_000;
    const probe = permit(breaker, "probe");
    breaker.release(straggler, "SUCCESS");
    expect(breaker.state(), "a straggler's success closed a circuit it did not probe").toBe(
      "HALF_OPEN",
    );
    breaker.release(probe, "NEUTRAL");
    expect(breaker.acquire().ok, "a neutral probe did not free its slot").toBe(true);
  });

  it("reports how long until a probe is allowed", () => {
    let t = 0;
    const breaker = createCircuitBreaker({
      failureThreshold: 1,
      openMs: 1_000,
      halfOpenProbes: 1,
      now: () => t,
    });
    breaker.release(permit(breaker, "tripper"), "FAILURE");
    t = 400;
    expect(breaker.retryInMs(), "wrong time left open").toBe(600);
    const refused = breaker.acquire();
    expect(!refused.ok && refused.retryInMs, "refusal does not carry the time left").toBe(600);
  });
});
