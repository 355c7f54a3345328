/**
 * `npx tsx load/micro/cost-by-rate.ts [--rates 500,1000,2000,3000] [--seconds 5]`: the CPU one
 * lookup costs its server at a closed loop of 64 connections and at fixed arrival rates (open
 * model, load/lib/arrivals.ts), for the compiled gateway, the hand-wired lookup whole, without
 * the rate limit and the log line, and without the audit record as well, and the bare forwarder.
 * Per rate every target is measured in turn, so the machine's drift falls on all of them alike.
 *
 * What it shows: below saturation requests seldom share an event-loop turn, so every Redis call,
 * source call and answer is a socket write of its own that wakes another process, and each
 * wake-up is paid again per request. The steps between the hand-wired variants say what each
 * round trip costs at that rate. Needs Redis (REDIS_URL).
 */
import { parseArgs } from "node:util";
import { exportJWK, generateKeyPair } from "jose";
import { generateWorld } from "../../adapters/world/index.ts";
import { arrivals } from "../lib/arrivals.ts";
import { answered, cpuUsPerItem, type LoadResult, load, withCpu } from "../lib/measure.ts";
import {
  buildGateway,
  buildHandWired,
  type RunningForwarder,
  type RunningGateway,
  setSimulatorFaults,
  startForwarder,
  startGateway,
  startHandWired,
  startSimulators,
} from "../lib/processes.ts";
import { table } from "../lib/report.ts";
import {
  BENCH_CLIENTS,
  bearer,
  CLIENTS_FILE,
  cycle,
  deletePrefix,
  getToken,
} from "../lib/scenarios.ts";

const { values: args } = parseArgs({
  options: {
    rates: { type: "string", default: "500,1000,2000,3000" },
    seconds: { type: "string", default: "5" },
  },
});
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const LOOKUP = "/v1/identity/lookup";
const WORLD = { seed: 20_240_101, size: 100_000 };
const CONNECTIONS = 64;
const seconds = Number(args.seconds);
const rates = args.rates.split(",").map(Number);
if (rates.some((rate) => !(rate > 0))) {
  console.error(`--rates takes arrivals per second, comma-separated (got ${args.rates})`);
  process.exit(1);
}

buildGateway();
buildHandWired();
const clean = generateWorld(WORLD).examples("CLEAN", 5_000);
const sims = await startSimulators(WORLD.seed, WORLD.size);
await setSimulatorFaults(sims, {});
const prefix = `simpul-bench:cost-by-rate-${Date.now()}:`;
const signingKey = JSON.stringify(
  await exportJWK((await generateKeyPair("ES256", { extractable: true })).privateKey),
);
const started: (RunningGateway | RunningForwarder)[] = [];
try {
  const gateway = await startGateway({
    sims,
    clientsFile: CLIENTS_FILE,
    redisUrl: REDIS_URL,
    redisPrefix: prefix,
    env: { SIMPUL_SIGNING_KEY: signingKey },
  });
  started.push(gateway);
  const handWired = async (i: number, omit: ("rate-limit" | "audit" | "access-log")[]) => {
    const running = await startHandWired({
      sims,
      clientsFile: CLIENTS_FILE,
      redisUrl: REDIS_URL,
      redisPrefix: `${prefix}hand-wired-${i}:`,
      signingKey,
      issuer: gateway.url,
      omit,
    });
    started.push(running);
    return running;
  };
  const forwarder = await startForwarder(sims, CONNECTIONS);
  started.push(forwarder);
  const token = await getToken(gateway.url, BENCH_CLIENTS.load);
  const whole = await handWired(0, []);
  const noLimit = await handWired(1, ["rate-limit", "access-log"]);
  const noLimitNoAudit = await handWired(2, ["rate-limit", "audit", "access-log"]);
  const target = (name: string, served: { pid: number; url: string }, path = LOOKUP) => ({
    name,
    pid: served.pid,
    url: served.url,
    path,
  });
  const targets = [
    target("gateway", gateway),
    target("hand-wired lookup", whole),
    target("hand-wired, no limit or log", noLimit),
    target("hand-wired, no limit, audit or log", noLimitNoAudit),
    target("bare forwarder", forwarder, "/"),
  ];
  const nextNik = cycle(clean);
  const common = {
    connections: CONNECTIONS,
    headers: bearer(token),
    body: () => JSON.stringify({ nik: nextNik() }),
  };
  /** CPU microseconds per request of the target's process over one load. */
  const costOf = async (pid: number, send: () => Promise<LoadResult>) => {
    const { value, cores } = await withCpu({ target: pid }, send);
    return { cpuUs: cpuUsPerItem(cores.target, value.seconds, answered(value)), value };
  };
  for (const { url, path } of targets) await load({ ...common, url, path, seconds: 2 });

  const cells = new Map(targets.map((target) => [target.name, [] as string[]]));
  const phases = [
    { label: `closed loop, ${CONNECTIONS} connections`, rate: undefined },
    ...rates.map((rate) => ({ label: `${rate}/s`, rate })),
  ];
  for (const { label, rate } of phases) {
    console.error(`${label} …`);
    for (const { name, pid, url, path } of targets) {
      const send = () =>
        rate === undefined
          ? load({ ...common, url, path, seconds })
          : arrivals({ ...common, url, path, rate, seconds });
      // A second at the rate first, so each measurement starts from a warm pool.
      if (rate !== undefined) await arrivals({ ...common, url, path, rate, seconds: 1 });
      const { cpuUs, value } = await costOf(pid, send);
      const notOk =
        value.errors +
        Object.entries(value.statuses)
          .filter(([status]) => !status.startsWith("2"))
          .reduce((sum, [, n]) => sum + n, 0);
      cells
        .get(name)
        ?.push(
          `${cpuUs} µs${rate === undefined ? ` (${value.throughput}/s)` : ""}${notOk > 0 ? ` (${notOk} not 2xx)` : ""}`,
        );
    }
  }
  console.log(
    `\nCPU per lookup of the serving process (sources answer instantly; ${seconds} s each)\n`,
  );
  console.log(
    table(
      ["target", ...phases.map((phase) => phase.label)],
      targets.map(({ name }) => [name, ...(cells.get(name) ?? [])]),
    ),
  );
} finally {
  for (const running of started.reverse()) await running.stop();
  await sims.stop();
  await deletePrefix(REDIS_URL, prefix);
}
