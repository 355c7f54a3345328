/** The stateful stores for Node: Redis when REDIS_URL is set (shared by every process), else memory. */

import { createMemoryAuditStore } from "../stores/audit/memory.ts";
import type { NikHasher } from "../stores/audit/nik-hmac.ts";
import type { AuditStore } from "../stores/audit/port.ts";
import { type AuditRetryReason, createRedisAuditStore } from "../stores/audit/redis.ts";
import { createMemoryRateLimitStore } from "../stores/rate-limit/memory.ts";
import type { RateLimitStore } from "../stores/rate-limit/port.ts";
import { createRedisRateLimitStore } from "../stores/rate-limit/redis.ts";
import { createRedisConnection, type RedisConnection } from "../stores/redis/connection.ts";
import { createMemoryReplayStore } from "../stores/replay/memory.ts";
import type { ReplayStore } from "../stores/replay/port.ts";
import { createRedisReplayStore } from "../stores/replay/redis.ts";
import type { NodeConfig } from "./config.ts";
import { createNodeNikHasher } from "./nik-hmac.ts";

export interface NodeStores {
  readonly kind: "memory" | "redis";
  readonly rateLimits: RateLimitStore;
  readonly audit: AuditStore;
  readonly nikHmac: NikHasher;
  readonly replay: ReplayStore;
  /** The shared connection, when Redis backs the stores (for readiness and other stores). */
  readonly redis?: RedisConnection;
  close(): Promise<void>;
}

export interface NodeStoreHooks {
  /** Each audit batch the shared chain sent back to be resealed (Redis only). */
  readonly onAuditRetry?: (reason: AuditRetryReason) => void;
}

export async function buildNodeStores(
  config: NodeConfig,
  hooks: NodeStoreHooks = {},
): Promise<NodeStores> {
  const nikHmac = createNodeNikHasher(config.SIMPUL_AUDIT_KEY);
  if (config.REDIS_URL === undefined) {
    return {
      kind: "memory",
      rateLimits: createMemoryRateLimitStore(),
      audit: createMemoryAuditStore(),
      nikHmac,
      replay: createMemoryReplayStore(),
      close: async () => {},
    };
  }
  const redis = await createRedisConnection({
    url: config.REDIS_URL,
    commandTimeoutMs: config.SIMPUL_REDIS_COMMAND_TIMEOUT_MS,
    connectionName: "simpul-gateway",
  });
  const prefix = config.SIMPUL_REDIS_PREFIX;
  return {
    kind: "redis",
    rateLimits: createRedisRateLimitStore(redis, { prefix }),
    audit: createRedisAuditStore(redis, { prefix, onRetry: hooks.onAuditRetry }),
    nikHmac,
    replay: createRedisReplayStore(redis, { prefix }),
    redis,
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
