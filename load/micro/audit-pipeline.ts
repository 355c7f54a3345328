/**
 * `npx tsx load/micro/audit-pipeline.ts [--rate 2000] [--work-us 100] [--rtt-ms 0]`: what the
 * audit trail's Redis writes cost, three ways. "Requests" arrive at a steady rate, independently
 * of each other (open model, as requests whose source calls end at random moments reach the
 * audit step); each spends some CPU, as the gateway's request path does, then appends one record
 * to the Redis audit store and waits for it, as a personal-data request must before it answers.
 * Three setups, alternating, three rounds each: the store on a connection with ioredis's
 * auto-pipelining (which holds commands to the end of the event-loop turn and sends a gathered
 * group only once the previous group is answered) and one batch in flight, as the gateway had it;
 * on a connection that writes commands at once, one batch in flight; and writing at once with
 * batches pipelined on the predicted head, as the gateway has it now.
 * `--rtt-ms` puts Redis behind load/lib/latency-proxy.ts, for Redis on another host. Prints
 * appends per second and append latency, medians. Needs Redis (REDIS_URL, default
 * 127.0.0.1:6379); deletes only its own keys.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { parseArgs } from "node:util";
import { useNodeSha256 } from "../../gateway/src/node/digest.ts";
import { createRedisAuditStore } from "../../gateway/src/stores/audit/redis.ts";
import { createRedisConnection } from "../../gateway/src/stores/redis/connection.ts";
import { lookupRecord, requestWork } from "../lib/audit-load.ts";
import { percentiles } from "../lib/measure.ts";
import { deletePrefix } from "../lib/scenarios.ts";

const { values: args } = parseArgs({
  options: {
    "work-us": { type: "string", default: "100" },
    seconds: { type: "string", default: "4" },
    rate: { type: "string", default: "2000" },
    "rtt-ms": { type: "string", default: "0" },
  },
});
const workUs = Number(args["work-us"]);
const seconds = Number(args.seconds);
const rate = Number(args.rate);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

useNodeSha256();
const rttMs = Number(args["rtt-ms"]);
const proxy = rttMs > 0 ? await startLatencyProxy(REDIS_URL, rttMs / 2) : undefined;
const url = proxy?.url ?? REDIS_URL;
// ioredis's auto-pipelining sends a gathered group only once the previous group is answered.
const connections = {
  autoPipelined: await createRedisConnection({ url, autoPipelining: true }),
  direct: await createRedisConnection({ url }),
};
const prefix = `simpul-bench:audit-pipeline-${Date.now()}:`;

/** Redis behind load/lib/latency-proxy.ts: every round trip gains twice `oneWayMs`. */
async function startLatencyProxy(redisUrl: string, oneWayMs: number) {
  const target = new URL(redisUrl);
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      new URL("../lib/latency-proxy.ts", import.meta.url).pathname,
      `${target.hostname}:${target.port || 6379}`,
      String(oneWayMs),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const [chunk] = (await once(child.stdout, "data")) as [Buffer];
  const proxied = new URL(redisUrl);
  proxied.hostname = "127.0.0.1";
  proxied.port = chunk.toString().trim();
  return { url: proxied.toString(), stop: () => child.kill() };
}

interface Setup {
  readonly connection: keyof typeof connections;
  readonly maxInFlight: number;
}

async function measure({ connection, maxInFlight }: Setup, round: number) {
  const store = createRedisAuditStore(connections[connection], {
    prefix: `${prefix}${connection}-${maxInFlight}-${round}:`,
    maxInFlight,
  });
  const latencies: number[] = [];
  const total = Math.round(rate * seconds);
  const started = performance.now();
  const requests: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    // Arrivals on a fixed schedule: a late timer sends what is due at once, as a busy loop would.
    const due = started + (i * 1000) / rate;
    if (performance.now() < due)
      await new Promise((resolve) => setTimeout(resolve, due - performance.now()));
    requests.push(
      (async () => {
        await requestWork(workUs);
        const appendStarted = performance.now();
        await store.append(lookupRecord(`r${round}-${i}`));
        latencies.push(performance.now() - appendStarted);
      })(),
    );
  }
  await Promise.all(requests);
  const elapsed = (performance.now() - started) / 1000;
  const verified = await store.verify();
  if (!verified.ok) throw new Error(`chain broken: ${JSON.stringify(verified)}`);
  return { perSecond: Math.round(latencies.length / elapsed), ...percentiles(latencies) };
}

const SETUPS: Record<string, Setup> = {
  "auto-pipelined connection, one batch in flight": { connection: "autoPipelined", maxInFlight: 1 },
  "written at once, one batch in flight": { connection: "direct", maxInFlight: 1 },
  "written at once, pipelined (up to 8 in flight; the gateway's)": {
    connection: "direct",
    maxInFlight: 8,
  },
};
const runs = Object.fromEntries(
  Object.keys(SETUPS).map((name) => [name, [] as Awaited<ReturnType<typeof measure>>[]]),
);
try {
  for (let round = 0; round < 3; round++) {
    for (const [name, setup] of Object.entries(SETUPS)) {
      runs[name]?.push(await measure(setup, round));
    }
  }
} finally {
  await deletePrefix(REDIS_URL, prefix);
  for (const connection of Object.values(connections)) connection.disconnect();
  proxy?.stop();
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(
  `${rate} requests/s arriving, ${workUs} µs of CPU each before its append, ${rttMs > 0 ? `${rttMs} ms added to each Redis round trip` : "local Redis"}; medians of 3 rounds of ${seconds} s\n`,
);
console.log(
  "| audit appends | appends/s | p50 ms | p90 ms | p99 ms |\n| --- | --- | --- | --- | --- |",
);
for (const [name, results] of Object.entries(runs)) {
  const m = (key: "perSecond" | "p50" | "p90" | "p99") => median(results.map((r) => r[key]));
  console.log(`| ${name} | ${m("perSecond")} | ${m("p50")} | ${m("p90")} | ${m("p99")} |`);
}
