/** The behaviour every rate-limit store must show; run against memory, Redis and Durable Objects. */
import { describe, expect, it } from "vitest";
import type { RateLimitStore } from "./port.ts";

export function describeRateLimitStoreContract(
  name: string,
  makeStore: () => Promise<{ store: RateLimitStore; key: (suffix: string) => string }>,
): void {
  describe(`rate-limit store contract: ${name}`, () => {
    it("admits up to the limit and refuses the next, reporting what is left", async () => {
      const { store, key } = await makeStore();
      const k = key("basic");
      const windows = [{ limit: 3, windowSeconds: 60 }];
      const remaining: number[] = [];
      for (let i = 0; i < 3; i++) {
        const decision = await store.consume(k, 1, windows);
        expect(decision.allowed, `request ${i + 1} of 3 must be admitted`).toBe(true);
        remaining.push(decision.remaining);
      }
      expect(remaining).toEqual([2, 1, 0]);
      const refused = await store.consume(k, 1, windows);
      expect(refused.allowed, "the 4th request must be refused").toBe(false);
      expect(refused.remaining).toBe(0);
      expect(refused.resetSeconds).toBeGreaterThanOrEqual(1);
      expect(refused.resetSeconds).toBeLessThanOrEqual(60);
    });

    it("charges a cost atomically: a batch that does not fit takes nothing", async () => {
      const { store, key } = await makeStore();
      const k = key("cost");
      const windows = [{ limit: 10, windowSeconds: 60 }];
      expect((await store.consume(k, 7, windows)).remaining).toBe(3);
      expect((await store.consume(k, 4, windows)).allowed, "cost 4 > 3 left").toBe(false);
      const after = await store.consume(k, 3, windows);
      expect(after.allowed, "the refused batch must not have consumed anything").toBe(true);
      expect(after.remaining).toBe(0);
    });

    it("takes from every window only when all have room, and reports the binding one", async () => {
      const { store, key } = await makeStore();
      const k = key("multi");
      const windows = [
        { limit: 5, windowSeconds: 60 },
        { limit: 2, windowSeconds: 86_400 },
      ];
      const first = await store.consume(k, 1, windows);
      expect(first).toMatchObject({ allowed: true, limit: 2, windowSeconds: 86_400, remaining: 1 });
      await store.consume(k, 1, windows);
      const refused = await store.consume(k, 1, windows);
      expect(refused).toMatchObject({ allowed: false, limit: 2, windowSeconds: 86_400 });
      const minuteOnly = await store.consume(k, 1, [{ limit: 5, windowSeconds: 60 }]);
      expect(minuteOnly.remaining, "refused calls must not consume the minute window").toBe(2);
    });

    it("keeps keys apart", async () => {
      const { store, key } = await makeStore();
      const windows = [{ limit: 1, windowSeconds: 60 }];
      expect((await store.consume(key("a"), 1, windows)).allowed).toBe(true);
      expect((await store.consume(key("b"), 1, windows)).allowed).toBe(true);
      expect((await store.consume(key("a"), 1, windows)).allowed).toBe(false);
    });

    it("admits exactly the limit under concurrent requests", async () => {
      const { store, key } = await makeStore();
      const k = key("race");
      const windows = [{ limit: 25, windowSeconds: 60 }];
      const decisions = await Promise.all(
        Array.from({ length: 100 }, () => store.consume(k, 1, windows)),
      );
      expect(decisions.filter((decision) => decision.allowed)).toHaveLength(25);
    });
  });
}
