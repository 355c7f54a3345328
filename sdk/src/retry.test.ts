import { describe, expect, it } from "vitest";
import { backoffDelay, DEFAULT_RETRY, parseRetryAfter, retryPolicy, sleep } from "./retry.ts";

describe("parseRetryAfter", () => {
  it("reads delay-seconds and HTTP dates (RFC 9110 §10.2.3)", () => {
    const now = Date.parse("2025-03-01T08:00:00Z");
    expect(parseRetryAfter("37", now)).toBe(37_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("Sat, 01 Mar 2025 08:00:05 GMT", now)).toBe(5_000);
    expect(parseRetryAfter("Sat, 01 Mar 2025 07:00:00 GMT", now), "a past date").toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-3", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe("backoffDelay", () => {
  it("is full jitter over a doubling, capped ceiling", () => {
    expect(backoffDelay(0, DEFAULT_RETRY, () => 0.999)).toBe(499);
    expect(backoffDelay(3, DEFAULT_RETRY, () => 0.5)).toBe(2_000);
    expect(backoffDelay(20, DEFAULT_RETRY, () => 0.999)).toBeLessThan(DEFAULT_RETRY.maxDelayMs);
    expect(backoffDelay(2, DEFAULT_RETRY, () => 0)).toBe(0);
  });
});

describe("retryPolicy", () => {
  it("takes a number of retries or a partial policy", () => {
    expect(retryPolicy(undefined)).toEqual(DEFAULT_RETRY);
    expect(retryPolicy(0).maxRetries).toBe(0);
    expect(retryPolicy({ maxDelayMs: 1 })).toEqual({ ...DEFAULT_RETRY, maxDelayMs: 1 });
    expect(() => retryPolicy(Number.NaN)).toThrow(RangeError);
  });
});

describe("sleep", () => {
  it("rejects with the abort reason", async () => {
    const reason = new Error("stop");
    await expect(sleep(10_000, AbortSignal.abort(reason))).rejects.toBe(reason);
  });
});
