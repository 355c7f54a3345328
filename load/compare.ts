/**
 * `npx tsx load/compare.ts --base <git ref> [--slices 8] [--seconds 3] [--paths lookup,check]`:
 * the working tree's gateway against an earlier commit's, measured in pairs. On a shared 2-core
 * machine one gateway's CPU per request moves by half between runs minutes apart, far more than
 * most changes do, so `npm run bench` cannot tell a 10% change from the machine. Here both
 * gateways run at once against the same simulators and Redis, and the load alternates between
 * them in short slices (A B, B A, …): each slice's numbers are divided by its neighbour's, and
 * the medians of those ratios are reported. Both are compiled as deployed; the base is checked
 * out into a temporary git worktree (sharing this checkout's node_modules) and removed after.
 * Lookups run at 64 connections with instant sources, enrolment checks at 16 with the
 * benchmark's log-normal source latency, and a batch slice is one batch check of `--batch-size`
 * NIKs (100,000 by default) with that latency, read to its end. Saves
 * load/results/compare-<stamp>.{json,md}.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { generateWorld } from "../adapters/world/index.ts";
import { answered, cpuUsPerItem, load, medianOf, quartilesOf, withCpu } from "./lib/measure.ts";
import {
  BUILT_ENTRY,
  buildGateway,
  DEPLOYED_NODE_FLAGS,
  ROOT,
  type RunningGateway,
  setSimulatorFaults,
  startGateway,
  startSimulators,
} from "./lib/processes.ts";
import { environment, save, settingsSentence, stamp, table } from "./lib/report.ts";
import {
  BENCH_CLIENTS,
  bearer,
  CLIENTS_FILE,
  cycle,
  deletePrefix,
  getToken,
  runBatch,
} from "./lib/scenarios.ts";
import { SOURCE_LATENCY_FAULTS } from "./lib/source-latency.ts";

const { values: args } = parseArgs({
  options: {
    base: { type: "string" },
    slices: { type: "string", default: "8" },
    seconds: { type: "string", default: "3" },
    paths: { type: "string", default: "lookup,check" },
    "batch-size": { type: "string", default: "100000" },
    "base-node-flags": { type: "string", default: "" },
    "change-node-flags": { type: "string", default: "" },
    help: { type: "boolean", default: false },
  },
});
if (args.help || args.base === undefined) {
  console.log(
    "usage: npx tsx load/compare.ts --base <git ref> [--slices 8] [--seconds 3] [--paths lookup,check,batch] [--batch-size 100000] [--base-node-flags '<flags>'] [--change-node-flags '<flags>']\n" +
      "Both gateways run with the node flags of `npm run start:built`; --base-node-flags and --change-node-flags add flags after\n" +
      "them (a V8 flag given again wins), e.g. --change-node-flags=--max-semi-space-size=64 with --base HEAD and a clean tree.\n" +
      "Needs Redis (REDIS_URL, default redis://127.0.0.1:6379); keys go under a per-run prefix.",
  );
  process.exit(args.help ? 0 : 1);
}
const signed = (value: number) => `${value >= 0 ? "+" : ""}${value}`;
const SLICES = Number(args.slices);
const SECONDS = Number(args.seconds);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const BATCH_NIKS = Number(args["batch-size"]);
/**
 * Node flags per gateway after the deployment's (DEPLOYED_NODE_FLAGS), so one commit can be
 * compared with itself under V8 settings.
 */
const NODE_FLAGS = {
  base: args["base-node-flags"].split(/\s+/).filter((flag) => flag !== ""),
  change: args["change-node-flags"].split(/\s+/).filter((flag) => flag !== ""),
};
const flagsText = (flags: readonly string[]) =>
  `\`node ${[...DEPLOYED_NODE_FLAGS, ...flags].join(" ") || "(no flags)"}\``;
const SCENARIOS = {
  lookup: { kind: "load", path: "/v1/identity/lookup", connections: 64, latency: false },
  check: { kind: "load", path: "/v1/enrolments/check", connections: 16, latency: true },
  batch: { kind: "batch", path: "/v1/enrolments/check-batch", connections: 1, latency: true },
} as const;
type ScenarioName = keyof typeof SCENARIOS;
const paths = args.paths.split(",").map((name) => {
  if (!(name in SCENARIOS)) throw new Error(`unknown path ${name}; use lookup, check or batch`);
  return name as ScenarioName;
});

/** One slice's numbers; for a batch a "request" is one NIK, and p50/p99 are its two times. */
interface Slice {
  readonly throughput: number;
  readonly p50: number;
  readonly p99: number;
  readonly cpuUsPerRequest: number;
  readonly non2xx: number;
}

/** How each kind of slice names the five numbers of a {@link Slice} in the report. */
const ROW_NAMES = {
  load: [
    "gateway CPU per request (µs)",
    "throughput (requests/s)",
    "p50 (ms)",
    "p99 (ms)",
    "non-2xx answers",
  ],
  batch: [
    "gateway CPU per NIK (µs)",
    "throughput (NIKs/s)",
    "whole batch (ms)",
    "first line (ms)",
    "error lines",
  ],
} as const;

const git = (...argv: string[]) => execFileSync("git", argv, { cwd: ROOT }).toString().trim();

const baseCommit = git("rev-parse", "--short", args.base);
const worktree = mkdtempSync(join(tmpdir(), "simpul-compare-"));
const runStamp = stamp();
console.log(`building the working tree and ${args.base} (${baseCommit})`);
git("worktree", "add", "--detach", worktree, args.base);
const gateways: { name: string; gateway: RunningGateway; prefix: string; token: string }[] = [];
const sims = await startSimulators(20_240_101, 100_000);
try {
  symlinkSync(join(ROOT, "node_modules"), join(worktree, "node_modules"));
  buildGateway();
  buildGateway(worktree);
  for (const [name, entryFile] of [
    ["base", join(worktree, BUILT_ENTRY)],
    ["change", join(ROOT, BUILT_ENTRY)],
  ] as const) {
    const prefix = `simpul-bench:compare-${process.pid}-${name}:`;
    const gateway = await startGateway({
      sims,
      redisUrl: REDIS_URL,
      redisPrefix: prefix,
      clientsFile: CLIENTS_FILE,
      entryFile,
      nodeFlags: NODE_FLAGS[name],
    });
    gateways.push({
      name,
      gateway,
      prefix,
      token: await getToken(gateway.url, BENCH_CLIENTS.load),
    });
  }
  const world = generateWorld({ seed: 20_240_101, size: 100_000 });
  const clean = world.examples("CLEAN", 5_000);
  // As the benchmark's batch: the world's NIKs in order, anomalies included.
  const batchNiks = Array.from({ length: BATCH_NIKS }, (_, i) => world.nik(i % 100_000));
  const nextNik = cycle(clean);
  const body = () => JSON.stringify({ nik: nextNik() });

  const measure = async (
    target: (typeof gateways)[number],
    scenario: (typeof SCENARIOS)[ScenarioName],
    seconds: number,
  ): Promise<Slice> => {
    if (scenario.kind === "batch") return measureBatch(target);
    const { value, cores } = await withCpu({ gateway: target.gateway.pid }, () =>
      load({
        url: target.gateway.url,
        path: scenario.path,
        connections: scenario.connections,
        seconds,
        headers: bearer(target.token),
        body,
      }),
    );
    const count = answered(value);
    const ok = Object.entries(value.statuses)
      .filter(([status]) => status.startsWith("2"))
      .reduce((a, [, n]) => a + n, 0);
    return {
      throughput: value.throughput,
      p50: value.latencyMs.p50,
      p99: value.latencyMs.p99,
      cpuUsPerRequest: cpuUsPerItem(cores.gateway, value.seconds, count),
      non2xx: count - ok,
    };
  };

  /** One batch check of every NIK in `batchNiks`, read to its `done` line. */
  const measureBatch = async (target: (typeof gateways)[number]): Promise<Slice> => {
    const { value, cores } = await withCpu({ gateway: target.gateway.pid }, () =>
      runBatch(target.gateway.url, target.token, batchNiks),
    );
    if (!value.complete) throw new Error(`${target.name}: the batch ended without done`);
    return {
      throughput: value.niksPerSecond,
      p50: Math.round(value.seconds * 1000),
      p99: value.firstLineMs,
      cpuUsPerRequest: cpuUsPerItem(cores.gateway, value.seconds, value.niks),
      non2xx: value.errorLines,
    };
  };

  const results: Record<string, unknown> = {};
  const sections: string[] = [];
  for (const name of paths) {
    const scenario = SCENARIOS[name];
    await setSimulatorFaults(sims, scenario.latency ? SOURCE_LATENCY_FAULTS : {});
    for (const target of gateways) await measure(target, scenario, 3); // warm-up
    const slices: Record<string, Slice[]> = { base: [], change: [] };
    for (let i = 0; i < SLICES; i++) {
      const order = i % 2 === 0 ? gateways : [...gateways].reverse();
      for (const target of order)
        slices[target.name]?.push(await measure(target, scenario, SECONDS));
      const [b, c] = [slices.base?.[i], slices.change?.[i]];
      console.log(
        `  ${name} slice ${i + 1}/${SLICES}: base ${b?.cpuUsPerRequest} µs ${b?.throughput}/s, change ${c?.cpuUsPerRequest} µs ${c?.throughput}/s`,
      );
    }
    const base = slices.base as Slice[];
    const change = slices.change as Slice[];
    const ratios = (key: keyof Slice) => change.map((s, i) => s[key] / (base[i]?.[key] ?? 1));
    const deltas = (key: keyof Slice) => change.map((s, i) => s[key] - (base[i]?.[key] ?? 0));
    const ratio = (key: keyof Slice) => medianOf(ratios(key));
    const delta = (key: keyof Slice) => medianOf(deltas(key));
    const summary = {
      base: Object.fromEntries(
        (["cpuUsPerRequest", "throughput", "p50", "p99"] as const).map((k) => [
          k,
          medianOf(base.map((s) => s[k])),
        ]),
      ),
      change: Object.fromEntries(
        (["cpuUsPerRequest", "throughput", "p50", "p99"] as const).map((k) => [
          k,
          medianOf(change.map((s) => s[k])),
        ]),
      ),
      cpuPerRequestRatio: ratio("cpuUsPerRequest"),
      throughputRatio: ratio("throughput"),
      p50DeltaMs: delta("p50"),
      p99DeltaMs: delta("p99"),
      /** The middle half of the paired slices (lower and upper quartile). */
      spread: {
        cpuPerRequestRatio: quartilesOf(ratios("cpuUsPerRequest")),
        throughputRatio: quartilesOf(ratios("throughput")),
        p50DeltaMs: quartilesOf(deltas("p50")),
        p99DeltaMs: quartilesOf(deltas("p99")),
      },
      non2xx: {
        base: base.reduce((a, s) => a + s.non2xx, 0),
        change: change.reduce((a, s) => a + s.non2xx, 0),
      },
      slices,
    };
    results[name] = summary;
    console.log(
      `  ${name}: CPU per request × ${summary.cpuPerRequestRatio} (middle half ${summary.spread.cpuPerRequestRatio.join("–")}), throughput × ${summary.throughputRatio}, p50 ${summary.p50DeltaMs} ms, p99 ${summary.p99DeltaMs} ms`,
    );
    const rows = ROW_NAMES[scenario.kind];
    sections.push(`## ${scenario.path}, ${scenario.kind === "batch" ? `one batch of ${BATCH_NIKS.toLocaleString("en-US")} NIKs per slice` : `${scenario.connections} connections`}${scenario.latency ? ", log-normal source latency" : ", instant sources"}

${table(
  ["", "base", "change", "change ÷ base (median of paired slices)", "middle half of the slices"],
  [
    [
      rows[0],
      summary.base.cpuUsPerRequest,
      summary.change.cpuUsPerRequest,
      `× ${summary.cpuPerRequestRatio}`,
      `× ${summary.spread.cpuPerRequestRatio.join(" – ")}`,
    ],
    [
      rows[1],
      summary.base.throughput,
      summary.change.throughput,
      `× ${summary.throughputRatio}`,
      `× ${summary.spread.throughputRatio.join(" – ")}`,
    ],
    [
      rows[2],
      summary.base.p50,
      summary.change.p50,
      `${signed(summary.p50DeltaMs)} ms`,
      `${summary.spread.p50DeltaMs.map(signed).join(" – ")} ms`,
    ],
    [
      rows[3],
      summary.base.p99,
      summary.change.p99,
      `${signed(summary.p99DeltaMs)} ms`,
      `${summary.spread.p99DeltaMs.map(signed).join(" – ")} ms`,
    ],
    [rows[4], summary.non2xx.base, summary.non2xx.change, "", ""],
  ],
)}
`);
  }
  const env = environment();
  const data = {
    kind: "simpul-compare",
    startedAt: runStamp,
    base: { ref: args.base, commit: baseCommit },
    nodeFlags: NODE_FLAGS,
    slices: SLICES,
    secondsPerSlice: SECONDS,
    environment: env,
    results,
  };
  const markdown = `# Paired comparison: working tree (${env.commit}${git("status", "--porcelain") === "" ? "" : " + changes"}) against ${args.base} (${baseCommit})

\`npx tsx load/compare.ts --base ${args.base} --slices ${SLICES} --seconds ${SECONDS} --paths ${paths.join(",")}${paths.includes("batch") ? ` --batch-size ${BATCH_NIKS}` : ""}${NODE_FLAGS.base.length > 0 ? ` --base-node-flags='${NODE_FLAGS.base.join(" ")}'` : ""}${NODE_FLAGS.change.length > 0 ? ` --change-node-flags='${NODE_FLAGS.change.join(" ")}'` : ""}\`;
${env.cores} cores, Node ${env.node}. Both gateways ran at once against the same simulators and
Redis; the load alternated between them in ${SLICES} slices of ${SECONDS} s each, and each ratio is the
median over the slices of that slice's change ÷ its neighbouring base slice. The base ran with
${flagsText(NODE_FLAGS.base)}, the change with ${flagsText(NODE_FLAGS.change)}.
${settingsSentence(env.gatewaySettings)}

${sections.join("\n")}`;
  const written = save("compare", data, markdown, "compare-latest", runStamp);
  console.log(`\n${markdown}\nsaved ${written.join(", ")}`);
} finally {
  for (const { gateway, prefix } of gateways) {
    await gateway.stop();
    await deletePrefix(REDIS_URL, prefix);
  }
  await sims.stop();
  git("worktree", "remove", "--force", worktree);
  rmSync(worktree, { recursive: true, force: true });
}
