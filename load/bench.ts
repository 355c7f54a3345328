/**
 * `npm run bench [-- --quick]`: the gateway (Redis-backed, its own process) measured side by side
 * with a bare forwarder and with the simulators themselves, in one run; medians of several runs,
 * ratios to the floors, saved to load/results/ (timestamped, plus latest.json / latest.md).
 * `--workers N` runs both the gateway and the forwarder as N processes (node:cluster).
 */
import { parseArgs } from "node:util";
import { exportJWK, generateKeyPair } from "jose";
import { generateWorld } from "../adapters/world/index.ts";
import { arrivals } from "./lib/arrivals.ts";
import {
  answered,
  cpuUsPerItem,
  type LoadResult,
  load,
  type Measured,
  machineLoad,
  medianOf,
  memoryOf,
  sleep,
  withCpu,
  withRssPeak,
} from "./lib/measure.ts";
import {
  buildGateway,
  buildHandWired,
  DEPLOYED_NODE_FLAGS,
  type RunningForwarder,
  type RunningSimulators,
  SOURCE_IDS,
  type SourceId,
  setSimulatorFaults,
  startForwarder,
  startGateway,
  startHandWired,
  startSimulators,
} from "./lib/processes.ts";
import { environment, save, settingsSentence, stamp, statusText, table } from "./lib/report.ts";
import {
  type BatchOutcome,
  BENCH_CLIENTS,
  bearer,
  CLIENTS_FILE,
  cycle,
  deletePrefix,
  directSourceRequest,
  getToken,
  meanBetween,
  redisInfo,
  runBatch,
  scrapeMetrics,
} from "./lib/scenarios.ts";
import { SOURCE_LATENCY, SOURCE_LATENCY_FAULTS } from "./lib/source-latency.ts";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    runs: { type: "string" },
    seconds: { type: "string" },
    "batch-size": { type: "string" },
    workers: { type: "string" },
    "gateway-node-flags": { type: "string" },
    "spike-rate": { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (args.help) {
  console.log(
    "usage: npm run bench [-- --quick] [--runs N] [--seconds S] [--batch-size N] [--workers N]\n" +
      "--workers N runs the gateway and the bare forwarder as N processes each (default 1).\n" +
      "Every Node process measured runs with the node flags of `npm run start:built` (package.json);\n" +
      "--gateway-node-flags='--max-semi-space-size=16' adds flags for the gateway's node after them (a V8 flag given again wins).\n" +
      "--spike-rate N sets the spike's arrivals per second (default 1500, as load/k6/spike.ts).\n" +
      "Needs Redis (REDIS_URL, default redis://127.0.0.1:6379); keys go under a per-run prefix.",
  );
  process.exit(0);
}

const quick = args.quick;
/** The spike's arrivals per second unless `--spike-rate` says otherwise, as load/k6/spike.ts. */
const DEFAULT_SPIKE_RATE = 1_500;
export const SETTINGS = {
  runs: Number(args.runs ?? (quick ? 1 : 3)),
  /** Length of each measured phase. */
  seconds: Number(args.seconds ?? (quick ? 5 : 15)),
  warmupSeconds: quick ? 2 : 5,
  /** Connections for the identity-lookup comparison (the floors are stated at 64). */
  connections: 64,
  /** Connections for the enrolment check and for each direct source measurement. */
  enrolmentConnections: 16,
  batchNiks: Number(args["batch-size"] ?? 100_000),
  /** Processes of the gateway (SIMPUL_WORKERS) and of the bare forwarder (FORWARDER_WORKERS). */
  workers: Number(args.workers ?? 1),
  /** The deployment's node flags (`npm run start:built`), for every Node process measured. */
  deployedNodeFlags: DEPLOYED_NODE_FLAGS,
  /** Flags for the gateway's node after those (V8 heap settings, say); none by default. */
  gatewayNodeFlags: (args["gateway-node-flags"] ?? "").split(" ").filter(Boolean),
  /** The spike's arrivals per second (the rest of the spike is SPIKE). */
  spikeRate: Number(args["spike-rate"] ?? DEFAULT_SPIKE_RATE),
  worldSeed: 20_240_101,
  worldSize: 100_000,
  redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
};
if (!Number.isInteger(SETTINGS.workers) || SETTINGS.workers < 1) {
  console.error(`--workers takes a whole number of processes, 1 or more (got ${args.workers})`);
  process.exit(1);
}

/** The mixed scenario: who sends what, at which share of its per-minute plan over the phase. */
const MIXED = {
  /** Unbounded client, closed loop. */
  backgroundConnections: 16,
  dinsosA: { perMinute: 1500, share: 1.1 },
  dinsosB: { perMinute: 900, share: 0.9 },
  bank: { perMinute: 600, share: 1.05 },
};

/**
 * The spike of load/k6/spike.ts: a calm 50 lookups a second, a jump to SETTINGS.spikeRate, then calm
 * again (open model: arrivals at a fixed rate whatever the answers do, load/lib/arrivals.ts).
 * Each phase is its own load, so what comes straight after the spike is measured apart from the
 * calm that follows.
 */
const SPIKE = {
  calmRate: 50,
  /** Connections while calm, and during the spike (room for a backlog, as k6's VUs would be). */
  calmConnections: 16,
  spikeConnections: 256,
  /**
   * The first seconds after the spike, where what it left behind would show (a grown heap being
   * collected, say); its own backlog is drained inside the spike's phase, which ends with its last
   * answer.
   */
  justAfterSeconds: 3,
};

/**
 * Lookups at the same fixed arrival rates on the gateway and on the bare forwarder (open model,
 * load/lib/arrivals.ts): what the gateway adds to an answer's latency at a steady rate. The
 * floors' closed loop keeps 64 requests in flight whatever either side can serve, so the added
 * p99 it measures is mostly queueing behind the gateway's lower throughput; this says what a
 * client sending at a steady rate sees.
 */
const EQUAL_RATES = {
  /** Arrivals per second; the highest is about three quarters of the gateway's closed-loop rate here. */
  rates: [1_000, 2_000, 3_000],
  connections: 64,
  /**
   * Unmeasured seconds at each rate before its measurement. When the traffic's shape changes
   * (from the closed loop, or to another rate) V8 throws away and recompiles code optimised for
   * the old shape, and for about a second the gateway runs slower: in probes, a p99 of 40–64 ms
   * in the first 6 s at 2,000/s after a closed loop (18 deopts and 356 optimisations in one),
   * 5.7–18 ms in the next 6 s (load/PROFILE.md, tenth round). The phase measures the steady state.
   */
  warmSeconds: 2,
};

const LOOKUP = "/v1/identity/lookup";
const CHECK = "/v1/enrolments/check";
const VERIFY = "/v1/identity/verify";

/** A load and what it cost the process serving it, with the unmeasured warm-up before it. */
type MeasuredLoad = LoadResult & {
  cores: Record<string, number>;
  cpuUsPerRequest: number;
  /** The EQUAL_RATES.warmSeconds at the same rate just before (absent from older reports). */
  warm?: LoadResult;
};

/** One rate of EQUAL_RATES: both targets at it, and what the gateway added (ms). */
interface EqualRate {
  gateway: MeasuredLoad;
  forwarder: MeasuredLoad;
  addedP50Ms: number;
  addedP99Ms: number;
}

interface RunResult {
  lookup: {
    gateway: LoadResult & {
      cores: Record<string, number>;
      cpuUsPerRequest: number;
      logBytesPerRequest: number;
    };
    forwarder: LoadResult & { cores: Record<string, number>; cpuUsPerRequest: number };
    /** The same forwarding as one Hono route on @hono/node-server: the framework's own cost. */
    honoForwarder: LoadResult & { cores: Record<string, number>; cpuUsPerRequest: number };
    throughputRatio: number;
    /** Hono forwarder ÷ bare forwarder: how much of the floor the framework alone keeps. */
    honoForwarderRatio: number;
    /**
     * The lookup's required work by the gateway's components on plain node:http
     * (load/hand-wired-lookup.ts), and the same without rate limit, audit and access log; one
     * process only, so absent with `--workers`.
     */
    handWired?: LoadResult & { cores: Record<string, number>; cpuUsPerRequest: number };
    handWiredWithout?: LoadResult & { cores: Record<string, number>; cpuUsPerRequest: number };
    /** Each of them ÷ the bare forwarder's throughput. */
    handWiredRatio?: number;
    handWiredWithoutRatio?: number;
    addedP50Ms: number;
    addedP99Ms: number;
  };
  enrolment: {
    sources: Record<SourceId, LoadResult>;
    slowestSource: SourceId;
    slowestSourceP50Ms: number;
    check: LoadResult & { cores: Record<string, number> };
    addedP50Ms: number;
    /**
     * Means over the check phase (ms): as the load generator saw each check, as the gateway's own
     * metrics saw it from the first middleware to the last, and two parts of the latter. NaN
     * with several workers (a scrape reaches one worker's metrics).
     */
    means: {
      client: number;
      inGateway: number;
      slowestSourceCall: number;
      auditAppend: number;
    };
  };
  batch: BatchOutcome & {
    rssBeforeMb: number;
    peakRssMb: number;
    polledPeakRssMb: number;
    cores: Record<string, number>;
  };
  mixed: Record<string, LoadResult & { perMinute?: number; offeredShare?: number }>;
  /** Lookups at each of EQUAL_RATES.rates, by rate (absent from reports made before). */
  equalRates?: Record<string, EqualRate>;
  /** Lookups before, during and after a spike of arrivals (SPIKE). */
  spike: {
    calm: LoadResult;
    spike: LoadResult;
    justAfter: LoadResult;
    settled: LoadResult;
  };
  gatewayRssAfterMb: number;
  redisKeysDeleted: number;
  /** Other load on the machine when the run started and ended. */
  machine: { atStart: ReturnType<typeof machineLoad>; atEnd: ReturnType<typeof machineLoad> };
}

function log(message: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}

async function main(): Promise<void> {
  const runStamp = stamp();
  // Measured as deployed: the compiled entry, not TypeScript through tsx.
  buildGateway();
  if (SETTINGS.workers === 1) buildHandWired();
  const redis = await redisInfo(SETTINGS.redisUrl).catch((error: Error) => {
    console.error(`Redis is needed (REDIS_URL=${SETTINGS.redisUrl}): ${error.message}`);
    process.exit(1);
  });
  log(
    `world of ${SETTINGS.worldSize.toLocaleString()} persons; ${SETTINGS.runs} run(s) of ${SETTINGS.seconds} s phases; ${SETTINGS.workers} process(es) each for the gateway and the forwarder`,
  );
  const world = generateWorld({ seed: SETTINGS.worldSeed, size: SETTINGS.worldSize });
  const clean = world.examples("CLEAN", 5_000);
  const inputs: Inputs = {
    clean,
    people: clean.map((nik) => ({ nik, fullName: world.person(world.indexOf(nik)).fullName })),
    batchNiks: Array.from({ length: SETTINGS.batchNiks }, (_, i) =>
      world.nik(i % SETTINGS.worldSize),
    ),
  };

  const sims = await startSimulators(SETTINGS.worldSeed, SETTINGS.worldSize);
  const forwarder = await startForwarder(sims, 64, SETTINGS.workers);
  const honoForwarder = await startForwarder(sims, 64, SETTINGS.workers, "hono");
  log(
    `simulators pid ${sims.pid}, bare forwarder pid ${forwarder.pid}, on Hono pid ${honoForwarder.pid}`,
  );
  const runs: RunResult[] = [];
  try {
    for (let k = 1; k <= SETTINGS.runs; k++) {
      log(`run ${k} of ${SETTINGS.runs}`);
      const prefix = `simpul-bench:${runStamp}-r${k}:`;
      try {
        runs.push(await oneRun(k, prefix, inputs, sims, { forwarder, honoForwarder }, redis.pid));
      } finally {
        // Only this run's own keys; the database itself is never flushed.
        const deleted = await deletePrefix(SETTINGS.redisUrl, prefix);
        const last = runs[runs.length - 1];
        if (last && runs.length === k) last.redisKeysDeleted = deleted;
      }
    }
  } finally {
    await forwarder.stop();
    await honoForwarder.stop();
    await sims.stop();
  }

  const median = medianOf(runs);
  const floors = evaluateFloors(median);
  const flags = [
    ...(quick ? ["--quick"] : []),
    ...(SETTINGS.workers === 1 ? [] : [`--workers ${SETTINGS.workers}`]),
    ...(SETTINGS.gatewayNodeFlags.length === 0
      ? []
      : [`--gateway-node-flags='${SETTINGS.gatewayNodeFlags.join(" ")}'`]),
    ...(SETTINGS.spikeRate === DEFAULT_SPIKE_RATE ? [] : [`--spike-rate ${SETTINGS.spikeRate}`]),
  ];
  const data = {
    kind: "simpul-bench",
    startedAt: runStamp,
    command: flags.length === 0 ? "npm run bench" : `npm run bench -- ${flags.join(" ")}`,
    settings: SETTINGS,
    sourceLatency: SOURCE_LATENCY,
    environment: environment(redis.version),
    floors,
    median,
    runs,
  };
  // `latest` is the full default run the README quotes; a quick run or another setup writes
  // `latest-variant` beside its stamped files instead.
  const variant =
    quick ||
    SETTINGS.workers !== 1 ||
    SETTINGS.gatewayNodeFlags.length > 0 ||
    SETTINGS.spikeRate !== DEFAULT_SPIKE_RATE;
  const paths = save(
    "bench",
    data,
    markdown(data),
    variant ? "latest-variant" : "latest",
    runStamp,
  );
  console.log(`\n${markdown(data)}`);
  log(
    `saved ${paths.join(", ")} and load/results/${variant ? "latest-variant" : "latest"}.{json,md}`,
  );
}

/** What the requests ask about: NIKs of the same world the simulators serve. */
interface Inputs {
  /** Alive, in Dukcapil, enrolled somewhere: every lookup finds a person. */
  readonly clean: readonly string[];
  readonly people: readonly { nik: string; fullName: string }[];
  /** Every NIK of the world in order (anomalies included, as a real batch would be). */
  readonly batchNiks: readonly string[];
}

async function oneRun(
  k: number,
  prefix: string,
  { clean, people, batchNiks }: Inputs,
  sims: RunningSimulators,
  { forwarder, honoForwarder }: { forwarder: RunningForwarder; honoForwarder: RunningForwarder },
  redisPid: number | undefined,
): Promise<RunResult> {
  const { seconds, warmupSeconds, connections } = SETTINGS;
  const atStart = machineLoad();
  // One key for the gateway and the hand-wired floors, so the gateway's tokens verify on both.
  const signingKey = JSON.stringify(
    await exportJWK((await generateKeyPair("ES256", { extractable: true })).privateKey),
  );
  const gateway = await startGateway({
    sims,
    redisUrl: SETTINGS.redisUrl,
    redisPrefix: prefix,
    clientsFile: CLIENTS_FILE,
    workers: SETTINGS.workers,
    nodeFlags: SETTINGS.gatewayNodeFlags,
    env: { SIMPUL_SIGNING_KEY: signingKey },
  });
  // Hand-wired floors keep their own keys (the run's prefix still covers them for clean-up).
  const handWiredFloors =
    SETTINGS.workers === 1
      ? await Promise.all(
          [[], ["rate-limit", "audit", "access-log"] as const].map((omit, i) =>
            startHandWired({
              sims,
              redisUrl: SETTINGS.redisUrl,
              redisPrefix: `${prefix}hand-wired-${i}:`,
              clientsFile: CLIENTS_FILE,
              signingKey,
              issuer: gateway.url,
              omit,
            }),
          ),
        )
      : [];
  // The gateway and the forwarder as process trees: with workers, a primary plus its children.
  const gatewayProcesses = { tree: gateway.pid };
  const pids = (own: Record<string, Measured>) => ({
    ...own,
    simulators: sims.pid,
    ...(redisPid ? { redis: redisPid } : {}),
  });
  try {
    // Tokens once per run, for every client.
    const [tLoad, tA, tB, tBank] = await Promise.all(
      [BENCH_CLIENTS.load, BENCH_CLIENTS.dinsosA, BENCH_CLIENTS.dinsosB, BENCH_CLIENTS.bank].map(
        (client) => getToken(gateway.url, client),
      ),
    );
    const nextNik = cycle(clean);
    const lookupBody = () => JSON.stringify({ nik: nextNik() });
    const lookupAt = (url: string, path: string, headers: Record<string, string>, s: number) =>
      load({ url, path, connections, seconds: s, headers, body: lookupBody });

    // 1. Identity lookup, instant sources: the gateway's own cost against the bare floor.
    await setSimulatorFaults(sims, {});
    log("  warm-up");
    await lookupAt(gateway.url, LOOKUP, bearer(tLoad as string), warmupSeconds);
    await lookupAt(forwarder.url, "/", {}, warmupSeconds);
    await lookupAt(honoForwarder.url, "/", {}, warmupSeconds);
    for (const floor of handWiredFloors) {
      await lookupAt(floor.url, LOOKUP, bearer(tLoad as string), warmupSeconds);
    }
    /** A load against one target, with the CPU per request of the process (tree) serving it. */
    const withCpuPerRequest = async (
      name: "gateway" | "forwarder" | "handWired",
      serving: Measured,
      send: () => Promise<LoadResult>,
    ) => {
      const { value, cores } = await withCpu(pids({ [name]: serving }), send);
      const requests = answered(value);
      return {
        ...value,
        cores,
        requests,
        cpuUsPerRequest: cpuUsPerItem(cores[name], value.seconds, requests),
      };
    };
    /** Lookups in the closed loop against one target. */
    const measureLookups = (
      name: "gateway" | "forwarder" | "handWired",
      serving: Measured,
      url: string,
      headers: Record<string, string>,
    ) =>
      withCpuPerRequest(name, serving, () =>
        lookupAt(url, name === "forwarder" ? "/" : LOOKUP, headers, seconds),
      );
    const measureGateway = async () => {
      const logBefore = gateway.logBytes();
      const measured = await measureLookups(
        "gateway",
        gatewayProcesses,
        gateway.url,
        bearer(tLoad as string),
      );
      return {
        ...measured,
        logBytesPerRequest: Math.round((gateway.logBytes() - logBefore) / measured.requests),
      };
    };
    const measureForwarder = (target = forwarder) =>
      measureLookups("forwarder", { tree: target.pid }, target.url, {});
    log(`  identity lookup at ${connections} connections: gateway and bare forwarder`);
    // Alternate the order between runs so neither side always goes first.
    let gw: Awaited<ReturnType<typeof measureGateway>>;
    let fwd: Awaited<ReturnType<typeof measureForwarder>>;
    if (k % 2 === 1) {
      gw = await measureGateway();
      fwd = await measureForwarder();
    } else {
      fwd = await measureForwarder();
      gw = await measureGateway();
    }
    // The framework's floor last: it only explains the gap, it is no floor of the issue's.
    const onHono = await measureForwarder(honoForwarder);
    const measureHandWired = (floor: (typeof handWiredFloors)[number]) =>
      measureLookups("handWired", floor.pid, floor.url, bearer(tLoad as string));
    const [full, without] = handWiredFloors;
    const handWired = full && (await measureHandWired(full));
    const handWiredWithout = without && (await measureHandWired(without));
    log(
      `    gateway ${gw.throughput}/s p99 ${gw.latencyMs.p99} ms; forwarder ${fwd.throughput}/s p99 ${fwd.latencyMs.p99} ms; on Hono ${onHono.throughput}/s${
        handWired && handWiredWithout
          ? `; hand-wired ${handWired.throughput}/s, without limit, audit and log ${handWiredWithout.throughput}/s`
          : ""
      }`,
    );

    // 1b. The same lookups at equal, steady arrival rates; order alternates per rate.
    const equalRates: Record<string, EqualRate> = {};
    const atRate = (
      url: string,
      path: string,
      headers: Record<string, string>,
      rate: number,
      phaseSeconds = Math.max(3, Math.round(seconds / 3)),
    ) =>
      arrivals({
        url,
        path,
        rate,
        seconds: phaseSeconds,
        connections: EQUAL_RATES.connections,
        headers,
        body: lookupBody,
      });
    /** A target warmed at the rate first (EQUAL_RATES.warmSeconds), then measured. */
    const warmThenMeasure = async (
      name: "gateway" | "forwarder",
      serving: Measured,
      send: (phaseSeconds?: number) => Promise<LoadResult>,
    ) => {
      const warm = await send(EQUAL_RATES.warmSeconds);
      return { ...(await withCpuPerRequest(name, serving, () => send())), warm };
    };
    for (const [i, rate] of EQUAL_RATES.rates.entries()) {
      const onGateway = () =>
        warmThenMeasure("gateway", gatewayProcesses, (s) =>
          atRate(gateway.url, LOOKUP, bearer(tLoad as string), rate, s),
        );
      const onForwarder = () =>
        warmThenMeasure("forwarder", { tree: forwarder.pid }, (s) =>
          atRate(forwarder.url, "/", {}, rate, s),
        );
      let atGateway: MeasuredLoad;
      let atForwarder: MeasuredLoad;
      if ((k + i) % 2 === 1) {
        atGateway = await onGateway();
        atForwarder = await onForwarder();
      } else {
        atForwarder = await onForwarder();
        atGateway = await onGateway();
      }
      equalRates[rate] = {
        gateway: atGateway,
        forwarder: atForwarder,
        addedP50Ms: round(atGateway.latencyMs.p50 - atForwarder.latencyMs.p50, 2),
        addedP99Ms: round(atGateway.latencyMs.p99 - atForwarder.latencyMs.p99, 2),
      };
      log(
        `    at ${rate}/s: gateway p50 ${atGateway.latencyMs.p50} p99 ${atGateway.latencyMs.p99} ms, ${atGateway.cpuUsPerRequest} µs; forwarder p50 ${atForwarder.latencyMs.p50} p99 ${atForwarder.latencyMs.p99} ms, ${atForwarder.cpuUsPerRequest} µs`,
      );
    }

    // 2. Enrolment check with realistic upstream latency, against each source's own p50.
    await setSimulatorFaults(sims, SOURCE_LATENCY_FAULTS);
    log("  each source directly, then the enrolment check");
    const sourceEntries = await Promise.all(
      SOURCE_IDS.map(async (id) => {
        const target = await directSourceRequest(sims, id, cycle(clean));
        const result = await load({
          ...target,
          connections: SETTINGS.enrolmentConnections,
          seconds: Math.max(3, Math.round(seconds / 2)),
        });
        return [id, result] as const;
      }),
    );
    const sources = Object.fromEntries(sourceEntries) as Record<SourceId, LoadResult>;
    const slowestSource = SOURCE_IDS.reduce((a, b) =>
      sources[b].latencyMs.p50 > sources[a].latencyMs.p50 ? b : a,
    );
    const slowestSourceP50Ms = sources[slowestSource].latencyMs.p50;
    const checkAt = (s: number) =>
      load({
        url: gateway.url,
        path: CHECK,
        connections: SETTINGS.enrolmentConnections,
        seconds: s,
        headers: bearer(tLoad as string),
        body: lookupBody,
      });
    await checkAt(warmupSeconds);
    // Each worker keeps its own metrics, and a scrape reaches one of them: means need one process.
    const oneProcess = SETTINGS.workers === 1;
    const metricsBefore = oneProcess ? await scrapeMetrics(gateway.url) : new Map<string, number>();
    const check = await withCpu(pids({ gateway: gatewayProcesses }), () => checkAt(seconds));
    const metricsAfter = oneProcess ? await scrapeMetrics(gateway.url) : new Map<string, number>();
    const mean = (histogram: string, labels?: string) =>
      meanBetween(metricsBefore, metricsAfter, histogram, labels);
    log(
      `    check p50 ${check.value.latencyMs.p50} ms; slowest source ${slowestSource} p50 ${slowestSourceP50Ms} ms`,
    );

    // 3. Batch check, same upstream latency: NIKs per second end to end, and peak RSS.
    log(`  batch check of ${SETTINGS.batchNiks.toLocaleString()} NIKs`);
    await runBatch(gateway.url, tLoad as string, batchNiks.slice(0, 2_000));
    const rssBeforeMb = memoryOf(gatewayProcesses).rssMb;
    const batch = await withRssPeak(gatewayProcesses, () =>
      withCpu(pids({ gateway: gatewayProcesses }), () =>
        runBatch(gateway.url, tLoad as string, batchNiks),
      ),
    );
    if (!batch.value.value.complete)
      throw new Error("the batch stream ended without its done line");
    log(
      `    ${batch.value.value.niksPerSecond.toLocaleString()} NIKs/s, peak RSS ${batch.peakRssMb} MB`,
    );

    // 4. Mixed traffic, instant sources: an unbounded client plus three near their limits.
    await setSimulatorFaults(sims, {});
    // Rate windows are aligned to the minute: start where the whole phase fits in one window.
    const into = (Date.now() / 1000) % 60;
    if (into + seconds + 2 > 60) await sleep((60 - into + 0.2) * 1000);
    log("  mixed traffic");
    const rate = (plan: { perMinute: number; share: number }) =>
      Math.max(1, Math.round((plan.perMinute * plan.share) / seconds));
    const [background, dinsosA, dinsosB, bank] = await Promise.all([
      load({
        url: gateway.url,
        path: LOOKUP,
        connections: MIXED.backgroundConnections,
        seconds,
        headers: bearer(tLoad as string),
        body: lookupBody,
      }),
      load({
        url: gateway.url,
        path: LOOKUP,
        connections: 8,
        seconds,
        rate: rate(MIXED.dinsosA),
        headers: bearer(tA as string),
        body: lookupBody,
      }),
      load({
        url: gateway.url,
        path: CHECK,
        connections: 8,
        seconds,
        rate: rate(MIXED.dinsosB),
        headers: bearer(tB as string),
        body: lookupBody,
      }),
      load({
        url: gateway.url,
        path: VERIFY,
        connections: 8,
        seconds,
        rate: rate(MIXED.bank),
        headers: bearer(tBank as string, "identity-verification"),
        body: (() => {
          const next = cycle(people);
          return () => JSON.stringify(next());
        })(),
      }),
    ]);

    // 5. A spike of lookups, as load/k6/spike.ts runs it, instant sources.
    log(`  spike: ${SPIKE.calmRate}/s → ${SETTINGS.spikeRate}/s → ${SPIKE.calmRate}/s`);
    const phase = (rate: number, connections: number, phaseSeconds: number) =>
      arrivals({
        url: gateway.url,
        path: LOOKUP,
        rate,
        seconds: phaseSeconds,
        connections,
        headers: bearer(tLoad as string),
        body: lookupBody,
      });
    const calmSeconds = Math.max(3, Math.round(seconds / 2));
    const spike = {
      calm: await phase(SPIKE.calmRate, SPIKE.calmConnections, calmSeconds),
      spike: await phase(SETTINGS.spikeRate, SPIKE.spikeConnections, seconds),
      justAfter: await phase(SPIKE.calmRate, SPIKE.calmConnections, SPIKE.justAfterSeconds),
      settled: await phase(SPIKE.calmRate, SPIKE.calmConnections, calmSeconds),
    };
    log(
      `    p99 ${spike.calm.latencyMs.p99} ms calm, ${spike.spike.latencyMs.p99} ms in the spike (${spike.spike.throughput}/s), ${spike.justAfter.latencyMs.p99} ms just after`,
    );

    const gatewayRssAfterMb = memoryOf(gatewayProcesses).rssMb;
    return {
      lookup: {
        gateway: gw,
        forwarder: fwd,
        honoForwarder: onHono,
        throughputRatio: round(gw.throughput / fwd.throughput, 3),
        honoForwarderRatio: round(onHono.throughput / fwd.throughput, 3),
        ...(handWired && handWiredWithout
          ? {
              handWired,
              handWiredWithout,
              handWiredRatio: round(handWired.throughput / fwd.throughput, 3),
              handWiredWithoutRatio: round(handWiredWithout.throughput / fwd.throughput, 3),
            }
          : {}),
        addedP50Ms: round(gw.latencyMs.p50 - fwd.latencyMs.p50, 2),
        addedP99Ms: round(gw.latencyMs.p99 - fwd.latencyMs.p99, 2),
      },
      enrolment: {
        sources,
        slowestSource,
        slowestSourceP50Ms,
        check: { ...check.value, cores: check.cores },
        addedP50Ms: round(check.value.latencyMs.p50 - slowestSourceP50Ms, 2),
        means: {
          client: check.value.latencyMs.mean,
          inGateway: mean("simpul_http_request_duration_seconds", `route="${CHECK}",method="POST"`),
          slowestSourceCall: mean(
            "simpul_source_call_duration_seconds",
            `source="${slowestSource}",outcome="ok"`,
          ),
          auditAppend: mean("simpul_audit_append_duration_seconds"),
        },
      },
      batch: {
        ...batch.value.value,
        cores: batch.value.cores,
        rssBeforeMb,
        peakRssMb: batch.peakRssMb,
        polledPeakRssMb: batch.polledPeakRssMb,
      },
      mixed: {
        "bench-load (lookup, unbounded, 16 connections)": background,
        "bench-dinsos-a (lookup, 110% of plan)": { ...dinsosA, ...MIXED.dinsosA },
        "bench-dinsos-b (enrolment check, 90% of plan)": { ...dinsosB, ...MIXED.dinsosB },
        "bench-bank (identity verify, 105% of plan)": { ...bank, ...MIXED.bank },
      },
      equalRates,
      spike,
      gatewayRssAfterMb,
      redisKeysDeleted: 0,
      machine: { atStart, atEnd: machineLoad() },
    };
  } catch (error) {
    console.error(`gateway log (last lines other than access lines):\n${gateway.logTail()}`);
    throw error;
  } finally {
    await gateway.stop();
    for (const floor of handWiredFloors) await floor.stop();
  }
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

interface Floor {
  readonly name: string;
  readonly measured: number;
  readonly limit: number;
  readonly unit: string;
  readonly kind: "min" | "max";
  readonly met: boolean;
  /** measured ÷ limit for a minimum; limit − measured (or limit ÷ measured) for a maximum. */
  readonly ratioToFloor: number;
}

function floor(
  name: string,
  measured: number,
  kind: "min" | "max",
  limit: number,
  unit: string,
): Floor {
  const met = kind === "min" ? measured >= limit : measured <= limit;
  const ratioToFloor = kind === "min" ? round(measured / limit, 3) : round(limit / measured, 3);
  return { name, measured, limit, unit, kind, met, ratioToFloor };
}

function evaluateFloors(median: RunResult): Floor[] {
  return [
    floor(
      "identity lookup throughput ÷ bare forwarder's, 64 connections",
      median.lookup.throughputRatio,
      "min",
      0.7,
      "×",
    ),
    floor(
      "added p99 over the bare forwarder, 64 connections",
      median.lookup.addedP99Ms,
      "max",
      2,
      "ms",
    ),
    floor(
      "enrolment check p50 − slowest source's p50",
      median.enrolment.addedP50Ms,
      "max",
      2,
      "ms",
    ),
    floor(
      `batch check of ${SETTINGS.batchNiks.toLocaleString()} NIKs, end to end`,
      median.batch.niksPerSecond,
      "min",
      10_000,
      "NIKs/s",
    ),
    floor("peak gateway RSS during that batch", median.batch.peakRssMb, "max", 300, "MB"),
  ];
}

type Report = {
  command: string;
  settings: typeof SETTINGS;
  environment: ReturnType<typeof environment>;
  floors: Floor[];
  median: RunResult;
  runs: RunResult[];
};

/**
 * Answers the gateway failed (5xx, or no answer) in any run, phase by phase: throughput counts
 * 2xx only, so a gateway that sheds load as 503s must not pass for a slow one.
 */
function gatewayFailuresText(runs: readonly RunResult[]): string {
  const failed = (r: LoadResult) =>
    Object.entries(r.statuses).reduce(
      (n, [code, count]) => (Number(code) >= 500 ? n + count : n),
      0,
    ) + r.errors;
  const lines = runs.flatMap((run, i) => {
    const phases: [string, LoadResult][] = [
      ["lookups", run.lookup.gateway],
      ["enrolment checks", run.enrolment.check],
      ...Object.entries(run.mixed).map(([name, r]): [string, LoadResult] => [`mixed: ${name}`, r]),
      ...Object.entries(run.spike ?? {}).map(([name, r]): [string, LoadResult] => [
        `spike: ${name}`,
        r,
      ]),
    ];
    return phases
      .filter(([, r]) => failed(r) > 0)
      .map(
        ([phase, r]) =>
          `> - run ${i + 1}, ${phase}: ${statusText(r.statuses)}, ${r.errors} socket errors`,
      );
  });
  return lines.length === 0
    ? ""
    : `> **The gateway failed requests during this benchmark** (5xx answers or socket errors; every
> throughput here counts 2xx answers only):
${lines.join("\n")}

`;
}

/** The node flags the gateway ran with, and which of them every measured process shared. */
function nodeFlagsText(s: Report["settings"]): string {
  const deployed = s.deployedNodeFlags ?? [];
  const extra = s.gatewayNodeFlags ?? [];
  if (deployed.length === 0 && extra.length === 0) return "no extra node flags";
  const all = `\`node ${[...deployed, ...extra].join(" ")}\``;
  if (deployed.length === 0) return all;
  return `${all} (${deployed.join(" ")} as \`npm run start:built\` runs it, and so do the hand-wired lookups and the bare forwarders)`;
}

/** The headings of {@link loadCells}. */
const LOAD_HEADINGS = ["2xx/s", "p50 ms", "p90 ms", "p99 ms", "statuses", "socket errors"];

/** A load's cells in a report's table: throughput, latencies, statuses and socket errors. */
const loadCells = (r: LoadResult) => [
  r.throughput,
  r.latencyMs.p50,
  r.latencyMs.p90,
  r.latencyMs.p99,
  statusText(r.statuses),
  r.errors,
];

/** The equal-rates section (absent from reports made before the harness ran it). */
function equalRatesText(m: RunResult): string {
  if (m.equalRates === undefined) return "";
  const row = (rate: string, target: string, r: MeasuredLoad, added: [number, number] | []) => [
    rate,
    target,
    ...loadCells(r),
    // Reports made before the phase measured CPU have none.
    r.cpuUsPerRequest ?? "",
    r.cores?.[target === "gateway" ? "gateway" : "forwarder"] ?? "",
    r.warm?.latencyMs.p99 ?? "",
    added[0] ?? "",
    added[1] ?? "",
  ];
  const rows = Object.entries(m.equalRates)
    .sort(([a], [b]) => Number(a) - Number(b))
    .flatMap(([rate, r]) => [
      row(rate, "gateway", r.gateway, [r.addedP50Ms, r.addedP99Ms]),
      row(rate, "bare forwarder", r.forwarder, []),
    ]);
  return `## Identity lookup at equal arrival rates (sources answer instantly)

The gateway and the bare forwarder each sent the same evenly spaced arrivals (open model,
\`load/lib/arrivals.ts\`, at most ${EQUAL_RATES.connections} connections), each latency counted from its
arrival time, each target warmed at the rate for ${EQUAL_RATES.warmSeconds} s first (a change of the
traffic's shape costs about a second of recompiled code; load/PROFILE.md, tenth round). The floors'
closed loop above keeps ${SETTINGS.connections} requests in flight whatever either side serves, so
most of its added p99 is queueing behind the gateway's lower throughput; here both carry the same
load, and "cores" says how near each process was to a full core at it. The p99 of the warm-up
seconds just before shows what the change to that rate cost. Not a floor of the issue's: it
explains one.

${table(
  [
    "offered /s",
    "target",
    ...LOAD_HEADINGS,
    "CPU µs per request",
    "cores",
    `p99 ms in the ${EQUAL_RATES.warmSeconds} s before`,
    "added p50 ms",
    "added p99 ms",
  ],
  rows,
)}`;
}

/** The spike's section (absent from reports made before the harness ran it). */
function spikeText(m: RunResult, spikeRate: number): string {
  if (m.spike === undefined) return "";
  const phase = (name: string, rate: number, r: LoadResult) => [
    name,
    rate,
    r.connections,
    r.seconds,
    r.throughput,
    r.latencyMs.p50,
    r.latencyMs.p99,
    r.latencyMs.max,
    statusText(r.statuses),
    r.errors,
  ];
  return `## Spike (lookups, sources answer instantly; load/k6/spike.ts)

Arrivals evenly spaced at a fixed rate whatever the answers do (open model,
\`load/lib/arrivals.ts\`), each latency counted from its arrival time; each phase measured on its
own. A phase ends when its last answer is in, so the spike's seconds include draining any
backlog it built. Connections are the most the load generator's pool may open.

${table(
  [
    "phase",
    "offered /s",
    "connections",
    "seconds",
    "2xx/s",
    "p50 ms",
    "p99 ms",
    "max ms",
    "statuses",
    "socket errors",
  ],
  [
    phase("calm before", SPIKE.calmRate, m.spike.calm),
    phase("spike", spikeRate, m.spike.spike),
    phase(`first ${SPIKE.justAfterSeconds} s after`, SPIKE.calmRate, m.spike.justAfter),
    phase("calm after", SPIKE.calmRate, m.spike.settled),
  ],
)}`;
}

/** What `--workers` meant for the numbers, for the report header. */
const workersNote = (workers: number) =>
  workers === 1
    ? "Gateway and bare forwarder: one process each (`--workers 1`)."
    : `Gateway and bare forwarder: ${workers} worker processes each under a node:cluster primary
(\`--workers ${workers}\`). Their CPU is the sum over the primary and its workers, and their RSS
(peak RSS too) the sum of each process's own: shared pages count once per process and the
peaks need not coincide, so memory is overstated rather than understated.`;

/** What the hand-wired floors say about the gap (one process only). */
function handWiredText(m: RunResult): string {
  const { handWired: full, handWiredWithout: without } = m.lookup;
  if (!full || !without) return "The hand-wired floors run with one process only.";
  return `The hand-wired lookup (\`load/hand-wired-lookup.ts\`) does the lookup's required work with the
gateway's own components on plain node:http: token, scope and purpose, the NIK check, the Redis rate
limit, the Dukcapil adapter, the NIK HMAC and the Redis audit record before release, the answer's
headers and an access-log line; no framework, middleware chain, schema validation or metrics. It ran
at ${m.lookup.handWiredRatio} × the bare forwarder's throughput at ${full.cpuUsPerRequest} µs of CPU
per request; without the rate limit, the audit record and the log line (not a safe gateway) at
${m.lookup.handWiredWithoutRatio} × and ${without.cpuUsPerRequest} µs. The gap between the gateway and the
first is the app around the work; the gap between the first and the forwarder is the work itself.`;
}

/** Where the check's time went, from the gateway's own metrics (one process only). */
function checkMeans(m: RunResult): string {
  const { means, slowestSource } = m.enrolment;
  if (Number.isNaN(means.inGateway)) {
    return "With several workers the gateway's own metrics are not read (a scrape reaches one worker's).";
  }
  return `Means over the check phase, from the load generator and from the gateway's own \`/metrics\`: a
check took ${means.client} ms as the client saw it and ${means.inGateway} ms from the gateway's first
middleware to its last, so ${round(means.client - means.inGateway, 2)} ms went to HTTP in and out and to waiting for the
event loop; inside, the call to ${slowestSource} took ${means.slowestSourceCall} ms and the audit append
${means.auditAppend} ms.`;
}

export function markdown(report: Report): string {
  const { median: m, settings: s, environment: e } = report;
  const row = (name: string, r: LoadResult) => [name, r.connections, ...loadCells(r)];
  const head = ["target", "connections", ...LOAD_HEADINGS];
  const cores = (c: Record<string, number>) =>
    Object.entries(c)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
  return `# Simpul benchmark — ${report.command}

Medians of ${s.runs} run(s); ${s.seconds} s per measured phase after ${s.warmupSeconds} s of warm-up.
${e.cores} cores (${e.cpu}), Node ${e.node}, Redis ${e.redis}, commit ${e.commit}. Gateway,
simulators, bare forwarder and Redis are separate processes on this one machine; the gateway runs
its compiled entry (\`npm run build:gateway\`) with ${nodeFlagsText(s)} (its own V8 setting included: the heap-growth bound, \`SIMPUL_HEAP_GROWING_PERCENT\`, default 100 since the ninth round, 200 before); the load generator
(autocannon) is the benchmark process. World: ${s.worldSize.toLocaleString()} persons.
${workersNote(s.workers ?? 1)} ${settingsSentence(e.gatewaySettings ?? {})}

${
  report.runs.some((r) => r.machine.atStart.cpuPressurePercent > 25)
    ? `> **The machine was busy with other work during this benchmark** (CPU pressure at run start:
> ${report.runs.map((r) => `${r.machine.atStart.cpuPressurePercent}%`).join(", ")}; load average
> ${report.runs.map((r) => r.machine.atStart.loadAverage1m).join(", ")} on ${e.cores} cores). Latency and
> throughput suffer from it; CPU time per request much less so.

`
    : ""
}${gatewayFailuresText(report.runs)}## Floors

${table(
  ["floor", "measured", "limit", "met", "ratio to floor"],
  report.floors.map((f) => [
    f.name,
    `${f.measured} ${f.unit}`,
    `${f.kind === "min" ? "≥" : "≤"} ${f.limit} ${f.unit}`,
    f.met ? "yes" : "**no**",
    f.ratioToFloor,
  ]),
)}

"Ratio to floor" is measured ÷ floor for a minimum and floor ÷ measured for a maximum: above 1
means the floor is met with room to spare.

## Identity lookup (sources answer instantly)

${table(head, [
  row("gateway", m.lookup.gateway),
  row("bare forwarder", m.lookup.forwarder),
  row("bare forwarder on Hono", m.lookup.honoForwarder),
  ...(m.lookup.handWired && m.lookup.handWiredWithout
    ? [
        row("hand-wired lookup", m.lookup.handWired),
        row("hand-wired, no limit, audit or log", m.lookup.handWiredWithout),
      ]
    : []),
])}

Throughput ratio ${m.lookup.throughputRatio}; added p50 ${m.lookup.addedP50Ms} ms, added p99
${m.lookup.addedP99Ms} ms. CPU per request: gateway ${m.lookup.gateway.cpuUsPerRequest} µs, bare
forwarder ${m.lookup.forwarder.cpuUsPerRequest} µs, the same forwarding on Hono and
@hono/node-server ${m.lookup.honoForwarder.cpuUsPerRequest} µs (${m.lookup.honoForwarderRatio} × the
bare forwarder's throughput: the framework alone keeps that much of the floor). CPU (cores busy): gateway run — ${cores(m.lookup.gateway.cores)};
forwarder run — ${cores(m.lookup.forwarder.cores)}. Access log: ${m.lookup.gateway.logBytesPerRequest}
bytes per request.

${handWiredText(m)}

${equalRatesText(m)}

## Enrolment check (four sources, log-normal latency)

${table(head, [
  ...SOURCE_IDS.map((id) => row(`${id} directly`, m.enrolment.sources[id])),
  row("gateway enrolment check", m.enrolment.check),
])}

Slowest source: ${m.enrolment.slowestSource} (p50 ${m.enrolment.slowestSourceP50Ms} ms); the check
adds ${m.enrolment.addedP50Ms} ms at p50. The check's p50 is bounded below by the slowest of four
parallel calls, which is a little above the slowest source's own p50 even with no overhead.

${checkMeans(m)}

## Batch check (same latency)

${table(
  ["NIKs", "seconds", "NIKs/s", "first line ms", "RSS before MB", "peak RSS MB", "complete"],
  [
    [
      m.batch.niks,
      m.batch.seconds,
      m.batch.niksPerSecond,
      m.batch.firstLineMs,
      m.batch.rssBeforeMb,
      m.batch.peakRssMb,
      m.batch.complete,
    ],
  ],
)}

CPU during the batch: ${cores(m.batch.cores)}.

## Mixed traffic (sources answer instantly)

${table(
  ["client", "plan / min", "2xx/s", "p50 ms", "p99 ms", "statuses", "429 p99 ms"],
  Object.entries(m.mixed).map(([name, r]) => [
    name,
    r.perMinute ?? "unbounded",
    r.throughput,
    r.latencyMs.p50,
    r.latencyMs.p99,
    statusText(r.statuses),
    r.refusedLatencyMs?.p99,
  ]),
)}

${spikeText(m, s.spikeRate ?? DEFAULT_SPIKE_RATE)}

Gateway RSS after the run: ${m.gatewayRssAfterMb} MB. Per-run numbers are in the JSON file.
`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
