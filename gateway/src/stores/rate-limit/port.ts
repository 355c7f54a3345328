/** The rate-limit store port: an atomic "take `cost` units if every window has room". */

export interface RateLimitWindow {
  readonly limit: number;
  readonly windowSeconds: number;
}

export interface RateLimitDecision {
  readonly allowed: boolean;
  /** The window that binds (the one with the fewest units left). */
  readonly limit: number;
  readonly windowSeconds: number;
  readonly remaining: number;
  /** Seconds until that window resets. */
  readonly resetSeconds: number;
}

export interface RateLimitStore {
  /**
   * Takes `cost` units from every window of `key` if all of them have room, else takes none.
   * Fixed windows aligned to the epoch, so every gateway instance agrees on the boundaries.
   */
  consume(
    key: string,
    cost: number,
    windows: readonly RateLimitWindow[],
  ): Promise<RateLimitDecision>;
}
