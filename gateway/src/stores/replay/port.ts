/** The token-replay store port: remembers each token id (`jti`, RFC 7519 §4.1.7) until it expires. */

export interface ReplayStore {
  /**
   * Records `jti` until `expiresAtEpochSeconds` (the token's `exp`). Resolves `true` the first
   * time, `false` when it was already recorded (a replay) or when that expiry has already passed,
   * so an expired token can never count as fresh. Atomic: of concurrent calls with one `jti`,
   * exactly one resolves `true`.
   */
  remember(jti: string, expiresAtEpochSeconds: number): Promise<boolean>;
}

export const MAX_JTI_LENGTH = 256;

/** Argument checks shared by every implementation. */
export function checkReplayArguments(jti: string, expiresAtEpochSeconds: number): void {
  if (typeof jti !== "string" || jti.length === 0 || jti.length > MAX_JTI_LENGTH) {
    throw new TypeError(`a jti is a string of 1 to ${MAX_JTI_LENGTH} characters`);
  }
  if (!Number.isSafeInteger(expiresAtEpochSeconds) || expiresAtEpochSeconds <= 0) {
    throw new RangeError("expiresAtEpochSeconds must be a positive integer (NumericDate)");
  }
}
