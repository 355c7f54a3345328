/** The Workers entry under `wrangler dev --local` (workerd, offline), against simulators in this process. */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Simulators, startSimulators } from "../../adapters/simulators/index.ts";
import { generateWorld } from "../../adapters/world/index.ts";
import { externalSourcesEnv, freePort, type GatewayTarget, TEST_WORLD } from "./target.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** workerd's first start compiles and bundles; CI machines can be slow. */
const STARTUP_TIMEOUT_MS = 120_000;

export interface WranglerTarget extends GatewayTarget {
  readonly simulators: Simulators;
}

export interface WranglerTargetOptions {
  /** Extra vars for the worker (`--var NAME:VALUE`), e.g. `SIMPUL_CLIENTS`. */
  readonly vars?: Readonly<Record<string, string>>;
}

function wranglerBin(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");
}

/**
 * Whether wrangler and workerd can run on this machine at all, with the reason when not. A
 * missing or unrunnable workerd binary is an environmental problem; anything after that is a bug.
 */
export function wranglerAvailability(): { ok: true } | { ok: false; reason: string } {
  let bin: string;
  try {
    bin = wranglerBin();
  } catch {
    return { ok: false, reason: "the wrangler package is not installed (npm ci)" };
  }
  const version = spawnSync(process.execPath, [bin, "--version"], { encoding: "utf8" });
  if (version.status !== 0) {
    return { ok: false, reason: `wrangler --version failed: ${version.stderr || version.error}` };
  }
  const require = createRequire(import.meta.url);
  let workerd: string;
  try {
    workerd = join(dirname(require.resolve("workerd/package.json")), "bin", "workerd");
  } catch {
    return { ok: false, reason: "the workerd package is not installed (npm ci)" };
  }
  // The package's launcher (or, once its install script ran, the binary itself).
  const runs = spawnSync(workerd, ["--version"], { encoding: "utf8" });
  if (runs.status !== 0) {
    return {
      ok: false,
      reason: `workerd cannot run here (${(runs.stderr || String(runs.error)).trim()}); it needs glibc and a supported CPU`,
    };
  }
  return { ok: true };
}

/**
 * In CI an unavailable workerd must fail the run (a skipped parity suite proves nothing); on a
 * developer's machine it is skipped with the reason printed.
 */
export function workerdSuiteEnabled(): boolean {
  const availability = wranglerAvailability();
  if (availability.ok) return true;
  const message = `workerd suites cannot run: ${availability.reason}`;
  if (process.env.CI) throw new Error(`${message} (CI is set, so this is a failure, not a skip)`);
  console.warn(`${message}; skipping them (set CI=true to make this a failure).`);
  return false;
}

/**
 * Starts the simulators here, then the Workers entry (`wrangler dev --env test --local`) on a
 * free port with its own Durable Object storage, and waits until it answers `/healthz`.
 *
 * @example
 * describeGatewayBasics(overWranglerTarget);
 */
export async function overWranglerTarget(
  options: WranglerTargetOptions = {},
): Promise<WranglerTarget> {
  const world = generateWorld(TEST_WORLD);
  const simulators = await startSimulators({ world });
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const state = await mkdtemp(join(tmpdir(), "simpul-workerd-"));
  const base = `http://127.0.0.1:${port}`;
  const environment = { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" };
  // Bundled once, then served as is: `wrangler dev` would otherwise rebuild and restart the
  // worker mid-test whenever a source file changes.
  const bundle = join(state, "bundle");
  const built = spawnSync(
    process.execPath,
    [
      wranglerBin(),
      "deploy",
      "--dry-run",
      "--env",
      "test",
      "--outdir",
      bundle,
      "--config",
      join(ROOT, "wrangler.toml"),
    ],
    { cwd: ROOT, env: environment, encoding: "utf8", timeout: STARTUP_TIMEOUT_MS },
  );
  if (built.status !== 0) {
    await simulators.close();
    await rm(state, { recursive: true, force: true });
    throw new Error(`wrangler could not bundle the worker:\n${built.stdout}\n${built.stderr}`);
  }
  // The same source settings the Node entry reads; the worker ignores SIMPUL_SOURCES.
  const { SIMPUL_SOURCES: _external, ...sources } = externalSourcesEnv(simulators);
  const vars = { ...sources, ...options.vars };
  const child: ChildProcess = spawn(
    process.execPath,
    [
      wranglerBin(),
      "dev",
      join(bundle, "worker.js"),
      "--no-bundle",
      "--config",
      join(ROOT, "wrangler.toml"),
      "--env",
      "test",
      "--local",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--inspector-port",
      String(inspectorPort),
      "--persist-to",
      join(state, "objects"),
      "--show-interactive-dev-session=false",
      "--log-level",
      process.env.SIMPUL_WRANGLER_LOG === "1" ? "info" : "warn",
      ...Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
    ],
    {
      cwd: ROOT,
      env: environment,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  let output = "";
  // SIMPUL_WRANGLER_LOG=1 shows what wrangler and the worker print, for debugging.
  const echo = process.env.SIMPUL_WRANGLER_LOG === "1";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    if (echo) process.stderr.write(chunk);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);

  const stop = async () => {
    if (child.exitCode === null && child.pid !== undefined) {
      // wrangler runs workerd as its own child: end the whole group this test started.
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        child.kill("SIGTERM");
      }
      const exited = once(child, "exit");
      const timeout = new Promise((resolve) => setTimeout(resolve, 5_000));
      await Promise.race([exited, timeout]);
      if (child.exitCode === null) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {}
      }
    }
    await simulators.close();
    await rm(state, { recursive: true, force: true });
  };

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  try {
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`wrangler dev exited (${child.exitCode}) before serving:\n${output}`);
      }
      if (Date.now() > deadline) {
        throw new Error(
          `wrangler dev did not answer /healthz in ${STARTUP_TIMEOUT_MS / 1000} s:\n${output}`,
        );
      }
      const response = await fetch(`${base}/healthz`).catch(() => undefined);
      if (response?.status === 200) break;
      if (response && response.status !== 200) {
        const body = await response.text();
        // The worker answers but cannot serve: a configuration error, reported in the body.
        if (body.includes("not configured"))
          throw new Error(`the worker refused to start: ${body}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    name: "workerd (wrangler dev)",
    baseUrl: base,
    fetch: (path, init) => fetch(`${base}${path}`, init),
    world,
    simulators,
    output: () => output,
    close: stop,
  };
}

/** Calls the worker's store test surface (SIMPUL_ENV=test only), rethrowing errors by class. */
export async function callTestSurface<T>(
  target: GatewayTarget,
  store: string,
  body: Record<string, unknown>,
): Promise<T> {
  const response = await target.fetch(`/__test/stores/${store}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let reply: { value?: T; error?: { name: string; code?: string; message: string } };
  try {
    reply = JSON.parse(text);
  } catch {
    throw new Error(`store surface ${store}: ${response.status} ${text.slice(0, 500)}`);
  }
  if (reply.error !== undefined) {
    const { name, code, message } = reply.error;
    const error =
      name === "TypeError"
        ? new TypeError(message)
        : name === "RangeError"
          ? new RangeError(message)
          : new Error(message);
    Object.assign(error, code === undefined ? {} : { code });
    throw error;
  }
  return reply.value as T;
}
