/**
 * Child processes of a benchmark: simulators, a gateway and the bare forwarder, each its own PID
 * (the gateway and the forwarder: a cluster primary with worker processes under it when
 * `workers` is above 1).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { closeSync, openSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { exportJWK, generateKeyPair } from "jose";

export const ROOT = new URL("../../", import.meta.url).pathname;
/** TypeScript is loaded in-process (`--import tsx`), so the PID is the server itself, not a wrapper. */
const NODE_TS = ["--import", "tsx"];

/**
 * The node flags a deployment runs the gateway with: those of `npm run start:built` in
 * package.json, read from there so the benchmarks cannot drift from it. Every Node process a
 * benchmark measures (gateway, hand-wired lookups, bare forwarders) runs with them, so ratios
 * compare like with like.
 */
export const DEPLOYED_NODE_FLAGS: readonly string[] = (() => {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const match = / node ((?:--\S+ )*)gateway\/dist\/node\/node\.js/.exec(
    scripts["start:built"] ?? "",
  );
  if (match === null) throw new Error("package.json's start:built does not run the compiled entry");
  return (match[1] ?? "").split(" ").filter((flag) => flag !== "");
})();

export interface SourceEndpoint {
  readonly url: string;
  readonly origin: string;
  readonly credentials: Record<string, string>;
}

export type SourceId = "dukcapil" | "kemensos" | "kemnaker" | "kemenkopukm";
export const SOURCE_IDS: readonly SourceId[] = ["dukcapil", "kemensos", "kemnaker", "kemenkopukm"];

export interface Running {
  readonly pid: number;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

export interface RunningSimulators extends Running {
  readonly seed: number;
  readonly size: number;
  readonly sources: Readonly<Record<SourceId, SourceEndpoint>>;
}

export interface RunningGateway extends Running {
  readonly url: string;
  /** Bytes the gateway wrote to its log so far (stdout and stderr go to one file). */
  logBytes(): number;
  /** The log's last lines that are not per-request access lines (for a failure report). */
  logTail(lines?: number): string;
}

/** A free loopback port (the kernel picks; a tiny race with other processes is acceptable here). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function stopper(child: ChildProcess, after?: () => void): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      const done = () => {
        after?.();
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) return done();
      const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
      child.once("exit", () => {
        clearTimeout(force);
        done();
      });
      child.kill("SIGTERM");
    });
}

/** Resolves with the first stdout line that matches, or rejects when the child exits first. */
function firstLine(child: ChildProcess, test: (line: string) => boolean, what: string) {
  return new Promise<string>((resolve, reject) => {
    const stderr: string[] = [];
    child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on("line", (line) => {
      if (test(line)) {
        lines.close();
        resolve(line);
      }
    });
    child.once("exit", (code) =>
      reject(new Error(`${what} exited (${code}) before it was ready:\n${stderr.join("")}`)),
    );
  });
}

/** Starts the four simulators in their own process (adapters/simulators/cli.ts). */
export async function startSimulators(seed: number, size: number): Promise<RunningSimulators> {
  const child = spawn(
    process.execPath,
    [
      ...NODE_TS,
      "adapters/simulators/cli.ts",
      "--json",
      "--seed",
      String(seed),
      "--size",
      String(size),
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  const line = await firstLine(child, (l) => l.startsWith("{"), "the simulators");
  // Keep draining so a chatty child can never block on a full pipe.
  child.stdout?.resume();
  const parsed = JSON.parse(line) as {
    seed: number;
    size: number;
    simulators: Record<SourceId, SourceEndpoint>;
  };
  return {
    pid: child.pid as number,
    child,
    seed: parsed.seed,
    size: parsed.size,
    sources: parsed.simulators,
    stop: stopper(child),
  };
}

/** Sets the same fault settings on every simulator through its `/__control` endpoint. */
export async function setSimulatorFaults(
  sims: RunningSimulators,
  patch: Partial<Record<SourceId, Record<string, unknown>>>,
): Promise<void> {
  await Promise.all(
    SOURCE_IDS.map(async (id) => {
      const body = { reset: true, ...(patch[id] ?? {}) };
      const response = await fetch(`${sims.sources[id].origin}/__control`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${id} /__control: ${await response.text()}`);
    }),
  );
}

export interface GatewayOptions {
  readonly sims: RunningSimulators;
  readonly redisUrl: string;
  readonly redisPrefix: string;
  readonly clientsFile: string;
  readonly logLevel?: "debug" | "info" | "warn" | "error";
  /** Node flags after the deployment's ({@link DEPLOYED_NODE_FLAGS}), e.g. `--cpu-prof`; a V8 flag given again overrides. */
  readonly nodeFlags?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Gateway processes on the port (SIMPUL_WORKERS; default 1, no cluster). With more than one,
   * `pid` is the cluster primary: measure `{ tree: pid }` for the primary plus its workers.
   */
  readonly workers?: number;
  /**
   * `built` (default): the compiled entry a deployment runs (`npm run build:gateway`, see
   * {@link buildGateway}); `source`: TypeScript through tsx, as `npm start` runs it.
   */
  readonly entry?: "built" | "source";
  /** Another compiled entry to run instead (an absolute path), e.g. an earlier commit's build. */
  readonly entryFile?: string;
  /** What the entry prints once it listens; the gateway's own banner by default. */
  readonly banner?: string;
}

/** The metrics token benchmark gateways start with (load only; never a deployment's). */
export const BENCH_METRICS_TOKEN = "bench-metrics-token-not-for-deployment";

/** The compiled Node entry, as `npm run start:built` runs it. */
export const BUILT_ENTRY = "gateway/dist/node/node.js";

/**
 * Compiles the Node entry (gateway/tsup.config.ts) so benchmarks run what is deployed; `root`
 * compiles another checkout of the project (with this one's tsup) into its own gateway/dist.
 */
export function buildGateway(root: string = ROOT): void {
  compile("gateway/tsup.config.ts", root, "the gateway");
}

/** The compiled hand-wired lookup (load/hand-wired-lookup.ts), as {@link startHandWired} runs it. */
export const HAND_WIRED_ENTRY = "load/dist/hand-wired/hand-wired-lookup.js";

/** Compiles the hand-wired lookup floor the way the gateway is compiled (load/tsup.config.ts). */
export function buildHandWired(): void {
  compile("load/tsup.config.ts", ROOT, "the hand-wired lookup");
}

function compile(config: string, root: string, what: string): void {
  const built = spawnSync(
    process.execPath,
    [join(ROOT, "node_modules/tsup/dist/cli-default.js"), "--config", config],
    { cwd: root, encoding: "utf8" },
  );
  if (built.status !== 0) throw new Error(`building ${what} failed:\n${built.stderr}`);
}

const GATEWAY_BANNER = "Simpul gateway listening on";

async function waitReady(
  url: string,
  child: ChildProcess,
  logFile: string,
  banner: string,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`the gateway exited (${child.exitCode}); see ${logFile}`);
    }
    try {
      // The banner comes once every worker listens; /readyz answers as soon as one does.
      const response = await fetch(`${url}/readyz`);
      if (response.ok && readFileSync(logFile, "utf8").includes(banner)) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the gateway was not ready within 60 s; see ${logFile}`);
}

/** The settings that point a gateway at the running simulators (`SIMPUL_SOURCES=external`). */
export function externalSourcesEnv(sims: RunningSimulators): Record<string, string> {
  const c = (id: SourceId) => sims.sources[id].credentials;
  return {
    SIMPUL_SOURCES: "external",
    SIMPUL_DUKCAPIL_URL: sims.sources.dukcapil.url,
    SIMPUL_DUKCAPIL_USER: c("dukcapil").user_id ?? "",
    SIMPUL_DUKCAPIL_PASSWORD: c("dukcapil").password ?? "",
    SIMPUL_DUKCAPIL_IP: c("dukcapil").ip_user ?? "127.0.0.1",
    SIMPUL_KEMENSOS_URL: sims.sources.kemensos.url,
    SIMPUL_KEMENSOS_API_KEY: c("kemensos").apiKey ?? "",
    SIMPUL_KEMNAKER_URL: sims.sources.kemnaker.url,
    SIMPUL_KEMNAKER_CLIENT_ID: c("kemnaker").clientId ?? "",
    SIMPUL_KEMNAKER_CLIENT_SECRET: c("kemnaker").clientSecret ?? "",
    SIMPUL_KEMENKOPUKM_URL: sims.sources.kemenkopukm.url,
    SIMPUL_KEMENKOPUKM_USER: c("kemenkopukm").username ?? "",
    SIMPUL_KEMENKOPUKM_PASSWORD: c("kemenkopukm").password ?? "",
  };
}

/**
 * Starts a gateway process against the simulators (SIMPUL_SOURCES=external) with Redis-backed
 * stores under its own key prefix. Its log goes to a file, as a deployment's would.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { sims } = options;
  const workers = options.workers ?? 1;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = join(tmpdir(), `simpul-bench-gateway-${process.pid}-${port}.log`);
  const fd = openSync(logFile, "w");
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NODE_ENV: "development",
    HOST: "127.0.0.1",
    PORT: String(port),
    SIMPUL_PUBLIC_URL: url,
    SIMPUL_CLIENTS_FILE: options.clientsFile,
    // One token per client per run: it must outlive the run.
    SIMPUL_TOKEN_TTL_SECONDS: "3600",
    SIMPUL_LOG_LEVEL: options.logLevel ?? "info",
    // /metrics on the main port, for the benchmark's look inside the gateway (scrapeMetrics).
    SIMPUL_METRICS_TOKEN: BENCH_METRICS_TOKEN,
    REDIS_URL: options.redisUrl,
    SIMPUL_REDIS_PREFIX: options.redisPrefix,
    ...externalSourcesEnv(sims),
    ...(workers > 1
      ? {
          SIMPUL_WORKERS: String(workers),
          // Workers must sign with one key (the gateway refuses to start them otherwise).
          SIMPUL_SIGNING_KEY: JSON.stringify(
            await exportJWK((await generateKeyPair("ES256", { extractable: true })).privateKey),
          ),
        }
      : {}),
    ...options.env,
  };
  const child = spawn(
    process.execPath,
    [
      ...DEPLOYED_NODE_FLAGS,
      ...(options.nodeFlags ?? []),
      ...(options.entryFile !== undefined
        ? [options.entryFile]
        : options.entry === "source"
          ? [...NODE_TS, "gateway/src/node.ts"]
          : [BUILT_ENTRY]),
    ],
    { cwd: ROOT, env, stdio: ["ignore", fd, fd] },
  );
  closeSync(fd);
  await waitReady(url, child, logFile, options.banner ?? GATEWAY_BANNER);
  return {
    pid: child.pid as number,
    child,
    url,
    logBytes: () => {
      try {
        return statSync(logFile).size;
      } catch {
        return 0;
      }
    },
    logTail: (lines = 20) => {
      try {
        return readFileSync(logFile, "utf8")
          .split("\n")
          .filter((line) => !line.includes('"message":"request"'))
          .slice(-lines)
          .join("\n");
      } catch {
        return "";
      }
    },
    stop: stopper(child, () => rmSync(logFile, { force: true })),
  };
}

/**
 * Starts the hand-wired lookup floor (load/hand-wired-lookup.ts, compiled by
 * {@link buildHandWired}) with a gateway's configuration: `signingKey` and `issuer` must be the
 * gateway's, so that its tokens verify here. `omit` leaves steps out (HAND_WIRED_OMIT).
 */
export function startHandWired(
  options: Omit<GatewayOptions, "workers" | "entry" | "entryFile" | "banner"> & {
    readonly signingKey: string;
    readonly issuer: string;
    readonly omit?: readonly ("rate-limit" | "audit" | "access-log")[];
  },
): Promise<RunningGateway> {
  return startGateway({
    ...options,
    entryFile: join(ROOT, HAND_WIRED_ENTRY),
    banner: "hand-wired lookup listening on",
    env: {
      ...options.env,
      SIMPUL_SIGNING_KEY: options.signingKey,
      SIMPUL_PUBLIC_URL: options.issuer,
      HAND_WIRED_OMIT: (options.omit ?? []).join(","),
    },
  });
}

export interface RunningForwarder extends Running {
  readonly url: string;
}

/**
 * Starts the bare forwarder (load/bare-forwarder.ts) in front of the Dukcapil simulator, as
 * `workers` processes (FORWARDER_WORKERS) like the gateway's; `connections` is per process.
 * `framework: "hono"` serves the same forwarding through Hono on @hono/node-server.
 */
export async function startForwarder(
  sims: RunningSimulators,
  connections: number,
  workers = 1,
  framework: "node:http" | "hono" = "node:http",
): Promise<RunningForwarder> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...DEPLOYED_NODE_FLAGS, ...NODE_TS, "load/bare-forwarder.ts"],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        FORWARDER_PORT: String(port),
        FORWARDER_CONNECTIONS: String(connections),
        FORWARDER_WORKERS: String(workers),
        FORWARDER_FRAMEWORK: framework,
        DUKCAPIL_URL: sims.sources.dukcapil.url,
        DUKCAPIL_CREDENTIALS: JSON.stringify(sims.sources.dukcapil.credentials),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  await firstLine(
    child,
    (l) => l.startsWith(`bare forwarder (${framework}) listening`),
    "the bare forwarder",
  );
  child.stdout?.resume();
  return {
    pid: child.pid as number,
    child,
    url: `http://127.0.0.1:${port}`,
    stop: stopper(child),
  };
}
