/**
 * `npx tsx load/micro/check-phases.ts`: where one enrolment check's time goes, one request at a
 * time (no queueing), with fixed source latencies (Dukcapil 5 ms, Kemensos 8, Kemnaker 10,
 * KemenkopUKM 20). The app runs in-process with Redis-backed stores; the simulators run in a
 * process of their own, as the benchmark runs them, so that their work does not share this event
 * loop. Every store and source call is timed from the start of the request, and each source is
 * also asked directly (a bare undici request, same latency) for what the simulator itself takes.
 * Prints the median of 80 requests after 20 of warm-up. `SIMPUL_*` settings in the environment
 * reach the app (e.g. `SIMPUL_ASK_SOURCES_WHILE_CHARGING=false`). Needs Redis (REDIS_URL).
 */

import { Pool } from "undici";
import type { EnrolmentAdapter } from "../../adapters/core/enrolment-source.ts";
import { generateWorld } from "../../adapters/world/index.ts";
import { createApp } from "../../gateway/src/app.ts";
import { silentLogger } from "../../gateway/src/logging/logger.ts";
import { buildNodeServices } from "../../gateway/src/node/build-services.ts";
import { parseNodeConfig } from "../../gateway/src/node/config.ts";
import type { Services } from "../../gateway/src/services.ts";
import {
  externalSourcesEnv,
  type SourceId,
  setSimulatorFaults,
  startSimulators,
} from "../lib/processes.ts";
import {
  BENCH_CLIENTS,
  CLIENTS_FILE,
  cycle,
  deletePrefix,
  directSourceRequest,
} from "../lib/scenarios.ts";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const LATENCY_MS = { dukcapil: 5, kemensos: 8, kemnaker: 10, kemenkopukm: 20 } as const;
const WARM_UP = 20;
const MEASURED = 80;

const prefix = `simpul-bench:phases-${Date.now()}:`;
const WORLD = { seed: 20_240_101, size: 2_000 };
const sims = await startSimulators(WORLD.seed, WORLD.size);
const node = await buildNodeServices(
  parseNodeConfig({
    NODE_ENV: "test",
    SIMPUL_CLIENTS_FILE: CLIENTS_FILE,
    REDIS_URL,
    SIMPUL_REDIS_PREFIX: prefix,
    ...externalSourcesEnv(sims),
    ...Object.fromEntries(
      Object.entries(process.env).filter(([name]) => name.startsWith("SIMPUL_ASK_")),
    ),
  }),
  silentLogger,
  "http://simpul.test",
);
await setSimulatorFaults(
  sims,
  Object.fromEntries(
    Object.entries(LATENCY_MS).map(([id, ms]) => [id, { latency: { kind: "fixed", ms } }]),
  ),
);
const world = generateWorld(WORLD);

const marks = new Map<string, number[]>();
let requestStart = 0;
const mark = (name: string, at: number) => marks.set(name, [...(marks.get(name) ?? []), at]);
function timed<A extends unknown[], R>(name: string, call: (...args: A) => Promise<R>) {
  return async (...args: A): Promise<R> => {
    mark(`${name} starts`, performance.now() - requestStart);
    const result = await call(...args);
    mark(`${name} ends`, performance.now() - requestStart);
    return result;
  };
}

const base = node.services;
const services: Services = {
  ...base,
  rateLimits: { ...base.rateLimits, consume: timed("rate limit", base.rateLimits.consume) },
  audit: { ...base.audit, append: timed("audit append", base.audit.append) },
  dukcapil: { ...base.dukcapil, lookup: timed("dukcapil", base.dukcapil.lookup) },
  enrolmentSources: base.enrolmentSources.map(
    (source): EnrolmentAdapter => ({
      ...source,
      enrolments: timed(source.id, source.enrolments),
    }),
  ),
};
const app = createApp(services);
const tokenReply = await app.request("/oauth/token", {
  method: "POST",
  headers: {
    authorization: `Basic ${btoa(`${BENCH_CLIENTS.load.id}:${BENCH_CLIENTS.load.secret}`)}`,
    "content-type": "application/x-www-form-urlencoded",
  },
  body: "grant_type=client_credentials",
});
const { access_token: token } = (await tokenReply.json()) as { access_token: string };
const niks = world.examples("CLEAN", WARM_UP + MEASURED);
for (const [i, nik] of niks.entries()) {
  if (i === WARM_UP) marks.clear();
  requestStart = performance.now();
  const reply = await app.request("/v1/enrolments/check", {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "simpul-purpose": "eligibility-verification",
      "content-type": "application/json",
    },
    body: JSON.stringify({ nik }),
  });
  if (reply.status !== 200) throw new Error(`check answered ${reply.status}`);
  await reply.text();
  mark("answered", performance.now() - requestStart);
}

// Each simulator asked directly, one request at a time: what its own latency comes to.
const direct = new Map<string, number[]>();
for (const id of Object.keys(LATENCY_MS) as SourceId[]) {
  const target = await directSourceRequest(sims, id, cycle(niks));
  const pool = new Pool(target.url, { connections: 1 });
  const body = target.body as () => string;
  for (let i = 0; i < WARM_UP + MEASURED; i++) {
    const started = performance.now();
    const reply = await pool.request({
      path: target.path as string,
      method: "POST",
      headers: { "content-type": "application/json", ...target.headers },
      body: body(),
    });
    await reply.body.text();
    if (i >= WARM_UP) direct.set(id, [...(direct.get(id) ?? []), performance.now() - started]);
  }
  await pool.close();
}

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const rows = [...marks].map(([name, values]) => [name, median(values)] as const);
console.log("| moment | ms after the request started (median) |\n| --- | --- |");
for (const [name, ms] of rows.sort((a, b) => a[1] - b[1])) {
  console.log(`| ${name} | ${ms.toFixed(2)} |`);
}
console.log(
  "\n| source asked directly | configured ms | answered in ms (median) |\n| --- | --- | --- |",
);
for (const [id, times] of direct) {
  console.log(`| ${id} | ${LATENCY_MS[id as SourceId]} | ${median(times).toFixed(2)} |`);
}
await node.close();
await sims.stop();
await deletePrefix(REDIS_URL, prefix);
