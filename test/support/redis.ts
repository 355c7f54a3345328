/** How tests get a real Redis: `REDIS_URL`, else a local one, else a private `redis-server`. */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:net";
import { Redis } from "ioredis";
import {
  createRedisConnection,
  type RedisConnection,
  type RedisConnectionOptions,
} from "../../gateway/src/stores/redis/connection.ts";

const LOCAL_URL = "redis://127.0.0.1:6379";
const INSTALL_HINT =
  "Tests need Redis 7. Set REDIS_URL, run one on 127.0.0.1:6379, or install the server so the " +
  "tests can start their own: `apt-get install redis-server` (Debian/Ubuntu) or " +
  "`brew install redis` (macOS).";

export interface TestRedis {
  readonly url: string;
  /** Unique to this call, e.g. `simpul-test:3f9a1c2b:`; every key a test writes starts with it. */
  readonly prefix: string;
  /** A new connection made the way the gateway makes one; closed by `cleanup()`. */
  newClient(options?: Omit<RedisConnectionOptions, "url">): Promise<RedisConnection>;
  /** Deletes the keys under `prefix` (never anything else), closes clients, stops a private server. */
  cleanup(): Promise<void>;
}

export interface RedisServerProcess {
  readonly url: string;
  stop(): Promise<void>;
}

/** Answers whether a Redis at `url` replies to PING within `timeoutMs`. */
export async function pingRedis(url: string, timeoutMs = 500): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  probe.on("error", () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no free port");
  return address.port;
}

/** Whether `redis-server` can be started here (for tests that need a server of their own). */
export function hasRedisServerBinary(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

/**
 * Starts a private, non-persistent `redis-server` on a free loopback port. Tests that must disturb
 * the server (CLIENT PAUSE, DEBUG SLEEP) use this so they never stall a shared instance.
 */
export async function startRedisServer(): Promise<RedisServerProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
  // Never outlive the test process, even when it ends without running `stop()`.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const url = `redis://127.0.0.1:${port}`;
  const stop = async () => {
    process.off("exit", killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await exited;
  };
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const outcome = await Promise.race([
      spawnError,
      new Promise<undefined>((resolve) => setTimeout(resolve, 50, undefined)),
    ]);
    if (outcome !== undefined) {
      const missing = (outcome as NodeJS.ErrnoException).code === "ENOENT";
      throw new Error(missing ? `redis-server was not found. ${INSTALL_HINT}` : outcome.message, {
        cause: outcome,
      });
    }
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    if (await pingRedis(url, 200)) return { url, stop };
  }
  await stop();
  throw new Error(`redis-server on port ${port} did not answer PING within 5 s`);
}

let shared: Promise<{ url: string; server?: RedisServerProcess }> | undefined;
let users = 0;

async function locateRedis(): Promise<{ url: string; server?: RedisServerProcess }> {
  const fromEnv = process.env.REDIS_URL;
  if (fromEnv !== undefined && fromEnv !== "") {
    if (!(await pingRedis(fromEnv, 2_000))) {
      throw new Error(`REDIS_URL is set but nothing answers PING there. ${INSTALL_HINT}`);
    }
    return { url: fromEnv };
  }
  if (await pingRedis(LOCAL_URL)) return { url: LOCAL_URL };
  return startRedisServer().then((server) => ({ url: server.url, server }));
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (character) => `\\${character}`);
}

/** Deletes every key matching `prefix*` with SCAN + UNLINK; never flushes a database. */
export async function deleteKeysWithPrefix(
  client: RedisConnection,
  prefix: string,
): Promise<number> {
  if (prefix.length < 8) {
    throw new Error(`refusing to delete keys under the short prefix "${prefix}"`);
  }
  const nodes = "nodes" in client ? client.nodes("master") : [client];
  let deleted = 0;
  for (const node of nodes) {
    let cursor = "0";
    do {
      const [next, keys] = await node.scan(cursor, "MATCH", `${escapeGlob(prefix)}*`, "COUNT", 500);
      cursor = next;
      // One UNLINK per key, all sent before any reply is awaited: a multi-key UNLINK would fail
      // with CROSSSLOT on a cluster node.
      const counts = await Promise.all(keys.map((key) => node.unlink(key)));
      deleted += counts.reduce((sum, count) => sum + count, 0);
    } while (cursor !== "0");
  }
  return deleted;
}

/**
 * A Redis for this test file, with a key prefix no other run shares.
 *
 * @example
 * let redis: TestRedis;
 * beforeAll(async () => { redis = await useTestRedis(); });
 * afterAll(() => redis.cleanup());
 */
export async function useTestRedis(): Promise<TestRedis> {
  shared ??= locateRedis();
  let located: { url: string; server?: RedisServerProcess };
  try {
    located = await shared;
  } catch (error) {
    shared = undefined;
    throw error;
  }
  users++;
  const { url } = located;
  const prefix = `simpul-test:${randomBytes(6).toString("hex")}:`;
  const clients: RedisConnection[] = [];
  let cleaned = false;
  return {
    url,
    prefix,
    async newClient(options = {}) {
      const client = await createRedisConnection({ ...options, url });
      clients.push(client);
      return client;
    },
    async cleanup() {
      if (cleaned) return;
      cleaned = true;
      try {
        const janitor = await createRedisConnection({ url, commandTimeoutMs: 5_000 });
        try {
          await deleteKeysWithPrefix(janitor, prefix);
        } finally {
          janitor.disconnect();
        }
      } finally {
        for (const client of clients) client.disconnect();
        users--;
        if (users === 0 && located.server !== undefined) {
          shared = undefined;
          await located.server.stop();
        }
      }
    },
  };
}

/**
 * `connection` as a store sees it, with every call of the Lua script registered as `script`
 * (its `defineScript` name) going through `around`, which gets the script's arguments
 * (numberOfKeys, the keys, then ARGV) and the real call. For counting or failing a store's calls.
 */
export function aroundScript<C extends object>(
  connection: C,
  script: string,
  around: (args: unknown[], call: () => Promise<unknown>) => Promise<unknown>,
): C {
  return new Proxy(connection, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property !== script || typeof value !== "function") return value;
      // Called on the connection itself: ioredis looks the command up again on `this`.
      return (...args: unknown[]) => around(args, () => value.apply(target, args));
    },
  });
}
