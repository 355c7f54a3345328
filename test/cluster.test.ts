/**
 * Multi-process mode on Redis: with SIMPUL_WORKERS=2 the real entry serves one port from two
 * worker processes that share one rate limit and one audit chain, replaces a worker killed with
 * SIGKILL, and on SIGTERM drains every worker and exits 0 with nothing left behind.
 *
 * Which worker answered is read from /proc (the gateway tells clients nothing about its
 * processes): the worker holding the server end of each connection, matched by the client's port.
 */

import { once } from "node:events";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { Agent, request } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulators, startSimulators } from "../adapters/simulators/index.ts";
import { generateWorld } from "../adapters/world/index.ts";
import { createRedisAuditStore } from "../gateway/src/stores/audit/redis.ts";
import { type TestRedis, useTestRedis } from "./support/redis.ts";
import {
  clientToken,
  inFlight,
  sharedRedisEnv,
  startEarlyInMinute,
} from "./support/shared-redis.ts";
import { type GatewayTarget, overHttpTarget, TEST_WORLD } from "./support/target.ts";

const LIMIT_PER_MINUTE = 60;
const SECRET = "cluster-test-secret-0123456789abcdef";
const BULK_SECRET = "cluster-bulk-secret-0123456789abcdef";
const world = generateWorld(TEST_WORLD);
const [NIK = ""] = world.examples("CLEAN", 1);

let redis: TestRedis;
let simulators: Simulators;
let sharedEnv: Record<string, string>;

beforeAll(async () => {
  redis = await useTestRedis();
  simulators = await startSimulators({ world });
  sharedEnv = {
    ...(await sharedRedisEnv(simulators, redis, [
      { id: "cluster-test", secret: SECRET, perMinute: LIMIT_PER_MINUTE },
      { id: "cluster-bulk", secret: BULK_SECRET, perMinute: 100_000 },
    ])),
    SIMPUL_WORKERS: "2",
  };
}, 60_000);

afterAll(async () => {
  await simulators?.close();
  await redis?.cleanup();
});

/** The real entry with two workers, once its banner says both are listening. */
async function startCluster(prefix: string): Promise<GatewayTarget & { port: number }> {
  const gateway = await overHttpTarget({ ...sharedEnv, SIMPUL_REDIS_PREFIX: prefix });
  const deadline = Date.now() + 60_000;
  while (!gateway.output?.().includes("listening on")) {
    if (Date.now() > deadline) throw new Error(`no banner in 60 s:\n${gateway.output?.()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(gateway.output?.()).toContain("(2 worker processes)");
  expect(gateway.output?.().match(/listening on/g), "one banner for all workers").toHaveLength(1);
  return Object.assign(gateway, { port: Number(new URL(gateway.baseUrl ?? "").port) });
}

/**
 * The primary's workers: its children that run Node. On a cold transform cache tsx starts an
 * esbuild service as a child of the primary too, which is not a worker.
 */
function workersOf(primary: number): number[] {
  return readdirSync(`/proc/${primary}/task`)
    .flatMap((tid) =>
      readFileSync(`/proc/${primary}/task/${tid}/children`, "utf8")
        .split(" ")
        .filter((pid) => pid !== "")
        .map(Number),
    )
    .filter((pid) => runsNode(pid));
}

/** Whether a process was started from this Node executable (a gone process is not). */
function runsNode(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] === process.execPath;
  } catch {
    return false;
  }
}

/** Whether a process still runs (a zombie does not). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/**
 * Which of `pids` holds the server end of each open connection to 127.0.0.1:`port`, by the
 * client's port: the socket inode from /proc/net/tcp, found among each process's descriptors.
 */
function connectionOwners(pids: readonly number[], port: number): Map<number, number> {
  const clientPortByInode = new Map<string, number>();
  for (const line of readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    const [, local, remote, state] = fields;
    const inode = fields[9];
    if (local === undefined || remote === undefined || inode === undefined) continue;
    // 01 = ESTABLISHED; ports are hexadecimal after the colon.
    if (state !== "01" || Number.parseInt(local.split(":")[1] ?? "", 16) !== port) continue;
    clientPortByInode.set(inode, Number.parseInt(remote.split(":")[1] ?? "", 16));
  }
  const owners = new Map<number, number>();
  for (const pid of pids) {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      let link: string;
      try {
        link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      const clientPort = inode === undefined ? undefined : clientPortByInode.get(inode);
      if (clientPort !== undefined) owners.set(clientPort, pid);
    }
  }
  return owners;
}

interface Answer {
  readonly status: number;
  readonly body: string;
  /** The client's end of the connection that carried it. */
  readonly clientPort: number;
}

/** A POST over node:http, so the connection (and through it the worker) is known. */
function post(
  agent: Agent | false,
  port: number,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: "127.0.0.1", port, path, method: "POST", agent, headers },
      (response) => {
        const clientPort = response.socket.localPort ?? 0;
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            clientPort,
          }),
        );
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    // A lost connection fails its test here rather than at the test's timeout.
    outgoing.setTimeout(15_000, () => outgoing.destroy(new Error(`no answer in 15 s: ${path}`)));
    outgoing.end(body);
  });
}

const lookup = (agent: Agent | false, port: number, bearer: string, requestId: string) =>
  post(
    agent,
    port,
    "/v1/identity/lookup",
    {
      "content-type": "application/json",
      authorization: `Bearer ${bearer}`,
      "simpul-purpose": "eligibility-verification",
      "x-request-id": requestId,
    },
    JSON.stringify({ nik: NIK }),
  );

async function auditOf(prefix: string) {
  const audit = createRedisAuditStore(await redis.newClient(), { prefix });
  const ids = new Set<string>();
  for await (const entry of audit.export()) ids.add(entry.requestId);
  return { ids, verified: await audit.verify() };
}

/** The arguments of one MONITOR line, each printed by Redis as a quoted, escaped string. */
function monitoredArgs(text: string): string[] {
  const args: string[] = [];
  const escapes: Record<string, string> = { n: "\n", r: "\r", t: "\t", a: "\x07", b: "\b" };
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '"') {
      i++;
      continue;
    }
    let arg = "";
    for (i++; i < text.length && text[i] !== '"'; i++) {
      if (text[i] !== "\\") arg += text[i];
      else if (text[i + 1] === "x") {
        arg += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 4), 16));
        i += 3;
      } else {
        const escaped = text[++i] ?? "";
        arg += escapes[escaped] ?? escaped;
      }
    }
    args.push(arg);
    i++;
  }
  return args;
}

interface AppendCall {
  readonly command: string;
  readonly source: string;
  /** When Redis ran it (ms, from MONITOR's timestamp). */
  readonly atMs: number;
  readonly expectedSequence: number;
  readonly expectedHash: string;
  readonly count: number;
  /** The hash of the batch's newest entry: the head it leaves when it lands. */
  readonly lastHash: string;
  /** The writer's id, how long a turn it takes lasts, and whether it asks for one. */
  readonly writer: string;
  readonly turnMs: number;
  readonly starving: boolean;
}

/**
 * Watches the audit chain's compare-and-append script calls under `prefix` with MONITOR (over a
 * plain socket). Redis runs scripts one at a time in the order MONITOR reports them, so replaying
 * the calls on the head (sequence and hash, as the script compares them) and on the turn (as the
 * script keeps it, its expiry judged by MONITOR's timestamps) tells the appends that landed from
 * those refused because the other worker had moved the head first and those turned away during
 * its turn (each is one retry). The hash matters: a batch pipelined behind a refused one expects
 * the sequence the refused one would have left, which the other worker's append may have reached.
 */
async function watchAuditAppends(prefix: string) {
  const head = `${prefix}{audit}:head`;
  const calls: AppendCall[] = [];
  const url = new URL(redis.url);
  const socket = connect(Number(url.port || 6379), url.hostname);
  await once(socket, "connect");
  if (url.password) {
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    socket.write(`AUTH ${user ? `${user} ` : ""}${password}\r\n`);
  }
  socket.write("MONITOR\r\n");
  socket.setEncoding("utf8");
  let buffered = "";
  socket.on("data", (chunk: string) => {
    buffered += chunk;
    for (let end = buffered.indexOf("\r\n"); end !== -1; end = buffered.indexOf("\r\n")) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      // +1700000000.123456 [0 127.0.0.1:54321] "evalsha" "…" "4" "key" …
      const match = /^\+([\d.]+) \[\d+ ([^\]]+)\] (.*)$/.exec(line);
      if (match === null) continue;
      const args = monitoredArgs(match[3] ?? "");
      const [command = "", , keyCount] = args;
      const keys = Number(keyCount);
      // EVALSHA/EVAL sha-or-script numkeys KEYS… ARGV; the append's ARGV is seq, hash, count, …
      if (!/^eval(sha)?$/i.test(command) || args[3] !== head) continue;
      const argv = args.slice(3 + keys);
      if (!/^[0-9a-f]{64}$/.test(argv[1] ?? "")) continue; // the query script's KEYS too
      const count = Number(argv[2]);
      // ARGV: seq, hash, count, then six per entry (json, hash, previous hash, time, positions),
      // then the writer, the turn's length and whether it claims one.
      const tail = 3 + count * 6;
      calls.push({
        command: command.toLowerCase(),
        source: match[2] ?? "",
        atMs: Number(match[1]) * 1000,
        expectedSequence: Number(argv[0]),
        expectedHash: argv[1] ?? "",
        count,
        lastHash: argv[3 + (count - 1) * 6 + 1] ?? "",
        writer: argv[tail] ?? "",
        turnMs: Number(argv[tail + 1]),
        starving: argv[tail + 2] === "1",
      });
    }
  });
  return {
    async stop() {
      // MONITOR lines trail the replies a little.
      await new Promise((resolve) => setTimeout(resolve, 300));
      socket.destroy();
      // An EVALSHA answered NOSCRIPT is sent again as EVAL by ioredis: count that call once.
      const effective = calls.filter((call, i) => {
        if (call.command !== "evalsha") return true;
        const next = calls.slice(i + 1).find((later) => later.source === call.source);
        return !(
          next?.command === "eval" &&
          next.expectedSequence === call.expectedSequence &&
          next.expectedHash === call.expectedHash &&
          next.count === call.count
        );
      });
      let sequence = 0;
      let hash = "0".repeat(64);
      let landed = 0;
      let turnedAway = 0;
      let recordsLanded = 0;
      // The writer whose turn it is, as the script keeps it: taken by a starving writer refused
      // on a moved head, ended by its append or its expiry.
      let turn: { writer: string; untilMs: number } | undefined;
      for (const call of effective) {
        if (turn !== undefined && call.atMs >= turn.untilMs) turn = undefined;
        if (call.expectedSequence !== sequence || call.expectedHash !== hash) {
          if (call.starving && (turn === undefined || turn.writer === call.writer))
            turn = { writer: call.writer, untilMs: call.atMs + call.turnMs };
          continue;
        }
        if (turn !== undefined && turn.writer !== call.writer) {
          turnedAway++;
          continue;
        }
        turn = undefined;
        sequence += call.count;
        hash = call.lastHash;
        landed++;
        recordsLanded += call.count;
      }
      return {
        calls: effective.length,
        landed,
        turnedAway,
        refused: effective.length - landed - turnedAway,
        recordsLanded,
      };
    },
  };
}

describe("two worker processes on one port (SIMPUL_WORKERS=2)", () => {
  it("admit exactly the client's limit, answer from both workers, and keep one verifiable audit chain", async () => {
    const prefix = `${redis.prefix}limit:`;
    const gateway = await startCluster(prefix);
    const agent = new Agent({ keepAlive: true, maxSockets: 30 });
    try {
      const workers = workersOf(gateway.child?.pid ?? 0);
      expect(workers).toHaveLength(2);
      const bearer = await clientToken(gateway, "cluster-test", SECRET);
      await startEarlyInMinute();
      const appends = await watchAuditAppends(prefix);
      const attempts = LIMIT_PER_MINUTE * 3;
      const answers: Answer[] = [];
      // 30 requests in flight at any time, on 30 keep-alive connections the primary deals out.
      await inFlight(attempts, 30, async (i) => {
        answers.push(await lookup(agent, gateway.port, bearer, `cluster-${i}`));
      });
      // The connections are still open: see which worker holds each.
      const owners = connectionOwners(workers, gateway.port);
      const appendStats = await appends.stop();

      const statuses = answers.map((answer) => answer.status);
      expect(
        statuses.filter((status) => status === 200).length,
        "the limit is global across workers, not per worker",
      ).toBe(LIMIT_PER_MINUTE);
      expect(statuses.filter((status) => status === 429).length).toBe(attempts - LIMIT_PER_MINUTE);
      const answeredBy = answers.map((answer) => owners.get(answer.clientPort));
      expect(
        answeredBy.filter((pid) => pid === undefined),
        "every answer traced",
      ).toEqual([]);
      expect(new Set(answeredBy), "both workers answered").toEqual(new Set(workers));

      const { ids, verified } = await auditOf(prefix);
      for (let i = 0; i < attempts; i++)
        expect(ids.has(`cluster-${i}`), `cluster-${i} must be audited`).toBe(true);
      expect(verified, "one chain, no gaps").toMatchObject({ ok: true, count: attempts });
      // Every record went through exactly one compare-and-append that landed.
      expect(appendStats.recordsLanded).toBe(attempts);
      console.info(
        `audit compare-and-append with 2 workers: ${appendStats.calls} script calls for ${attempts} records, ` +
          `${appendStats.landed} landed (${(attempts / appendStats.landed).toFixed(1)} records each), ` +
          `${appendStats.refused} refused and retried because the other worker moved the head first, ` +
          `${appendStats.turnedAway} turned away during the other worker's turn`,
      );
    } finally {
      agent.destroy();
      await gateway.close();
    }
  }, 180_000);

  it("replace a worker killed with SIGKILL and keep answering", async () => {
    const gateway = await startCluster(`${redis.prefix}kill:`);
    try {
      const primary = gateway.child?.pid ?? 0;
      const [victim = 0, survivor = 0] = workersOf(primary);
      const bearer = await clientToken(gateway, "cluster-bulk", BULK_SECRET);
      process.kill(victim, "SIGKILL");
      // Once the primary has reaped it. A connection the primary hands out in the instant between
      // a worker's death and its noticing is lost (Node's round-robin handoff); that is not
      // what this asserts.
      while (workersOf(primary).includes(victim))
        await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 100));
      // Until the replacement takes traffic, every request on a new connection is answered
      // (by the survivor, and then by either).
      const statuses: number[] = [];
      let replacement: number | undefined;
      const deadline = Date.now() + 60_000;
      for (let round = 0; Date.now() < deadline; round++) {
        const agent = new Agent({ keepAlive: true, maxSockets: 8 });
        try {
          const answers = await Promise.all(
            Array.from({ length: 8 }, (_, i) =>
              lookup(agent, gateway.port, bearer, `kill-${round}-${i}`),
            ),
          );
          statuses.push(...answers.map((answer) => answer.status));
          const workers = workersOf(primary);
          const owners = new Set(connectionOwners(workers, gateway.port).values());
          replacement = workers.find((pid) => pid !== survivor && owners.has(pid));
          if (replacement !== undefined) break;
        } finally {
          agent.destroy();
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(replacement, "a new worker answers").toBeDefined();
      expect(replacement).not.toBe(victim);
      expect(workersOf(primary).sort()).toEqual([survivor, replacement].sort());
      expect(running(victim)).toBe(false);
      expect(statuses.length).toBeGreaterThan(0);
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
      expect(gateway.output?.()).toMatch(/worker exited unexpectedly; replacing it.*"SIGKILL"/);
    } finally {
      await gateway.close();
    }
  }, 120_000);

  it("drain both workers on SIGTERM: every in-flight request answered, exit 0, no worker left", async () => {
    const prefix = `${redis.prefix}drain:`;
    const gateway = await startCluster(prefix);
    const agent = new Agent({ keepAlive: true, maxSockets: 30 });
    try {
      const primary = gateway.child?.pid ?? 0;
      const workers = workersOf(primary);
      const bearer = await clientToken(gateway, "cluster-bulk", BULK_SECRET);
      // Slow Dukcapil down so requests are genuinely in flight when the signal lands.
      simulators.dukcapil.control.set({ latency: { kind: "fixed", ms: 400 } });
      const inFlight = Array.from({ length: 30 }, (_, i) =>
        lookup(agent, gateway.port, bearer, `drain-req-${i}`),
      );
      await new Promise((resolve) => setTimeout(resolve, 150));
      const holding = new Set(connectionOwners(workers, gateway.port).values());
      expect(holding, "both workers have requests in flight").toEqual(new Set(workers));
      gateway.child?.kill("SIGTERM");
      const answers = await Promise.all(inFlight);
      expect(
        answers.map((answer) => answer.status),
        "no in-flight request may fail",
      ).toEqual(Array(30).fill(200));
      if (gateway.child && gateway.child.exitCode === null) await once(gateway.child, "exit");
      expect(gateway.child?.exitCode, gateway.output?.()).toBe(0);
      expect(workers.filter(running), "no orphaned worker").toEqual([]);

      const { ids, verified } = await auditOf(prefix);
      for (let i = 0; i < 30; i++)
        expect(ids.has(`drain-req-${i}`), `drain-req-${i} must be audited`).toBe(true);
      expect(verified).toMatchObject({ ok: true, count: 30 });
    } finally {
      simulators.dukcapil.control.set({ latency: { kind: "none" } });
      agent.destroy();
      await gateway.close();
    }
  }, 120_000);
});
