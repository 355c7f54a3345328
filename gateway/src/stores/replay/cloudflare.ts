/** Replay protection on Cloudflare Workers: one Durable Object per token id, gone when it expires. */
import { DurableObject } from "cloudflare:workers";
import { StoreUnavailableError } from "../errors.ts";
import { checkReplayArguments, type ReplayStore } from "./port.ts";

const EXPIRY = "exp";

/**
 * Remembers ONE `jti` (the object's name): the first `remember` wins, because an object runs one
 * event at a time and the check and the write have no `await` between them. An alarm at the
 * token's expiry deletes the object's storage, so only live ids are held.
 */
export class ReplayGuard extends DurableObject {
  #expiry: number | undefined;
  #loaded: Promise<void>;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never);
    this.#loaded = ctx.blockConcurrencyWhile(async () => {
      this.#expiry = await ctx.storage.get<number>(EXPIRY);
    });
  }

  /** True the first time, false for a replay while the recorded expiry has not passed. */
  async remember(expiresAtEpochSeconds: number): Promise<boolean> {
    await this.#loaded;
    const nowSeconds = Date.now() / 1000;
    if (this.#expiry !== undefined && this.#expiry > nowSeconds) return false;
    this.#expiry = expiresAtEpochSeconds;
    // Not awaited: the output gate releases the reply only once both writes are durable.
    void this.ctx.storage.put(EXPIRY, expiresAtEpochSeconds);
    void this.ctx.storage.setAlarm(expiresAtEpochSeconds * 1000);
    return true;
  }

  override async alarm(): Promise<void> {
    this.#expiry = undefined;
    await this.ctx.storage.deleteAll();
  }
}

export interface CloudflareReplayOptions {
  /** Clock in ms, for refusing already-expired ids; the same clock that checked the token. */
  readonly now?: () => number;
  /** Prepended to each object name, so tests (or tenants) never share ids. */
  readonly prefix?: string;
}

/**
 * The Workers implementation of {@link ReplayStore}: one subrequest per token checked.
 *
 * @example
 * const replay = createCloudflareReplayStore(env.REPLAY);
 * if (!(await replay.remember(claims.jti, claims.exp))) throw new AuthError("INVALID_TOKEN");
 */
export function createCloudflareReplayStore(
  namespace: DurableObjectNamespace<ReplayGuard>,
  options: CloudflareReplayOptions = {},
): ReplayStore {
  const now = options.now ?? Date.now;
  return {
    async remember(jti, expiresAtEpochSeconds) {
      checkReplayArguments(jti, expiresAtEpochSeconds);
      if (expiresAtEpochSeconds <= now() / 1000) return false;
      try {
        const stub = namespace.get(namespace.idFromName(`${options.prefix ?? ""}jti:${jti}`));
        return await stub.remember(expiresAtEpochSeconds);
      } catch (error) {
        throw new StoreUnavailableError("replay", (error as Error).message, { cause: error });
      }
    },
  };
}
