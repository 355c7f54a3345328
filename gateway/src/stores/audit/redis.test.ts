import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  aroundScript,
  hasRedisServerBinary,
  startRedisServer,
  type TestRedis,
  useTestRedis,
} from "../../../../test/support/redis.ts";
import { useSha256, webCryptoSha256 } from "../../crypto/digest.ts";
import { useNodeSha256 } from "../../node/digest.ts";
import { StoreUnavailableError } from "../errors.ts";
import { createRedisConnection, type RedisConnection } from "../redis/connection.ts";
import { auditRecord, describeAuditStoreContract } from "./contract.ts";
import { createRedisAuditStore, redisAuditKeys } from "./redis.ts";

let redis: TestRedis;
let connection: RedisConnection;
let run = 0;

beforeAll(async () => {
  redis = await useTestRedis();
  connection = await redis.newClient();
});
afterAll(() => redis?.cleanup());

describeAuditStoreContract("redis", async (options = {}) => {
  const prefix = `${redis.prefix}${++run}:`;
  const keys = redisAuditKeys(prefix);
  const stored = async (sequence: number) => {
    const json = await connection.hget(keys.entries, String(sequence));
    if (json === null) throw new Error(`no entry ${sequence} to tamper with`);
    return json;
  };
  return {
    store: createRedisAuditStore(connection, { ...options, prefix }),
    tamper: {
      async edit(sequence, changes) {
        const entry = { ...JSON.parse(await stored(sequence)), ...changes };
        await connection.hset(keys.entries, String(sequence), JSON.stringify(entry));
      },
      async remove(sequence) {
        await connection.hdel(keys.entries, String(sequence));
      },
      async swap(a, b) {
        const [first, second] = [await stored(a), await stored(b)];
        await connection.hset(keys.entries, String(a), second, String(b), first);
      },
    },
  };
});

describe("redis audit store", () => {
  it("keeps one chain when three gateway processes append at once", async () => {
    const prefix = `${redis.prefix}shared:`;
    const processes = await Promise.all([redis.newClient(), redis.newClient(), redis.newClient()]);
    const stores = processes.map((client) => createRedisAuditStore(client, { prefix }));
    const appended = await Promise.all(
      Array.from({ length: 450 }, (_, i) =>
        stores[i % 3]?.append(auditRecord({ requestId: `p${i % 3}-${i}` })),
      ),
    );
    const sequences = appended.map((entry) => entry?.sequence ?? 0).sort((a, b) => a - b);
    expect(sequences, "no sequence lost or given twice").toEqual(
      Array.from({ length: 450 }, (_, i) => i + 1),
    );
    const verification = await stores[0]?.verify();
    expect(verification).toEqual({ ok: true, count: 450 });
    const requestIds = new Set<string>();
    for await (const entry of stores[1]?.export() ?? []) requestIds.add(entry.requestId);
    expect(requestIds.size, "every record is in the trail exactly once").toBe(450);
  });

  it("refuses a batch sealed on a head that has moved, and appends nothing", async () => {
    const prefix = `${redis.prefix}stale:`;
    const [a, b] = [
      createRedisAuditStore(connection, { prefix }),
      createRedisAuditStore(await redis.newClient(), { prefix }),
    ];
    await a.append(auditRecord({ requestId: "from-a" }));
    await b.append(auditRecord({ requestId: "from-b" }));
    // `a` still believes the head is entry 1; its next append must reseal on entry 2.
    const third = await a.append(auditRecord({ requestId: "from-a-again" }));
    expect(third.sequence).toBe(3);
    expect(await a.verify()).toEqual({ ok: true, count: 3 });
  });

  it("pipelines batches: the next is sent before the one ahead of it is answered", async () => {
    const prefix = `${redis.prefix}pipelined:`;
    let inFlight = 0;
    let mostInFlight = 0;
    // The connection as the store sees it, with the append script's calls counted and each reply
    // held back 20 ms (a Redis farther away): whether a reply beat the next batch out used to
    // depend on how fast this machine hashed, and the overlap went unseen on a busy one.
    const counted = aroundScript(connection, "simpulAuditAppendV4", async (_args, call) => {
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      try {
        const reply = await call();
        await new Promise((resolve) => setTimeout(resolve, 20));
        return reply;
      } finally {
        inFlight--;
      }
    });
    const store = createRedisAuditStore(counted, { prefix, maxBatch: 1, maxInFlight: 4 });
    const appended = await Promise.all(
      Array.from({ length: 12 }, (_, i) => store.append(auditRecord({ requestId: `r-${i}` }))),
    );
    expect(mostInFlight, "batches overlap").toBeGreaterThan(1);
    expect(mostInFlight, "never more than maxInFlight at once").toBeLessThanOrEqual(4);
    expect(appended.map((entry) => entry.sequence)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    expect(await store.verify()).toEqual({ ok: true, count: 12 });
  });

  it("gathers the appends of one event-loop turn into one batch while another is in flight", async () => {
    const prefix = `${redis.prefix}one-turn:`;
    const batchSizes: number[] = [];
    const counted = aroundScript(connection, "simpulAuditAppendV4", (args, call) => {
      // ARGV[3] is the batch's record count: after numberOfKeys, the keys, seq and hash.
      batchSizes.push(Number(args[1 + (args[0] as number) + 2]));
      return call();
    });
    // Hashed as the Node entry wires it: with WebCrypto each seal waits for a thread-pool job,
    // which alone would let the turn's appends pile up behind the first batch.
    useNodeSha256();
    try {
      const store = createRedisAuditStore(counted, { prefix });
      // One append first, so the head is known and no batch waits for it to be read.
      await store.append(auditRecord({ requestId: "before" }));
      // Five callbacks of one turn, as five requests handled in one poll phase would be. The
      // first finds nothing in flight and goes at once; the other four wait for the end of the
      // turn and travel together (a microtask per callback would send five batches).
      const appended = await Promise.all(
        Array.from(
          { length: 5 },
          (_, i) =>
            new Promise<unknown>((resolve, reject) =>
              setImmediate(() =>
                store.append(auditRecord({ requestId: `turn-${i}` })).then(resolve, reject),
              ),
            ),
        ),
      );
      expect(appended).toHaveLength(5);
      expect(batchSizes).toEqual([1, 1, 4]);
      expect(await store.verify()).toEqual({ ok: true, count: 6 });
    } finally {
      useSha256(webCryptoSha256);
    }
  });

  it("reseals every pipelined batch, oldest first, when another process moved the head under them", async () => {
    const prefix = `${redis.prefix}moved:`;
    const a = createRedisAuditStore(connection, { prefix, maxBatch: 1 });
    const b = createRedisAuditStore(await redis.newClient(), { prefix });
    await a.append(auditRecord({ requestId: "a-0" }));
    await b.append(auditRecord({ requestId: "b-0" }));
    // `a` seals five batches on entry 1 and what it predicts after it; all five are refused.
    const appended = await Promise.all(
      Array.from({ length: 5 }, (_, i) => a.append(auditRecord({ requestId: `a-${i + 1}` }))),
    );
    expect(appended.map((entry) => [entry.sequence, entry.requestId])).toEqual(
      Array.from({ length: 5 }, (_, i) => [i + 3, `a-${i + 1}`]),
    );
    expect(await a.verify()).toEqual({ ok: true, count: 7 });
  });

  it("lets a process that keeps losing the race take the turn and append, instead of starving it", async () => {
    const prefix = `${redis.prefix}starved:`;
    const rival = createRedisAuditStore(
      aroundScript(await redis.newClient(), "simpulAuditAppendV4", async (_args, call) => {
        const reply = (await call()) as unknown[];
        rivalReplies.push(Number(reply[0]));
        rivalAnswered?.();
        return reply;
      }),
      { prefix, onRetry: (reason) => rivalRetries.push(reason) },
    );
    const rivalReplies: number[] = [];
    const rivalRetries: string[] = [];
    const starvedRetries: string[] = [];
    let rivalAnswered: (() => void) | undefined;
    let starvedCalls = 0;
    // Before each of its calls reaches Redis, the rival appends and its call is answered: the
    // starved store always seals on a head that has just moved, as a process does whose
    // neighbour has batches pipelined on its own predictions. With optimism alone it gives up
    // after maxAttempts and its request answers 503.
    const starved = createRedisAuditStore(
      aroundScript(await redis.newClient(), "simpulAuditAppendV4", async (_args, call) => {
        starvedCalls++;
        const answered = new Promise<void>((resolve) => {
          rivalAnswered = resolve;
        });
        void rival.append(auditRecord({ requestId: `rival-${starvedCalls}` }));
        await answered;
        return call();
      }),
      { prefix, maxAttempts: 5, onRetry: (reason) => starvedRetries.push(reason) },
    );
    await rival.append(auditRecord({ requestId: "first" }));

    const entry = await starved.append(auditRecord({ requestId: "starved" }));

    expect(entry.requestId).toBe("starved");
    // Refused twice as an ordinary race, refused a third time while taking the turn, then in.
    expect(starvedCalls).toBe(4);
    expect(
      rivalReplies,
      "the rival was turned away once, during the starved store's turn",
    ).toContain(2);
    expect(starvedRetries).toEqual(["head-moved", "head-moved", "head-moved"]);
    expect(rivalRetries).toEqual(["turn"]);
    // The rival's turned-away record went in after the starved one, when the turn was over.
    await expect.poll(() => rivalReplies.filter((reply) => reply === 1).length).toBe(5);
    const verification = await rival.verify();
    expect(verification).toEqual({ ok: true, count: 6 });
    const order: string[] = [];
    for await (const stored of rival.export()) order.push(stored.requestId);
    expect(order).toEqual(["first", "rival-1", "rival-2", "rival-3", "starved", "rival-4"]);
  });

  it("waits out a turn whose holder never appends, without counting it as contention", async () => {
    const prefix = `${redis.prefix}abandoned:`;
    const store = createRedisAuditStore(await redis.newClient(), { prefix, maxAttempts: 1 });
    await store.append(auditRecord({ requestId: "before" }));
    // A process that took the turn and died before appending.
    await connection.set(redisAuditKeys(prefix).turn, "a-process-that-died", "PX", 150);
    const started = performance.now();
    const entry = await store.append(auditRecord({ requestId: "after" }));
    const waitedMs = performance.now() - started;
    expect(entry.sequence).toBe(2);
    // Turned away until the turn expired; Redis expires keys to the millisecond.
    expect(waitedMs).toBeGreaterThanOrEqual(140);
    expect(await store.verify()).toEqual({ ok: true, count: 2 });
  });

  it("fails fast, as unavailable, when nothing listens", async () => {
    const dead = await createRedisConnection({ url: "redis://127.0.0.1:1", waitForReady: false });
    try {
      const store = createRedisAuditStore(dead, { prefix: `${redis.prefix}dead:` });
      const started = performance.now();
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, () => store.append(auditRecord())),
      );
      const elapsed = performance.now() - started;
      for (const result of results) {
        expect(result.status).toBe("rejected");
        expect((result as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
      }
      expect(elapsed, "an unreachable Redis must not hold requests").toBeLessThan(1_000);
    } finally {
      dead.disconnect();
    }
  });

  describe.skipIf(!hasRedisServerBinary())("against a paused Redis (private server)", () => {
    it("rejects within the command timeout, then recovers with the chain intact", async () => {
      const server = await startRedisServer();
      const client = await createRedisConnection({ url: server.url, commandTimeoutMs: 300 });
      const admin = await createRedisConnection({ url: server.url, commandTimeoutMs: 5_000 });
      try {
        // Batches of three: the ten appends below are four batches in flight at once.
        const store = createRedisAuditStore(client, { prefix: "paused:", maxBatch: 3 });
        await store.append(auditRecord({ requestId: "before" }));
        await admin.call("CLIENT", "PAUSE", "1500", "ALL");
        const started = performance.now();
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, () => store.append(auditRecord({ requestId: "during" }))),
        );
        const elapsed = performance.now() - started;
        expect(results.every((result) => result.status === "rejected")).toBe(true);
        expect(elapsed, "a paused Redis must cost at most about one command timeout").toBeLessThan(
          1_000,
        );
        await admin.ping(); // answered once the pause is over
        const after = await store.append(auditRecord({ requestId: "after" }));
        // The timed-out batch may still have run once Redis woke up; either way nothing is lost
        // or duplicated and the chain holds.
        expect([2, 12]).toContain(after.sequence);
        expect(await store.verify()).toEqual({ ok: true, count: after.sequence });
      } finally {
        client.disconnect();
        admin.disconnect();
        await server.stop();
      }
    });
  });
});
