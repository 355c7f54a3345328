/**
 * `npx tsx load/micro/audit-contention.ts [--processes 2] [--concurrency 64] [--seconds 5]
 * [--work-us 150]`: several gateway processes appending to the one audit chain at once, as a
 * scaled-out deployment does under load. Each process is a child with its own Redis connection
 * and store, running a closed loop of `--concurrency` requests that each spend some CPU and then
 * append one record and wait for it. Prints, per process and in all: appends per second, appends
 * that failed (a request that would have answered 503), and the append script's refusals: a
 * batch sealed on a head another process had moved, or one turned away while another process's
 * turn ran (gateway/src/stores/audit/redis.ts). The chain is verified after.
 * Needs Redis (REDIS_URL, default 127.0.0.1:6379); deletes only its own keys.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { parseArgs } from "node:util";
import { useNodeSha256 } from "../../gateway/src/node/digest.ts";
import { createRedisAuditStore } from "../../gateway/src/stores/audit/redis.ts";
import { createRedisConnection } from "../../gateway/src/stores/redis/connection.ts";
import { lookupRecord, requestWork } from "../lib/audit-load.ts";
import { deletePrefix } from "../lib/scenarios.ts";

const { values: args } = parseArgs({
  options: {
    processes: { type: "string", default: "2" },
    concurrency: { type: "string", default: "64" },
    seconds: { type: "string", default: "5" },
    "work-us": { type: "string", default: "150" },
    child: { type: "string" },
  },
});
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

interface ChildResult {
  readonly appended: number;
  readonly failed: number;
  readonly scriptCalls: number;
  readonly refusedCalls: number;
  readonly turnedAwayCalls: number;
  readonly firstFailure?: string;
}

async function runChild(prefix: string): Promise<ChildResult> {
  useNodeSha256();
  const connection = await createRedisConnection({ url: REDIS_URL });
  let scriptCalls = 0;
  let refusedCalls = 0;
  let turnedAwayCalls = 0;
  // The store's append script, counted: a reply of {0, …} is a batch sealed on a head that had
  // moved, {2, …} one turned away while another process's turn ran.
  const counted = new Proxy(connection, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (!String(property).startsWith("simpulAuditAppend") || typeof value !== "function")
        return value;
      return async (...callArgs: unknown[]) => {
        scriptCalls++;
        const reply = (await value.apply(target, callArgs)) as unknown[];
        if (reply[0] === 0) refusedCalls++;
        if (reply[0] === 2) turnedAwayCalls++;
        return reply;
      };
    },
  });
  const store = createRedisAuditStore(counted, { prefix });
  const until = performance.now() + Number(args.seconds) * 1000;
  let appended = 0;
  let failed = 0;
  let firstFailure: string | undefined;
  const loop = async (lane: number) => {
    for (let i = 0; performance.now() < until; i++) {
      await requestWork(Number(args["work-us"]));
      try {
        await store.append(lookupRecord(`p${process.pid}-${lane}-${i}`));
        appended++;
      } catch (error) {
        failed++;
        firstFailure ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Number(args.concurrency) }, (_, lane) => loop(lane)));
  connection.disconnect();
  return { appended, failed, scriptCalls, refusedCalls, turnedAwayCalls, firstFailure };
}

async function runParent() {
  const prefix = `simpul-bench:audit-contention-${Date.now()}:`;
  const processes = Number(args.processes);
  const started = performance.now();
  try {
    const children = Array.from({ length: processes }, () =>
      spawn(
        process.execPath,
        ["--import", "tsx", import.meta.filename, "--child", prefix, ...argv()],
        {
          stdio: ["ignore", "pipe", "inherit"],
        },
      ),
    );
    const results = await Promise.all(
      children.map(async (child) => {
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
        });
        const [code] = (await once(child, "exit")) as [number];
        if (code !== 0) throw new Error(`a child exited with ${code}`);
        return JSON.parse(output) as ChildResult;
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const connection = await createRedisConnection({ url: REDIS_URL });
    const verified = await createRedisAuditStore(connection, { prefix }).verify();
    connection.disconnect();

    console.log(
      `${processes} processes × ${args.concurrency} concurrent appenders, ${args["work-us"]} µs of CPU before each append, ${args.seconds} s\n`,
    );
    console.log(
      "| process | appended | appends/s | failed | script calls | refused (head moved) | turned away (another's turn) | refused or turned away per append | first failure |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    );
    const row = (name: string, r: ChildResult) =>
      console.log(
        `| ${name} | ${r.appended} | ${Math.round(r.appended / Number(args.seconds))} | ${r.failed} | ${r.scriptCalls} | ${r.refusedCalls} | ${r.turnedAwayCalls} | ${((r.refusedCalls + r.turnedAwayCalls) / Math.max(1, r.appended)).toFixed(3)} | ${r.firstFailure ?? "—"} |`,
      );
    for (const [i, r] of results.entries()) row(String(i + 1), r);
    const sum = (key: "appended" | "failed" | "scriptCalls" | "refusedCalls" | "turnedAwayCalls") =>
      results.reduce((total, r) => total + r[key], 0);
    row("all", {
      appended: sum("appended"),
      failed: sum("failed"),
      scriptCalls: sum("scriptCalls"),
      refusedCalls: sum("refusedCalls"),
      turnedAwayCalls: sum("turnedAwayCalls"),
    });
    console.log(
      `\nChain: ${verified.ok ? `verified, ${verified.count} entries` : `BROKEN ${JSON.stringify(verified)}`} (${elapsed.toFixed(1)} s in all).`,
    );
  } finally {
    await deletePrefix(REDIS_URL, prefix);
  }
}

/** The options this run was given, passed on to each child. */
function argv(): string[] {
  return ["concurrency", "seconds", "work-us"].flatMap((name) => [
    `--${name}`,
    String(args[name as keyof typeof args]),
  ]);
}

if (args.child === undefined) await runParent();
else process.stdout.write(JSON.stringify(await runChild(args.child)));
