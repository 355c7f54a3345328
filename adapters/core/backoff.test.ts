import { describe, expect, it } from "vitest";
import { fullJitterDelay, parseRetryAfter } from "./backoff.ts";

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-01-06T00:00:00Z");

  it("reads delay-seconds", () => {
    expect(parseRetryAfter("0", now), "0 seconds misread").toBe(0);
    expect(parseRetryAfter(" 12 ", now), "12 seconds misread").toBe(12_000);
  });

  it("reads an IMF-fixdate relative to now, never negative", () => {
    expect(parseRetryAfter("Mon, 06 Jan 2025 00:00:05 GMT", now), "future date misread").toBe(
      5_000,
    );
    expect(parseRetryAfter("Sun, 05 Jan 2025 23:59:00 GMT", now), "past date not clamped").toBe(0);
  });

  it("ignores absent and malformed values", () => {
    for (const value of [undefined, "", "-1", "1.5", "soon", "2025-01-06T00:00:05Z"]) {
      expect(parseRetryAfter(value, now), `accepted ${JSON.stringify(value)}`).toBeUndefined();
    }
  });
});

describe("fullJitterDelay", () => {
  it("scales a uniform draw by the capped exponential ceiling", () => {
    expect(
      fullJitterDelay(1, 100, 1_000, () => 0.5),
      "first retry",
    ).toBe(50);
    expect(
      fullJitterDelay(4, 100, 1_000, () => 0.5),
      "fourth retry",
    ).toBe(400);
    expect(
      fullJitterDelay(10, 100, 1_000, () => 0.999),
      "cap not applied",
    ).toBe(999);
    expect(
      fullJitterDelay(1, 100, 1_000, () => 0),
      "zero draw",
    ).toBe(0);
  });
});
