/** The behaviour every replay store must show; run against memory, Redis and Durable Objects. */
import { describe, expect, it } from "vitest";
import type { ReplayStore } from "./port.ts";

export interface ReplayHarnessOptions {
  /** The clock (ms) the store compares expiries with. */
  readonly now?: () => number;
}

export function describeReplayStoreContract(
  name: string,
  makeStore: (options?: ReplayHarnessOptions) => Promise<{ store: ReplayStore }>,
): void {
  describe(`replay store contract: ${name}`, () => {
    const inAMinute = () => Math.floor(Date.now() / 1000) + 60;

    it("accepts a token id once and refuses it after that", async () => {
      const { store } = await makeStore();
      const exp = inAMinute();
      expect(await store.remember("jti-once", exp), "first use must be accepted").toBe(true);
      expect(await store.remember("jti-once", exp), "a replay must be refused").toBe(false);
      expect(await store.remember("jti-once", exp + 600), "a later exp must not reset it").toBe(
        false,
      );
    });

    it("keeps token ids apart", async () => {
      const { store } = await makeStore();
      expect(await store.remember("jti-a", inAMinute())).toBe(true);
      expect(await store.remember("jti-b", inAMinute())).toBe(true);
    });

    it("accepts exactly one of many concurrent uses of one id", async () => {
      const { store } = await makeStore();
      const exp = inAMinute();
      const results = await Promise.all(
        Array.from({ length: 50 }, () => store.remember("jti-race", exp)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it("never treats an already-expired id as fresh", async () => {
      const now = Date.parse("2030-01-01T00:00:00Z");
      const { store } = await makeStore({ now: () => now });
      expect(await store.remember("jti-expired", now / 1000)).toBe(false);
      expect(await store.remember("jti-expired", now / 1000 - 60)).toBe(false);
      expect(await store.remember("jti-expired", now / 1000 + 1)).toBe(true);
    });

    it("refuses malformed arguments", async () => {
      const { store } = await makeStore();
      await expect(store.remember("", inAMinute())).rejects.toThrow(TypeError);
      await expect(store.remember("x".repeat(257), inAMinute())).rejects.toThrow(TypeError);
      await expect(store.remember("jti", 1.5)).rejects.toThrow(RangeError);
    });
  });
}
