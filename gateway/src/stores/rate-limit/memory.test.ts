import { describe, expect, it } from "vitest";
import { describeRateLimitStoreContract } from "./contract.ts";
import { createMemoryRateLimitStore } from "./memory.ts";

describeRateLimitStoreContract("memory", async () => ({
  store: createMemoryRateLimitStore(),
  key: (suffix) => `test:${suffix}`,
}));

describe("memory rate-limit store", () => {
  it("starts a fresh window when the clock passes the boundary", async () => {
    let now = 60_000 * 10;
    const store = createMemoryRateLimitStore({ now: () => now });
    const windows = [{ limit: 1, windowSeconds: 60 }];
    expect((await store.consume("k", 1, windows)).allowed).toBe(true);
    expect((await store.consume("k", 1, windows)).allowed).toBe(false);
    now += 60_000;
    expect((await store.consume("k", 1, windows)).allowed, "next window must admit").toBe(true);
  });

  it("sweeps expired counters so memory stays bounded", async () => {
    let now = 0;
    const store = createMemoryRateLimitStore({ now: () => now, sweepAbove: 10 });
    for (let i = 0; i < 50; i++) await store.consume(`k${i}`, 1, [{ limit: 1, windowSeconds: 1 }]);
    now += 2000;
    expect(store.size).toBe(50);
    await store.consume("fresh", 1, [{ limit: 1, windowSeconds: 1 }]);
    expect(store.size, "expired counters must be swept").toBe(1);
  });
});
