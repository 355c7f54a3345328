/**
 * `npm run bench:growth [-- --quick]`: how cost grows. Identity lookups and a 10,000-NIK batch as
 * the world grows (10k → 100k → 1M persons, SIMPUL_WORLD_SIZE of the simulators), and batch
 * checks as the batch grows (1 → 100 → 10,000 → 100,000 NIKs), with the peak RSS of the gateway
 * and of the simulators for each. Sources answer instantly, so the cost measured is our own.
 * Saved to load/results/growth-<stamp>.{json,md} and growth-latest.{json,md}. `--workers N` runs
 * the gateway as N processes (SIMPUL_WORKERS); its CPU and RSS are then summed over all of them.
 */
import { parseArgs } from "node:util";
import { generateWorld } from "../adapters/world/index.ts";
import {
  answered,
  cpuSeconds,
  type LoadResult,
  load,
  machineLoad,
  medianOf,
  memoryOf,
  withRssPeak,
} from "./lib/measure.ts";
import {
  buildGateway,
  DEPLOYED_NODE_FLAGS,
  type RunningSimulators,
  setSimulatorFaults,
  startGateway,
  startSimulators,
} from "./lib/processes.ts";
import { environment, save, stamp, statusText, table } from "./lib/report.ts";
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

const { values: args } = parseArgs({
  options: { quick: { type: "boolean", default: false }, workers: { type: "string" } },
});
const quick = args.quick;
const workers = Number(args.workers ?? 1);
if (!Number.isInteger(workers) || workers < 1) {
  console.error(`--workers takes a whole number of processes, 1 or more (got ${args.workers})`);
  process.exit(1);
}
const SETTINGS = {
  worldSizes: quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000],
  batchSizes: [1, 100, 10_000, 100_000],
  /** World in which the batch sizes are compared (the benchmark's). */
  batchWorld: 100_000,
  /** Repeats per batch size (median); small batches are cheap, so more of them. */
  repeats: { 1: 20, 100: 10, 10000: 3, 100000: quick ? 1 : 3 } as Record<number, number>,
  lookupSeconds: quick ? 4 : 10,
  connections: 64,
  worldBatch: 10_000,
  seed: 20_240_101,
  /** Gateway processes (SIMPUL_WORKERS). */
  workers,
  redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
};

interface WorldRow {
  persons: number;
  worldGenerationMs: number;
  simulatorsRssMb: number;
  lookup: LoadResult & { gatewayCpuUsPerRequest: number };
  batch10k: { niksPerSecond: number; seconds: number; gatewayPeakRssMb: number };
  simulatorsPeakRssMb: number;
  gatewayRssAfterMb: number;
}

interface BatchRow {
  niks: number;
  repeats: number;
  seconds: number;
  niksPerSecond: number;
  firstLineMs: number;
  gatewayPeakRssMb: number;
  simulatorsPeakRssMb: number;
}

function log(message: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}

async function main(): Promise<void> {
  const runStamp = stamp();
  // Measured as deployed: the compiled entry, not TypeScript through tsx.
  buildGateway();
  const redis = await redisInfo(SETTINGS.redisUrl);
  const machineAtStart = machineLoad();
  const worlds: WorldRow[] = [];
  let batches: BatchRow[] = [];
  for (const persons of SETTINGS.worldSizes) {
    log(`world of ${persons.toLocaleString()} persons`);
    const started = performance.now();
    const world = generateWorld({ seed: SETTINGS.seed, size: persons });
    const worldGenerationMs = Math.round(performance.now() - started);
    const clean = world.examples("CLEAN", 5_000);
    const allNiks = Array.from({ length: Math.min(persons, 100_000) }, (_, i) => world.nik(i));
    const sims = await startSimulators(SETTINGS.seed, persons);
    const prefix = `simpul-bench:${runStamp}-growth-${persons}:`;
    try {
      await setSimulatorFaults(sims, {});
      const simulatorsRssMb = memoryOf(sims.pid).rssMb;
      const gateway = await startGateway({
        sims,
        redisUrl: SETTINGS.redisUrl,
        redisPrefix: prefix,
        clientsFile: CLIENTS_FILE,
        workers,
      });
      // The primary and its workers when there are several; the one process otherwise.
      const gatewayProcesses = { tree: gateway.pid };
      try {
        const token = await getToken(gateway.url, BENCH_CLIENTS.load);
        const nextNik = cycle(clean);
        const lookup = (seconds: number) =>
          load({
            url: gateway.url,
            path: "/v1/identity/lookup",
            connections: SETTINGS.connections,
            seconds,
            headers: bearer(token),
            body: () => JSON.stringify({ nik: nextNik() }),
          });
        await lookup(2);
        const cpuBefore = cpuSeconds(gatewayProcesses);
        const measured = await lookup(SETTINGS.lookupSeconds);
        const requests = answered(measured);
        const gatewayCpuUsPerRequest = Math.round(
          ((cpuSeconds(gatewayProcesses) - cpuBefore) * 1e6) / Math.max(1, requests),
        );
        log(`  lookup ${measured.throughput}/s, p99 ${measured.latencyMs.p99} ms`);
        const batchNiks = allNiks.slice(0, SETTINGS.worldBatch);
        await runBatch(gateway.url, token, batchNiks.slice(0, 1_000));
        const batch = await withRssPeak(gatewayProcesses, () =>
          runBatch(gateway.url, token, batchNiks),
        );
        log(`  batch of ${batchNiks.length.toLocaleString()}: ${batch.value.niksPerSecond}/s`);
        if (persons === SETTINGS.batchWorld) {
          batches = await batchGrowth(gateway, sims, token, allNiks);
        }
        worlds.push({
          persons,
          worldGenerationMs,
          simulatorsRssMb,
          lookup: { ...measured, gatewayCpuUsPerRequest },
          batch10k: {
            niksPerSecond: batch.value.niksPerSecond,
            seconds: batch.value.seconds,
            gatewayPeakRssMb: batch.peakRssMb,
          },
          simulatorsPeakRssMb: memoryOf(sims.pid).peakRssMb,
          gatewayRssAfterMb: memoryOf(gatewayProcesses).rssMb,
        });
      } finally {
        await gateway.stop();
      }
    } finally {
      await sims.stop();
      await deletePrefix(SETTINGS.redisUrl, prefix);
    }
  }
  const flags = [...(quick ? ["--quick"] : []), ...(workers === 1 ? [] : [`--workers ${workers}`])];
  const data = {
    kind: "simpul-growth",
    startedAt: runStamp,
    command:
      flags.length === 0 ? "npm run bench:growth" : `npm run bench:growth -- ${flags.join(" ")}`,
    settings: SETTINGS,
    environment: environment(redis.version),
    machine: { atStart: machineAtStart, atEnd: machineLoad() },
    worlds,
    batches,
  };
  const md = markdown(data);
  const paths = save("growth", data, md, "growth-latest", runStamp);
  console.log(`\n${md}`);
  log(`saved ${paths.join(", ")} and load/results/growth-latest.{json,md}`);
}

/** Batch checks of growing size against one gateway; medians over a few repeats each. */
async function batchGrowth(
  gateway: { url: string; pid: number },
  sims: RunningSimulators,
  token: string,
  allNiks: readonly string[],
): Promise<BatchRow[]> {
  const rows: BatchRow[] = [];
  for (const niks of SETTINGS.batchSizes) {
    const input = Array.from({ length: niks }, (_, i) => allNiks[i % allNiks.length] as string);
    const repeats = SETTINGS.repeats[niks] ?? 1;
    const samples: Omit<BatchRow, "niks" | "repeats">[] = [];
    for (let r = 0; r < repeats; r++) {
      const simsBefore = memoryOf(sims.pid).rssMb;
      const batch = await withRssPeak({ tree: gateway.pid }, () =>
        runBatch(gateway.url, token, input),
      );
      samples.push({
        seconds: batch.value.seconds,
        niksPerSecond: batch.value.niksPerSecond,
        firstLineMs: batch.value.firstLineMs,
        gatewayPeakRssMb: batch.peakRssMb,
        simulatorsPeakRssMb: Math.max(simsBefore, memoryOf(sims.pid).rssMb),
      });
    }
    const median = medianOf(samples);
    log(`  batch of ${niks.toLocaleString()}: ${median.niksPerSecond}/s, ${median.seconds} s`);
    rows.push({ niks, repeats, ...median });
  }
  return rows;
}

function markdown(data: {
  command: string;
  environment: ReturnType<typeof environment>;
  machine: { atStart: ReturnType<typeof machineLoad> };
  worlds: WorldRow[];
  batches: BatchRow[];
}): string {
  const e = data.environment;
  const busy = data.machine.atStart.cpuPressurePercent > 25;
  return `# How cost grows — ${data.command}

${e.cores} cores (${e.cpu}), Node ${e.node}, Redis ${e.redis}, commit ${e.commit}. Sources answer
instantly; gateway (its compiled entry, run as \`npm run start:built\` runs it: \`node ${DEPLOYED_NODE_FLAGS.join(" ")}\`) and
simulators are separate processes.
${
  SETTINGS.workers === 1
    ? "The gateway is one process (`--workers 1`)."
    : `The gateway is ${SETTINGS.workers} worker processes under a node:cluster primary
(\`--workers ${SETTINGS.workers}\`); its CPU is summed over all of them, and its RSS (peak RSS
too) is the sum of each process's own, which overstates memory (shared pages count once per
process).`
}${
  busy
    ? `\n\n> **The machine was busy with other work** (CPU pressure ${data.machine.atStart.cpuPressurePercent}% at the start).`
    : ""
}

## As the world grows

Identity lookups at ${SETTINGS.connections} connections for ${SETTINGS.lookupSeconds} s, and one batch
check of ${SETTINGS.worldBatch.toLocaleString()} NIKs, per world size.

${table(
  [
    "persons",
    "lookups/s",
    "p50 ms",
    "p99 ms",
    "lookup statuses",
    "gateway CPU µs/req",
    "batch NIKs/s",
    "gateway peak RSS MB",
    "simulators RSS MB",
  ],
  data.worlds.map((w) => [
    w.persons,
    w.lookup.throughput,
    w.lookup.latencyMs.p50,
    w.lookup.latencyMs.p99,
    `${statusText(w.lookup.statuses)}${w.lookup.errors > 0 ? `, ${w.lookup.errors} socket errors` : ""}`,
    w.lookup.gatewayCpuUsPerRequest,
    w.batch10k.niksPerSecond,
    w.batch10k.gatewayPeakRssMb,
    w.simulatorsPeakRssMb,
  ]),
)}

## As the batch grows (world of ${SETTINGS.batchWorld.toLocaleString()})

Medians of the repeats shown.

${table(
  ["NIKs", "repeats", "seconds", "NIKs/s", "first line ms", "gateway peak RSS MB"],
  data.batches.map((b) => [
    b.niks,
    b.repeats,
    b.seconds,
    b.niksPerSecond,
    b.firstLineMs,
    b.gatewayPeakRssMb,
  ]),
)}
`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
