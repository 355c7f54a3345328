import { describe, expect, it } from "vitest";
import { createLimiter } from "./limiter.ts";

describe("limiter", () => {
  it("hands freed slots to waiters in arrival order", async () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 2 });
    const first = await limiter.acquire(1_000);
    if (!first.ok) throw new Error("first acquire refused");
    const order: string[] = [];
    const a = limiter.acquire(1_000).then((g) => {
      order.push("a");
      return g;
    });
    const b = limiter.acquire(1_000).then((g) => {
      order.push("b");
      return g;
    });
    const c = await limiter.acquire(1_000);
    expect(!c.ok && c.reason, "a third waiter was queued past maxQueue").toBe("QUEUE_FULL");
    first.release();
    const granted = await a;
    if (granted.ok) granted.release();
    const second = await b;
    expect(order, "waiters not served first come, first served").toEqual(["a", "b"]);
    expect(second.ok, "second waiter never got a slot").toBe(true);
    if (second.ok) second.release();
    expect(limiter.active, "slots leaked").toBe(0);
  });

  it("releases a slot only once however often release is called", async () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 0 });
    const grant = await limiter.acquire(0);
    if (!grant.ok) throw new Error("acquire refused");
    grant.release();
    grant.release();
    expect(limiter.active, "double release went negative").toBe(0);
  });

  it("drops a waiter whose wait expires", async () => {
    const limiter = createLimiter({ maxConcurrent: 1, maxQueue: 1 });
    await limiter.acquire(0);
    const waited = await limiter.acquire(20);
    expect(!waited.ok && waited.reason, "expired wait not reported").toBe("WAIT_EXPIRED");
    expect(limiter.queued, "expired waiter left in the queue").toBe(0);
  });
});
