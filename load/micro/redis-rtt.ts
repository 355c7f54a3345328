/**
 * `npx tsx load/micro/redis-rtt.ts [--samples 300]`: how long one Redis round trip takes from
 * Node, back to back and after the connection sat idle for a while. Back to back, both processes
 * are awake and a reply takes tens of microseconds; after an idle gap, Redis (and then Node) must
 * be woken and scheduled first, which on this kind of shared virtual machine costs several times
 * the command itself. A gateway request meets the second case: between one request's rate-limit
 * call and its audit append, Redis sleeps. Prints medians and p90 in milliseconds. Needs Redis
 * (REDIS_URL, default 127.0.0.1:6379); it only reads a key that does not exist.
 */
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { percentiles } from "../lib/measure.ts";
import { table } from "../lib/report.ts";

const { values: args } = parseArgs({ options: { samples: { type: "string", default: "300" } } });
const SAMPLES = Number(args.samples);
const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
const KEY = `simpul-bench:redis-rtt-${process.pid}:absent`;

async function roundTrips(idleMs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    if (idleMs > 0) await new Promise((resolve) => setTimeout(resolve, idleMs));
    const started = performance.now();
    await redis.hmget(KEY, "seq", "hash");
    times.push(performance.now() - started);
  }
  return times;
}

try {
  await redis.ping();
  await roundTrips(0); // warm-up
  const rows: (string | number)[][] = [];
  for (const idleMs of [0, 1, 5, 20]) {
    const { p50, p90 } = percentiles(await roundTrips(idleMs));
    rows.push([idleMs === 0 ? "back to back" : `after ${idleMs} ms idle`, p50, p90]);
  }
  console.log(`HMGET round trips from Node, ${SAMPLES} each\n`);
  console.log(table(["", "p50 ms", "p90 ms"], rows));
} finally {
  redis.disconnect();
}
