/** When and how long to wait before trying a safe request again. */

/** How the client retries safe requests. */
export interface RetryOptions {
  /** Retries after the first attempt; 0 turns retrying off. Default 2. */
  readonly maxRetries?: number;
  /** First backoff delay before jitter, doubled on each retry. Default 500 ms. */
  readonly baseDelayMs?: number;
  /**
   * The longest single wait. A `Retry-After` longer than this is not waited for: the error is
   * thrown at once, with `retryAfterSeconds` set. Default 20,000 ms.
   */
  readonly maxDelayMs?: number;
  /** The most time one call may spend waiting between attempts. Default 60,000 ms. */
  readonly maxTotalWaitMs?: number;
}

export type RetryPolicy = Required<RetryOptions>;

export const DEFAULT_RETRY: RetryPolicy = {
  maxRetries: 2,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxTotalWaitMs: 60_000,
};

/**
 * Builds the retry policy from the client's `retries` option.
 *
 * @example
 * retryPolicy(0).maxRetries; // 0: never retry
 * retryPolicy({ maxDelayMs: 5_000 }).maxRetries; // 2
 */
export function retryPolicy(option: number | RetryOptions | undefined): RetryPolicy {
  const given = typeof option === "number" ? { maxRetries: option } : (option ?? {});
  const policy = { ...DEFAULT_RETRY, ...given };
  for (const [name, value] of Object.entries(policy)) {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`retries.${name} must be a finite number ≥ 0; got ${value}.`);
    }
  }
  return policy;
}

/**
 * Reads `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP date, as milliseconds.
 *
 * @example
 * parseRetryAfter("37"); // 37000
 * parseRetryAfter(new Date(Date.now() + 5_000).toUTCString()); // about 5000
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date always names its weekday and month; this keeps "-3" from parsing as a year.
  const date = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * "Full jitter" exponential backoff: a random delay up to `base · 2^retry`, capped, so that
 * many clients failing together do not retry together.
 *
 * @example
 * backoffDelay(0, DEFAULT_RETRY); // between 0 and 500 ms
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random = Math.random): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry));
}

/**
 * Waits `ms`, or rejects with the signal's reason as soon as it aborts.
 *
 * @example
 * await sleep(250, AbortSignal.timeout(1_000));
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
