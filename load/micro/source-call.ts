/**
 * `npx tsx load/micro/source-call.ts`: a Dukcapil lookup through the adapter (source client,
 * undici transport, mapping, canonical check, metrics) against a bare undici request to the same
 * simulator, 16 at a time, in this process. CPU microseconds per call, the in-process
 * simulator's share included on both sides, so the difference is the adapter's own.
 */
import { Pool } from "undici";
import { silentLogger } from "../../gateway/src/logging/logger.ts";
import { buildNodeServices } from "../../gateway/src/node/build-services.ts";
import { parseNodeConfig } from "../../gateway/src/node/config.ts";

const node = await buildNodeServices(
  parseNodeConfig({ NODE_ENV: "test", SIMPUL_WORLD_SIZE: "2000" }),
  silentLogger,
  "http://simpul.test",
);
const { embedded } = node;
if (!embedded) throw new Error("embedded simulators expected");
const niks = embedded.world.examples("CLEAN", 200);
const dukcapil = embedded.simulators.dukcapil;
const url = new URL(dukcapil.url);
const pool = new Pool(url.origin, { connections: 16 });
const path = `${url.pathname.replace(/\/$/, "")}/CALL_NIK`;
let next = 0;
const nik = () => niks[next++ % niks.length] as string;

const bare = async () => {
  const reply = await pool.request({
    method: "POST",
    path,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ NIK: nik(), ...dukcapil.credentials }),
  });
  JSON.parse(await reply.body.text());
};
const adapter = async () => {
  const result = await node.services.dukcapil.lookup(nik(), {});
  if (!result.ok) throw new Error(result.error.detail);
};

async function cpuPerCall(call: () => Promise<void>, calls: number): Promise<number> {
  const before = process.cpuUsage();
  for (let done = 0; done < calls; done += 16) await Promise.all(Array.from({ length: 16 }, call));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / calls;
}

console.log("| path | CPU µs per call (median of 3 rounds of 10,000) |\n| --- | --- |");
for (const [name, call] of [
  ["bare undici request", bare],
  ["Dukcapil adapter lookup", adapter],
] as const) {
  await cpuPerCall(call, 3_000);
  const rounds = [
    await cpuPerCall(call, 10_000),
    await cpuPerCall(call, 10_000),
    await cpuPerCall(call, 10_000),
  ];
  console.log(`| ${name} | ${Math.round(rounds.sort((a, b) => a - b)[1] as number)} |`);
}
await pool.close();
await node.close();
