/** A concurrency limit with a bounded, deadline-aware wait queue. */

export interface LimiterOptions {
  /** Calls running at once. */
  readonly maxConcurrent: number;
  /** Calls allowed to wait for a slot; beyond this they are refused at once. */
  readonly maxQueue: number;
}

/** Why no slot was given: the queue was full, the wait ran out, or the caller aborted. */
export type LimiterRefusal = "QUEUE_FULL" | "WAIT_EXPIRED" | "ABORTED";

export type LimiterGrant =
  | { readonly ok: true; readonly release: () => void }
  | { readonly ok: false; readonly reason: LimiterRefusal };

export interface Limiter {
  /** Waits at most `maxWaitMs` for a slot. */
  acquire(maxWaitMs: number, signal?: AbortSignal): Promise<LimiterGrant>;
  readonly active: number;
  readonly queued: number;
}

interface Waiter {
  grant(): void;
}

/**
 * A FIFO semaphore. Slots are handed straight to the next waiter on release, so a newcomer
 * cannot overtake the queue.
 *
 * @example
 * ```ts
 * const limiter = createLimiter({ maxConcurrent: 8, maxQueue: 32 });
 * const slot = await limiter.acquire(1000);
 * if (slot.ok) try { await work(); } finally { slot.release(); }
 * ```
 */
export function createLimiter(options: LimiterOptions): Limiter {
  let active = 0;
  const queue: Waiter[] = [];

  function releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = queue.shift();
      if (next === undefined) active--;
      else next.grant();
    };
  }

  return {
    get active() {
      return active;
    },
    get queued() {
      return queue.length;
    },

    acquire(maxWaitMs, signal) {
      if (signal?.aborted) return Promise.resolve({ ok: false, reason: "ABORTED" });
      if (active < options.maxConcurrent) {
        active++;
        return Promise.resolve({ ok: true, release: releaser() });
      }
      if (queue.length >= options.maxQueue || maxWaitMs <= 0) {
        return Promise.resolve({ ok: false, reason: "QUEUE_FULL" });
      }
      return new Promise<LimiterGrant>((resolve) => {
        const leave = (reason: LimiterRefusal) => {
          const index = queue.indexOf(waiter);
          if (index >= 0) queue.splice(index, 1);
          cleanup();
          resolve({ ok: false, reason });
        };
        const onAbort = () => leave("ABORTED");
        const timer = setTimeout(() => leave("WAIT_EXPIRED"), maxWaitMs);
        const cleanup = () => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
        };
        const waiter: Waiter = {
          grant() {
            cleanup();
            resolve({ ok: true, release: releaser() });
          },
        };
        signal?.addEventListener("abort", onAbort, { once: true });
        queue.push(waiter);
      });
    },
  };
}
