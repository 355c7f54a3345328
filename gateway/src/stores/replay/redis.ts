/** Replay protection shared by every gateway process: one `SET NX EXAT` per token (Node only). */
import { StoreUnavailableError } from "../errors.ts";
import type { RedisConnection } from "../redis/connection.ts";
import { checkReplayArguments, type ReplayStore } from "./port.ts";

export interface RedisReplayOptions {
  /** Prepended to every key, e.g. `simpul:`. */
  readonly prefix: string;
  /** Clock in ms, for refusing already-expired ids; the same clock that checked the token. */
  readonly now?: () => number;
}

/**
 * Keys look like `<prefix>jti:<jti>` and expire with the token (EXAT, Redis ≥ 6.2), so Redis
 * holds only live ids. SET NX makes the first writer win across all processes.
 *
 * @example
 * const replay = createRedisReplayStore(redis, { prefix: "simpul:" });
 * if (!(await replay.remember(claims.jti, claims.exp))) throw new AuthError("INVALID_TOKEN");
 */
export function createRedisReplayStore(
  redis: RedisConnection,
  options: RedisReplayOptions,
): ReplayStore {
  const now = options.now ?? Date.now;
  return {
    async remember(jti, expiresAtEpochSeconds) {
      checkReplayArguments(jti, expiresAtEpochSeconds);
      if (expiresAtEpochSeconds <= now() / 1000) return false;
      try {
        const reply = await redis.set(
          `${options.prefix}jti:${jti}`,
          "1",
          "EXAT",
          expiresAtEpochSeconds,
          "NX",
        );
        return reply === "OK";
      } catch (error) {
        throw new StoreUnavailableError("replay", (error as Error).message, { cause: error });
      }
    },
  };
}
