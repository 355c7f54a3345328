/** A gateway under test, reached either in-process or over real HTTP: the same suites run on both. */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import type { Simulators } from "../../adapters/simulators/index.ts";
import { generateWorld, type World } from "../../adapters/world/index.ts";
import { createApp } from "../../gateway/src/app.ts";
import { type Logger, silentLogger } from "../../gateway/src/logging/logger.ts";
import { buildNodeServices, type NodeServices } from "../../gateway/src/node/build-services.ts";
import { parseNodeConfig } from "../../gateway/src/node/config.ts";
import { devClient } from "./dev-clients.ts";

export const TEST_WORLD = { seed: 7, size: 2_000 } as const;

export interface GatewayTarget {
  readonly name: string;
  /** The gateway's origin when it is reached over HTTP. */
  readonly baseUrl?: string;
  /** Sends a request to the gateway; `path` is relative to its root. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** The same synthetic world the gateway's simulators serve. */
  readonly world: World;
  readonly node?: NodeServices;
  /** The simulators behind the gateway, when the test process runs them (fault injection). */
  readonly simulators?: Simulators;
  /** The gateway's process and what it printed, when it runs in a child process. */
  readonly child?: ChildProcess;
  output?(): string;
  close(): Promise<void>;
}

const testEnv = (extra: Record<string, string> = {}) => ({
  NODE_ENV: "test",
  SIMPUL_WORLD_SEED: String(TEST_WORLD.seed),
  SIMPUL_WORLD_SIZE: String(TEST_WORLD.size),
  SIMPUL_LOG_LEVEL: "error",
  ...extra,
});

/** The app called through `app.request`, with the real Node services and simulators. */
export async function inProcessTarget(
  options: { env?: Record<string, string>; logger?: Logger } = {},
): Promise<GatewayTarget> {
  const issuer = "http://simpul.test";
  const node = await buildNodeServices(
    parseNodeConfig(testEnv(options.env)),
    options.logger ?? silentLogger,
    issuer,
  );
  const app = createApp(node.services);
  const world = node.embedded?.world;
  if (!world) throw new Error("embedded sources expected");
  return {
    name: "in-process",
    fetch: async (path, init) => app.request(path, init),
    world,
    node,
    ...(node.embedded ? { simulators: node.embedded.simulators } : {}),
    close: () => node.close(),
  };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** The real entry (`npm start`'s command) in a child process, reached over loopback HTTP. */
export async function overHttpTarget(
  extraEnv: Record<string, string> = {},
  options: { entry?: "source" | "built" } = {},
): Promise<GatewayTarget> {
  // A port found free can be taken by a parallel test before the child listens: try another.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOverHttp(await freePort(), extraEnv, options);
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt === 3) throw error;
    }
  }
}

class PortTakenError extends Error {}

async function startOverHttp(
  port: number,
  extraEnv: Record<string, string>,
  options: { entry?: "source" | "built" },
): Promise<GatewayTarget> {
  const base = `http://127.0.0.1:${port}`;
  // `built`: the compiled entry of `npm run build:gateway`, as a deployment runs it.
  const entry =
    options.entry === "built"
      ? ["gateway/dist/node/node.js"]
      : ["--import", "tsx", "gateway/src/node.ts"];
  const child: ChildProcess = spawn(process.execPath, entry, {
    env: { ...process.env, ...testEnv({ PORT: String(port), ...extraEnv }) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      if (output.includes("EADDRINUSE")) throw new PortTakenError(`port ${port} was taken`);
      throw new Error(`gateway exited early:\n${output}`);
    }
    if (Date.now() > deadline) throw new Error(`gateway did not start in 60 s:\n${output}`);
    const ready = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    name: "over HTTP",
    baseUrl: base,
    child,
    output: () => output,
    fetch: (path, init) => fetch(`${base}${path}`, init),
    world: generateWorld(TEST_WORLD),
    async close() {
      child.kill("SIGTERM");
      if (child.exitCode === null) await once(child, "exit");
    },
  };
}

/** Gets a token for a demo client with `client_secret_basic`. */
export async function tokenFor(
  target: GatewayTarget,
  clientId: string,
  scope?: string,
): Promise<string> {
  const { secret } = devClient(clientId);
  const response = await target.fetch("/oauth/token", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${btoa(`${clientId}:${secret}`)}`,
    },
    body: new URLSearchParams({ grant_type: "client_credentials", ...(scope ? { scope } : {}) }),
  });
  if (response.status !== 200)
    throw new Error(`token for ${clientId}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** A JSON POST with a bearer token and a purpose. */
export function postJson(
  target: GatewayTarget,
  path: string,
  body: unknown,
  options: { token?: string; purpose?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  return target.fetch(path, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.purpose ? { "simpul-purpose": options.purpose } : {}),
      ...options.headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Environment that points a gateway at simulators running in the test process. */
export function externalSourcesEnv(simulators: Simulators): Record<string, string> {
  const { dukcapil, kemensos, kemnaker, kemenkopukm } = simulators;
  return {
    SIMPUL_SOURCES: "external",
    SIMPUL_DUKCAPIL_URL: dukcapil.url,
    SIMPUL_DUKCAPIL_USER: dukcapil.credentials.user_id,
    SIMPUL_DUKCAPIL_PASSWORD: dukcapil.credentials.password,
    SIMPUL_DUKCAPIL_IP: dukcapil.credentials.ip_user,
    SIMPUL_KEMENSOS_URL: kemensos.url,
    SIMPUL_KEMENSOS_API_KEY: kemensos.credentials.apiKey,
    SIMPUL_KEMNAKER_URL: kemnaker.url,
    SIMPUL_KEMNAKER_CLIENT_ID: kemnaker.credentials.clientId,
    SIMPUL_KEMNAKER_CLIENT_SECRET: kemnaker.credentials.clientSecret,
    SIMPUL_KEMENKOPUKM_URL: kemenkopukm.url,
    SIMPUL_KEMENKOPUKM_USER: kemenkopukm.credentials.username,
    SIMPUL_KEMENKOPUKM_PASSWORD: kemenkopukm.credentials.password,
  };
}
