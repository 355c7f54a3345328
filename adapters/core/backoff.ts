/** Retry delays: full-jitter exponential backoff and the source's own `Retry-After`. */

/**
 * "Full jitter" (AWS Architecture Blog, "Exponential Backoff and Jitter", 2015): a uniform
 * delay in [0, min(cap, base · 2^(retry-1))), which spreads synchronised clients apart best.
 *
 * @param retry 1 for the first retry, 2 for the second, …
 * @param random a number in [0, 1), as from `Math.random`
 * @example
 * ```ts
 * fullJitterDelay(3, 100, 2000, () => 0.5); // 200: half of min(2000, 100 · 2²)
 * ```
 */
export function fullJitterDelay(
  retry: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number,
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(Math.min(Math.max(random(), 0), 1) * ceiling);
}

/** IMF-fixdate and the other HTTP-date forms `Date.parse` understands (RFC 9110 §5.6.7). */
const HTTP_DATE = /^[A-Za-z]{3},? /;

/**
 * Milliseconds to wait from a `Retry-After` value: delay-seconds or an HTTP-date
 * (RFC 9110 §10.2.3). Returns undefined when the value is absent or malformed.
 *
 * @example
 * ```ts
 * parseRetryAfter("2", Date.now()); // 2000
 * parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", Date.parse("2015-10-21T07:27:58Z")); // 2000
 * ```
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  if (!HTTP_DATE.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
