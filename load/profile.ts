/**
 * `npx tsx load/profile.ts [--seconds 15] [--path lookup|check|batch]`: runs the gateway under
 * `node --cpu-prof` while the benchmark's load drives it (lookups or checks at 64 connections
 * with instant sources; or back-to-back batch checks of 100,000 NIKs with the benchmark's source
 * latency), with Redis stores, then prints the functions, packages and files with the most self
 * time from the .cpuprofile. Writes load/results/profile-<stamp>.{md,json,cpuprofile}
 * (open the .cpuprofile in Chrome DevTools or speedscope for the flame graph).
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { generateWorld } from "../adapters/world/index.ts";
import { answered, cpuSeconds, type LoadResult, load, percentiles } from "./lib/measure.ts";
import {
  DEPLOYED_NODE_FLAGS,
  ROOT,
  setSimulatorFaults,
  startGateway,
  startSimulators,
} from "./lib/processes.ts";
import { environment, RESULTS_DIR, save, stamp, table } from "./lib/report.ts";
import {
  BENCH_CLIENTS,
  bearer,
  CLIENTS_FILE,
  cycle,
  deletePrefix,
  getToken,
  redisInfo,
  runBatch,
} from "./lib/scenarios.ts";
import { SOURCE_LATENCY_FAULTS } from "./lib/source-latency.ts";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "15" },
    connections: { type: "string", default: "64" },
    path: { type: "string", default: "lookup" },
    "log-level": { type: "string", default: "info" },
    top: { type: "string", default: "30" },
  },
});

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface SelfTime {
  readonly name: string;
  readonly ms: number;
  readonly percent: number;
}

const shortUrl = (url: string) =>
  url
    .replace(/^file:\/\//, "")
    .replace(ROOT, "")
    .replace(/^.*node_modules\//, "node_modules/");

/** Which package or project folder a frame belongs to. */
function areaOf(frame: ProfileNode["callFrame"]): string {
  const url = shortUrl(frame.url);
  if (url === "") return frame.functionName.startsWith("(") ? frame.functionName : "(native)";
  if (url.startsWith("node:")) return "node internals";
  const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  const dirs = url.split("/");
  return dirs.slice(0, Math.min(3, dirs.length - 1)).join("/");
}

/**
 * Self time per function, per area and per file, from a .cpuprofile (idle excluded), counting
 * only samples taken `skipMs` or more after the profile started (start-up and warm-up excluded).
 */
export function summarise(profile: CpuProfile, top: number, skipMs = 0) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  let at = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at < skipMs * 1000) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const functions = new Map<string, number>();
  const areas = new Map<string, number>();
  const files = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const frame = (byId.get(id) as ProfileNode).callFrame;
    if (frame.functionName === "(idle)") {
      idle += us;
      continue;
    }
    busy += us;
    const url = shortUrl(frame.url);
    const name = `${frame.functionName || "(anonymous)"}${url ? ` ${url}:${frame.lineNumber + 1}` : ""}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
    areas.set(areaOf(frame), (areas.get(areaOf(frame)) ?? 0) + us);
    const file = url || frame.functionName;
    files.set(file, (files.get(file) ?? 0) + us);
  }
  const rank = (map: Map<string, number>, n: number): SelfTime[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({
        name,
        ms: Math.round(us / 1000),
        percent: Math.round((us / busy) * 1000) / 10,
      }));
  return {
    busyMs: Math.round(busy / 1000),
    idleMs: Math.round(idle / 1000),
    functions: rank(functions, top),
    areas: rank(areas, 20),
    files: rank(files, 20),
  };
}

const PATHS = {
  lookup: "/v1/identity/lookup",
  check: "/v1/enrolments/check",
  batch: "/v1/enrolments/check-batch",
} as const;
const BATCH_NIKS = 100_000;

/**
 * Batch checks of `niks` one after another for about `seconds` (at least one, read to its end),
 * as a LoadResult in which one NIK is one request and the latencies are whole batches'.
 */
async function batchesFor(
  seconds: number,
  url: string,
  token: string,
  niks: readonly string[],
): Promise<LoadResult> {
  const started = performance.now();
  const batchMs: number[] = [];
  let count = 0;
  do {
    const at = performance.now();
    const batch = await runBatch(url, token, niks);
    if (!batch.complete) throw new Error("a batch stream ended without its done line");
    batchMs.push(performance.now() - at);
    count += niks.length;
  } while (performance.now() - started < seconds * 1000);
  const elapsed = (performance.now() - started) / 1000;
  return {
    connections: 1,
    seconds: elapsed,
    statuses: { "200": count },
    errors: 0,
    throughput: Math.round(count / elapsed),
    latencyMs: percentiles(batchMs),
  };
}

async function main(): Promise<void> {
  const seconds = Number(args.seconds);
  const connections = Number(args.connections);
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const redis = await redisInfo(redisUrl);
  const seed = 20_240_101;
  const size = 100_000;
  const world = generateWorld({ seed, size });
  const nextNik = cycle(world.examples("CLEAN", 5_000));
  const batchNiks = Array.from({ length: BATCH_NIKS }, (_, i) => world.nik(i % size));
  const sims = await startSimulators(seed, size);
  const dir = mkdtempSync(join(tmpdir(), "simpul-profile-"));
  const runStamp = stamp();
  const prefix = `simpul-bench:${runStamp}-profile:`;
  let gatewayStopped = false;
  try {
    // Batches meet the benchmark's source latency; lookups and checks instant sources.
    await setSimulatorFaults(sims, args.path === "batch" ? SOURCE_LATENCY_FAULTS : {});
    const spawnedAt = performance.now();
    const gateway = await startGateway({
      // From source (tsx), so the profile attributes time to files and folders.
      entry: "source",
      sims,
      redisUrl,
      redisPrefix: prefix,
      clientsFile: CLIENTS_FILE,
      logLevel: args["log-level"] as "info",
      nodeFlags: ["--cpu-prof", "--cpu-prof-dir", dir],
    });
    try {
      const token = await getToken(gateway.url, BENCH_CLIENTS.load);
      const path = PATHS[args.path as keyof typeof PATHS];
      if (path === undefined)
        throw new Error(`unknown --path ${args.path}; use lookup, check or batch`);
      const body = () => JSON.stringify({ nik: nextNik() });
      const run =
        args.path === "batch"
          ? (s: number) => batchesFor(s, gateway.url, token, batchNiks)
          : (s: number) =>
              load({
                url: gateway.url,
                path,
                connections,
                seconds: s,
                headers: bearer(token),
                body,
              });
      await run(3);
      console.log(
        `profiling ${path} ${args.path === "batch" ? "with back-to-back batches" : `at ${connections} connections`} for ${seconds} s`,
      );
      // The profile clock starts with the process: skip start-up and warm-up samples.
      const skipMs = Math.round(performance.now() - spawnedAt);
      const gatewayCpuBefore = cpuSeconds(gateway.pid);
      const result = await run(seconds);
      const requests = answered(result);
      const cpuUsPerRequest = Math.round(
        ((cpuSeconds(gateway.pid) - gatewayCpuBefore) * 1e6) / Math.max(1, requests),
      );
      console.log(
        `${result.throughput}/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms`,
      );
      await gateway.stop();
      gatewayStopped = true;
      const file = readdirSync(dir).find((name) => name.endsWith(".cpuprofile"));
      if (!file) throw new Error("the gateway wrote no .cpuprofile");
      const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile;
      const summary = summarise(profile, Number(args.top), skipMs);
      const saved = `${RESULTS_DIR}/profile-${runStamp}.cpuprofile`;
      copyFileSync(join(dir, file), saved);
      const data = {
        kind: "simpul-profile",
        startedAt: runStamp,
        command: `npx tsx load/profile.ts --seconds ${seconds} --path ${args.path}`,
        path,
        connections,
        seconds,
        logLevel: args["log-level"],
        environment: environment(redis.version),
        load: result,
        cpuUsPerRequest,
        skippedStartupMs: skipMs,
        ...summary,
      };
      const batch = args.path === "batch";
      const unit = batch ? "NIK" : "request";
      const drive = batch
        ? `back-to-back batches of ${BATCH_NIKS.toLocaleString()} NIKs`
        : `${connections} connections`;
      const md = `# CPU profile of the gateway — ${path}, ${drive}, ${seconds} s

${data.environment.cores} cores, Node ${data.environment.node}, commit ${data.environment.commit}; the
gateway ran with \`node ${[...DEPLOYED_NODE_FLAGS, "--cpu-prof"].join(" ")}\` (log level ${args["log-level"]}) while the load below drove it.
Load: ${result.throughput} ${unit}s/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms${batch ? " (whole batches)" : ""};
gateway CPU ${cpuUsPerRequest} µs per ${unit}. Counted: the measured phase only (the first
${skipMs} ms, start-up and warm-up, are skipped), in which the gateway was busy ${summary.busyMs} ms
and idle ${summary.idleMs} ms. Full profile: \`${saved.replace(ROOT, "")}\`.

## Self time by package or folder

${table(
  ["where", "self ms", "% of busy"],
  summary.areas.map((a) => [a.name, a.ms, a.percent]),
)}

## Top functions by self time

${table(
  ["function", "self ms", "% of busy"],
  summary.functions.map((f) => [`\`${f.name}\``, f.ms, f.percent]),
)}

## Top files by self time

${table(
  ["file", "self ms", "% of busy"],
  summary.files.map((f) => [`\`${f.name}\``, f.ms, f.percent]),
)}
`;
      save("profile", data, md, "profile-latest", runStamp);
      console.log(`\n${md}`);
    } finally {
      if (!gatewayStopped) await gateway.stop();
    }
  } finally {
    await sims.stop();
    await deletePrefix(redisUrl, prefix);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
