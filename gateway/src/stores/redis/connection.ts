/** Redis connections (Node only) that fail fast instead of queueing when Redis is away. */
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from "ioredis";

/** A standalone, Sentinel-managed or Cluster connection; every store accepts any of them. */
export type RedisConnection = Redis | Cluster;

export interface RedisSentinelOptions {
  /** The master group name configured in Sentinel (`sentinel monitor <name> …`). */
  readonly masterName: string;
  readonly sentinels: readonly { readonly host: string; readonly port: number }[];
  /** Credentials for the Sentinels themselves, when they require AUTH. */
  readonly sentinelUsername?: string;
  readonly sentinelPassword?: string;
}

export interface RedisClusterOptions {
  /** Some of the cluster's nodes; the rest are discovered with CLUSTER SLOTS. */
  readonly nodes: readonly { readonly host: string; readonly port: number }[];
  /** Rewrites the addresses nodes announce, e.g. behind Docker or a cloud NAT. */
  readonly natMap?: ClusterOptions["natMap"];
}

export interface RedisConnectionOptions {
  /**
   * `redis://[user:password@]host:port[/db]` or `rediss://…` for TLS. With `sentinels` or
   * `cluster`, only its credentials, database and TLS are used; the address comes from them.
   */
  readonly url?: string;
  /** Prepended by ioredis to every key, including the keys of scripts. */
  readonly keyPrefix?: string;
  /** A command without a reply after this long is rejected (Redis paused, network partition). */
  readonly commandTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  /**
   * The RESP version. ioredis 5 speaks RESP2 only: it never sends `HELLO 3` and its parser
   * (redis-parser) cannot read RESP3 frames, so `3` is refused rather than silently ignored.
   * Nothing here needs RESP3: no client-side caching, and script replies are plain arrays.
   */
  readonly protocol?: 2 | 3;
  /**
   * High availability with Redis Sentinel: ioredis asks the Sentinels for the current master and
   * reconnects to the new one after a failover. The URL then only carries the master's
   * credentials and database (its host is not used). Replication is asynchronous, so a write
   * acknowledged just before a failover can be lost; see the audit store's notes.
   *
   * @example
   * createRedisConnection({
   *   url: "redis://:secret@master/0",
   *   sentinels: { masterName: "simpul", sentinels: [{ host: "10.0.0.5", port: 26379 }] },
   * });
   */
  readonly sentinels?: RedisSentinelOptions;
  /**
   * Redis Cluster. Every store keeps the keys one operation touches in one hash slot (a `{tag}`
   * in the key), so its Lua scripts run on one node; the audit trail lives in a single slot.
   *
   * @example
   * createRedisConnection({ cluster: { nodes: [{ host: "10.0.0.7", port: 6379 }] } });
   */
  readonly cluster?: RedisClusterOptions;
  /**
   * ioredis's auto-pipelining: gather the commands of one event-loop turn into one write. Off by
   * default; see {@link createRedisConnection}.
   */
  readonly autoPipelining?: boolean;
  /** Shown in CLIENT LIST, to tell gateway processes apart. */
  readonly connectionName?: string;
  /** Wait until the connection is ready (default). `false` returns at once, for probes and tests. */
  readonly waitForReady?: boolean;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 500;
export const DEFAULT_CONNECT_TIMEOUT_MS = 2_000;

/** Reconnect forever with a capped backoff, so the gateway heals when Redis comes back. */
const reconnectDelay = (attempt: number) => Math.min(50 * 2 ** Math.min(attempt, 6), 2_000);

function parseUrl(url: string | undefined): RedisOptions {
  if (url === undefined) return {};
  const parsed = new URL(url);
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new TypeError(
      `a Redis URL must start with redis:// or rediss://, got ${parsed.protocol}`,
    );
  }
  const db = parsed.pathname.replace(/^\//, "");
  return {
    host: parsed.hostname || "127.0.0.1",
    port: parsed.port === "" ? 6379 : Number(parsed.port),
    ...(parsed.username === "" ? {} : { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password === "" ? {} : { password: decodeURIComponent(parsed.password) }),
    ...(db === "" ? {} : { db: Number(db) }),
    ...(parsed.protocol === "rediss:" ? { tls: { servername: parsed.hostname } } : {}),
  };
}

/**
 * Opens a connection tuned for a request path that must never wait on Redis for long:
 *
 * - `enableOfflineQueue: false`: while disconnected, commands are rejected at once instead of
 *   piling up in an unbounded queue and flooding Redis (and running late writes) on reconnect;
 * - `commandTimeout`: a paused or partitioned Redis costs a request at most `commandTimeoutMs`;
 * - `maxRetriesPerRequest: 0` and no resend of unfulfilled commands: a write whose reply was lost
 *   is reported as failed and never replayed behind the caller's back;
 * - no auto-pipelining (unless `autoPipelining: true`): ioredis would hold each command until
 *   the end of the event-loop turn and send a gathered group only once the previous group's
 *   replies are in, so under load every command also waited for someone else's round trip.
 *   Written at once, commands still share the connection and Redis answers them in order; the
 *   audit trail batches and pipelines its own appends. Measured: `npx tsx
 *   load/micro/audit-pipeline.ts`, and the gateway's enrolment check and lookup (load/PROFILE.md).
 *
 * Resolves once the connection is ready (or rejects after `connectTimeoutMs`), because with the
 * offline queue off a command sent before that would fail.
 */
export async function createRedisConnection(
  options: RedisConnectionOptions,
): Promise<RedisConnection> {
  if (options.protocol === 3) {
    throw new TypeError("RESP3 is not supported by ioredis 5; use protocol 2 (the default)");
  }
  const commandTimeout = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const connectTimeout = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const fromUrl = parseUrl(options.url);
  const common = {
    commandTimeout,
    connectTimeout,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    enableAutoPipelining: options.autoPipelining ?? false,
    ...(options.keyPrefix === undefined ? {} : { keyPrefix: options.keyPrefix }),
    ...(options.connectionName === undefined ? {} : { connectionName: options.connectionName }),
  } satisfies RedisOptions;

  let connection: RedisConnection;
  if (options.cluster !== undefined) {
    const { host: _host, port: _port, ...auth } = fromUrl;
    connection = new Cluster(
      options.cluster.nodes.map((node) => ({ host: node.host, port: node.port })),
      {
        enableOfflineQueue: false,
        enableAutoPipelining: options.autoPipelining ?? false,
        clusterRetryStrategy: reconnectDelay,
        ...(options.keyPrefix === undefined ? {} : { keyPrefix: options.keyPrefix }),
        ...(options.cluster.natMap === undefined ? {} : { natMap: options.cluster.natMap }),
        redisOptions: { ...auth, ...common },
      },
    );
  } else if (options.sentinels !== undefined) {
    const { host: _host, port: _port, ...auth } = fromUrl;
    const sentinel = options.sentinels;
    connection = new Redis({
      ...auth,
      ...common,
      enableOfflineQueue: false,
      retryStrategy: reconnectDelay,
      name: sentinel.masterName,
      sentinels: sentinel.sentinels.map((node) => ({ host: node.host, port: node.port })),
      ...(sentinel.sentinelUsername === undefined
        ? {}
        : { sentinelUsername: sentinel.sentinelUsername }),
      ...(sentinel.sentinelPassword === undefined
        ? {}
        : { sentinelPassword: sentinel.sentinelPassword }),
    });
  } else {
    if (options.url === undefined)
      throw new TypeError("a Redis url, sentinels or cluster is required");
    connection = new Redis({
      ...fromUrl,
      ...common,
      enableOfflineQueue: false,
      retryStrategy: reconnectDelay,
    });
  }
  // Without a listener, ioredis reports every reconnect failure as an unhandled 'error' event.
  connection.on("error", () => {});
  if (options.waitForReady === false) return connection;
  try {
    await waitUntilReady(connection, connectTimeout);
  } catch (error) {
    connection.disconnect();
    throw error;
  }
  return connection;
}

/** Resolves when `connection` is ready, or rejects after `timeoutMs`. */
export function waitUntilReady(connection: RedisConnection, timeoutMs: number): Promise<void> {
  if (connection.status === "ready") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      connection.off("ready", onReady);
      reject(new Error(`Redis was not ready within ${timeoutMs} ms (status ${connection.status})`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    connection.once("ready", onReady);
  });
}
