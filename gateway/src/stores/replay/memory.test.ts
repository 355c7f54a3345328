import { describe, expect, it } from "vitest";
import { describeReplayStoreContract } from "./contract.ts";
import { createMemoryReplayStore } from "./memory.ts";

describeReplayStoreContract("memory", async (options = {}) => ({
  store: createMemoryReplayStore(options),
}));

describe("memory replay store", () => {
  it("forgets ids once they expire, so memory stays bounded", async () => {
    let now = 1_000_000;
    const store = createMemoryReplayStore({ now: () => now, maxEntries: 10 });
    for (let i = 0; i < 10; i++) expect(await store.remember(`old-${i}`, 1_000 + 5)).toBe(true);
    now += 10_000;
    expect(await store.remember("new", 1_000 + 60)).toBe(true);
    expect(store.size, "expired ids must be swept when the store is full").toBe(1);
  });

  it("fails closed instead of forgetting live ids when full", async () => {
    const store = createMemoryReplayStore({ now: () => 0, maxEntries: 3 });
    for (let i = 0; i < 3; i++) await store.remember(`live-${i}`, 60);
    await expect(store.remember("one-more", 60)).rejects.toMatchObject({
      code: "STORE_UNAVAILABLE",
    });
    expect(await store.remember("live-0", 60), "held ids are still refused").toBe(false);
  });
});
