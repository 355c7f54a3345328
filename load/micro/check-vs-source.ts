/**
 * `npx tsx load/micro/check-vs-source.ts [--connections 1,16] [--seconds 8]`: the enrolment
 * check against its slowest source asked directly, at each number of connections, twice each.
 * The compiled gateway, the simulators (the benchmark's log-normal latency) and Redis run as the
 * benchmark runs them. Prints, per measurement, the check's p50 minus KemenkopUKM's p50 (the
 * floor's measure) and, from the gateway's own `/metrics`, the means of the check inside the
 * gateway, of its KemenkopUKM call and of its audit append. At 1 connection nothing queues, so
 * what the check adds there is its serial path alone. Needs Redis (REDIS_URL).
 */
import { parseArgs } from "node:util";
import { generateWorld } from "../../adapters/world/index.ts";
import { load } from "../lib/measure.ts";
import {
  buildGateway,
  setSimulatorFaults,
  startGateway,
  startSimulators,
} from "../lib/processes.ts";
import {
  BENCH_CLIENTS,
  bearer,
  CLIENTS_FILE,
  cycle,
  deletePrefix,
  directSourceRequest,
  getToken,
  meanBetween,
  scrapeMetrics,
} from "../lib/scenarios.ts";
import { SOURCE_LATENCY_FAULTS } from "../lib/source-latency.ts";

const { values: args } = parseArgs({
  options: {
    connections: { type: "string", default: "1,16" },
    seconds: { type: "string", default: "8" },
  },
});
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const CHECK = "/v1/enrolments/check";
const WORLD = { seed: 20_240_101, size: 100_000 };
const seconds = Number(args.seconds);
const round = (value: number) => Math.round(value * 100) / 100;

buildGateway();
const clean = generateWorld(WORLD).examples("CLEAN", 5_000);
const sims = await startSimulators(WORLD.seed, WORLD.size);
const prefix = `simpul-bench:check-vs-source-${Date.now()}:`;
const gateway = await startGateway({
  sims,
  clientsFile: CLIENTS_FILE,
  redisUrl: REDIS_URL,
  redisPrefix: prefix,
});
try {
  const token = await getToken(gateway.url, BENCH_CLIENTS.load);
  await setSimulatorFaults(sims, SOURCE_LATENCY_FAULTS);
  const nextNik = cycle(clean);
  const check = (connections: number, s: number) =>
    load({
      url: gateway.url,
      path: CHECK,
      connections,
      seconds: s,
      headers: bearer(token),
      body: () => JSON.stringify({ nik: nextNik() }),
    });
  await check(16, 4);
  const rows: (string | number)[][] = [];
  for (const connections of args.connections.split(",").map(Number)) {
    for (let repeat = 0; repeat < 2; repeat++) {
      const direct = await load({
        ...(await directSourceRequest(sims, "kemenkopukm", cycle(clean))),
        connections,
        seconds,
      });
      const before = await scrapeMetrics(gateway.url);
      const checked = await check(connections, seconds);
      const after = await scrapeMetrics(gateway.url);
      const mean = (histogram: string, labels?: string) =>
        round(meanBetween(before, after, histogram, labels));
      rows.push([
        connections,
        direct.latencyMs.p50,
        checked.latencyMs.p50,
        round(checked.latencyMs.p50 - direct.latencyMs.p50),
        mean("simpul_http_request_duration_seconds", `route="${CHECK}",method="POST"`),
        mean("simpul_source_call_duration_seconds", 'source="kemenkopukm",outcome="ok"'),
        mean("simpul_audit_append_duration_seconds"),
      ]);
    }
  }
  console.log(
    "| connections | KemenkopUKM directly, p50 ms | check p50 ms | added ms | in the gateway (mean) | its KemenkopUKM call (mean) | audit append (mean) |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- |");
  for (const row of rows) console.log(`| ${row.join(" | ")} |`);
} finally {
  await gateway.stop();
  await sims.stop();
  await deletePrefix(REDIS_URL, prefix);
}
