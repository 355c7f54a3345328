import { describe, expect, it } from "vitest";
import { randomHex } from "./random-hex.ts";

describe("pooled random hex", () => {
  it("gives ids of the asked length in lower-case hex", () => {
    expect(randomHex(16)).toMatch(/^[0-9a-f]{32}$/);
    expect(randomHex(8)).toMatch(/^[0-9a-f]{16}$/);
  });

  it("never repeats an id across many pool refills", () => {
    // 20,000 × 24 bytes is over a hundred refills of the 4 KiB pool.
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(randomHex(16) + randomHex(8));
    expect(seen.size).toBe(20_000);
  });

  it("uses every hex digit, so the bytes are not stuck at a value", () => {
    const digits = new Set(Array.from({ length: 200 }, () => randomHex(8)).join(""));
    expect(digits.size).toBe(16);
  });
});
