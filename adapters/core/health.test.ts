import { describe, expect, it } from "vitest";
import { createHealthTracker } from "./health.ts";

describe("health tracker", () => {
  it("computes nearest-rank p50 and p95 over the most recent samples only", () => {
    const health = createHealthTracker({ id: "dukcapil", sampleSize: 200 });
    for (let ms = 1; ms <= 100; ms++) health.recordSuccess(ms);
    let snapshot = health.snapshot("CLOSED");
    expect(snapshot.latencyP50Ms, "p50 of 1..100").toBe(50);
    expect(snapshot.latencyP95Ms, "p95 of 1..100").toBe(95);
    for (let i = 0; i < 200; i++) health.recordSuccess(1_000);
    snapshot = health.snapshot("CLOSED");
    expect(snapshot.latencyP50Ms, "old samples not evicted from the window").toBe(1_000);
  });

  it("counts only failures within the window", () => {
    let t = Date.parse("2025-01-06T00:00:00Z");
    const health = createHealthTracker({ id: "kemnaker", failureWindowMs: 1_000, now: () => t });
    health.recordFailure();
    t += 600;
    health.recordFailure();
    expect(health.snapshot("CLOSED").recentFailures, "both failures are recent").toBe(2);
    t += 600;
    const snapshot = health.snapshot("OPEN");
    expect(snapshot.recentFailures, "an old failure still counted").toBe(1);
    expect(snapshot.lastFailureAt, "last failure time wrong").toBe("2025-01-06T00:00:00.600Z");
    expect(snapshot.circuit, "circuit state not passed through").toBe("OPEN");
  });
});
