/** The audit trail in Redis, shared by every gateway process (Node only). */
import { StoreUnavailableError } from "../errors.ts";
import type { RedisConnection } from "../redis/connection.ts";
import { defineScript } from "../redis/script.ts";
import {
  EMPTY_HEAD,
  exportPages,
  GENESIS_HASH,
  parseQuery,
  parseRecord,
  sealEntry,
  verifyChain,
} from "./chain.ts";
import type { AuditPage, AuditStore } from "./port.ts";
import type { AuditEntry, AuditHead, AuditRecordInput } from "./record.ts";

/*
 * Concurrency design: the chain must stay serial across processes, and each link is a SHA-256
 * that Redis cannot compute (Lua only offers redis.sha1hex; SHA-256 in Lua would be slow,
 * hand-written crypto). So each process computes hashes itself and Redis only
 * arbitrates, with an optimistic compare-and-append:
 *
 * 1. the process reads the head (sequence, hash, time) once and then keeps it from replies;
 * 2. it seals a batch of records on top of that head (numbers, times, hashes);
 * 3. one Lua script appends the batch only if the head is still what the batch was sealed on,
 *    and moves the head; otherwise it appends nothing and returns the current head, and the
 *    process reseals on it and tries again (one round trip per retry).
 *
 * Optimism alone let one process starve another: a process with batches pipelined on its own
 * predictions kept moving the head, and a process it had refused resealed on a head that had moved
 * again by the time its retry arrived, until it gave up and its requests answered 503 (four
 * processes under a closed loop of appends, `npx tsx load/micro/audit-contention.ts`). So a
 * process whose records keep being refused (a third time in a row; one or two refusals are
 * ordinary races, and handing over on each cost throughput) takes the turn: the script records it
 * (with a short expiry, so a process that dies holding it stalls no one for long) and refuses
 * everyone else's batches, head or not, until that process has appended. Its retry then finds
 * the head where the refusal reported it. A batch turned away for someone else's turn is not a
 * failed attempt; its process pauses briefly and tries again, and when the turn ends it takes the
 * next one if it is starving by then.
 *
 * Within a process appends are queued and sent as a group (group commit), gathered over an
 * event-loop turn while others are in flight, so a burst of concurrent requests costs one round
 * trip, not one each, and retries only happen when another process appended in between. Groups
 * are pipelined: the next one is sealed on the head the previous one will leave and sent without
 * waiting for its reply, so an append waits for its own round trip only, not also for the rest of
 * the one in flight when it arrived. A distributed lock would need three round trips and a lease
 * that can expire mid-write; WATCH/MULTI needs a dedicated connection per transaction and does
 * not mix with auto-pipelining. A reply lost to a timeout is never retried: the record may or may
 * not be in the trail (a script queued behind a paused Redis still runs when it wakes), and the
 * caller is told it failed, so it fails closed; the trail can over-report, never under-report.
 *
 * Durability is Redis's: run it with AOF (`appendfsync everysec` or `always`) for the audit
 * trail. With replicas, an append acknowledged just before a failover can be lost (replication
 * is asynchronous); the chain stays verifiable, but the lost tail is gone.
 */

export interface RedisAuditOptions {
  /** Prepended to every key, e.g. `simpul:`. */
  readonly prefix: string;
  /** The clock stamped on records (ms); kept non-decreasing along the chain. */
  readonly now?: () => number;
  /** Most records sealed into one script call. */
  readonly maxBatch?: number;
  /** Compare-and-append attempts before giving up under contention. */
  readonly maxAttempts?: number;
  /** Batches sent and not yet answered, at most (pipelined on the predicted head). */
  readonly maxInFlight?: number;
  /** How long a refused process keeps the turn if it does not append (ms). */
  readonly turnMs?: number;
  /**
   * Told of each batch the chain sent back to be resealed: `head-moved` when another process had
   * appended first, `turn` when another process's turn was running. For metrics: a steady stream
   * of these means the processes contend for the chain.
   */
  readonly onRetry?: (reason: AuditRetryReason) => void;
}

export type AuditRetryReason = "head-moved" | "turn";

/** Where the trail lives; the `{audit}` hash tag keeps it on one Redis Cluster node. */
export function redisAuditKeys(prefix: string) {
  const base = `${prefix}{audit}:`;
  return {
    /** Hash: seq, hash, time (ms) of the newest entry. */
    head: `${base}head`,
    /** Hash: sequence → the entry's JSON. */
    entries: `${base}entries`,
    /** Sorted set: score = time (ms), member = sequence zero-padded to 16 digits. */
    times: `${base}times`,
    /** String, expiring: the writer refused last, whose batch goes before anyone else's. */
    turn: `${base}turn`,
    /** Sorted set per client: score = member = sequence. */
    client: (clientId: string) => `${base}client:${clientId}`,
    /** Sorted set per NIK HMAC: score = member = sequence. */
    nik: (nikHmac: string) => `${base}nik:${nikHmac}`,
  };
}

/*
 * KEYS: head, entries, times, then the index keys the batch touches, then the turn.
 * ARGV: expected sequence, expected hash, count, then per record:
 *   json, hash, previous hash, time (ms), position of its client index in KEYS, and the
 *   space-separated positions of its NIK indexes (empty = none);
 *   then the writer's id, how long a turn lasts (ms), and '1' if the writer is starving (its
 *   records were refused before), which lets a refusal give it the turn.
 * The links are checked on the hashes passed beside each entry rather than by decoding its
 * JSON: both come from the same sealed object, and decoding every entry was most of the
 * script's cost (Redis CPU shares the machine with the gateway).
 * Replies {1, seq, hash, time} after appending, {0, seq, hash, time} with the current head when
 * the batch was sealed on another (a starving writer then holds the turn unless someone else does), or
 * {2, seq, hash, time} when another writer's turn is running. Everything is checked before
 * anything is written, so a refused batch leaves no trace.
 */
const APPEND_LUA = `
local head = redis.call('HMGET', KEYS[1], 'seq', 'hash', 'time')
local seq = tonumber(head[1]) or 0
local hash = head[2] or '${GENESIS_HASH}'
local time = head[3] or '0'
local count = tonumber(ARGV[3])
local writer, turnMs, starving = ARGV[4 + count * 6], ARGV[5 + count * 6], ARGV[6 + count * 6]
local turnKey = KEYS[#KEYS]
local turn = redis.call('GET', turnKey)
if seq ~= tonumber(ARGV[1]) or hash ~= ARGV[2] then
  if starving == '1' and (not turn or turn == writer) then
    redis.call('SET', turnKey, writer, 'PX', turnMs)
  end
  return {0, seq, hash, time}
end
if turn and turn ~= writer then
  return {2, seq, hash, time}
end
local expected, previous = seq, hash
for i = 0, count - 1 do
  local at = 4 + i * 6
  expected = expected + 1
  if ARGV[at + 2] ~= previous then
    return redis.error_reply('ERR audit batch is not chained on the head it claims')
  end
  if redis.call('HEXISTS', KEYS[2], expected) == 1 then
    return redis.error_reply('ERR audit sequence ' .. expected .. ' is already stored')
  end
  previous = ARGV[at + 1]
end
for i = 0, count - 1 do
  local at = 4 + i * 6
  seq = seq + 1
  redis.call('HSET', KEYS[2], seq, ARGV[at])
  redis.call('ZADD', KEYS[3], ARGV[at + 3], string.format('%016d', seq))
  local client = tonumber(ARGV[at + 4])
  if client > 0 then redis.call('ZADD', KEYS[client], seq, seq) end
  for nik in string.gmatch(ARGV[at + 5], '%d+') do redis.call('ZADD', KEYS[tonumber(nik)], seq, seq) end
  hash, time = ARGV[at + 1], ARGV[at + 3]
end
redis.call('HSET', KEYS[1], 'seq', seq, 'hash', hash, 'time', time)
if turn then redis.call('DEL', turnKey) end
return {1, seq, hash, time}
`;

/*
 * KEYS: head, entries, times, then zero, one or two index keys (client, NIK).
 * ARGV: after (cursor sequence), want (limit + 1), from ms or '', to ms (exclusive) or ''.
 * Because times never decrease along the chain, a time range is a sequence range, found with
 * one lookup at each end. With an index, the smaller one drives and the other is probed.
 * Replies {sequences, jsons}; a json is false where an entry is missing.
 */
const QUERY_LUA = `
local low = tonumber(ARGV[1]) + 1
local want = tonumber(ARGV[2])
local high = tonumber(redis.call('HGET', KEYS[1], 'seq') or '0')
if ARGV[3] ~= '' then
  local first = redis.call('ZRANGEBYSCORE', KEYS[3], ARGV[3], '+inf', 'LIMIT', 0, 1)
  if #first == 0 then return {{}, {}} end
  low = math.max(low, tonumber(first[1]))
end
if ARGV[4] ~= '' then
  local last = redis.call('ZREVRANGEBYSCORE', KEYS[3], '(' .. ARGV[4], '-inf', 'LIMIT', 0, 1)
  if #last == 0 then return {{}, {}} end
  high = math.min(high, tonumber(last[1]))
end
local sequences = {}
if low <= high then
  if #KEYS == 3 then
    for s = low, math.min(high, low + want - 1) do sequences[#sequences + 1] = s end
  else
    local driver, probe = KEYS[4], KEYS[5]
    if probe and redis.call('ZCARD', probe) < redis.call('ZCARD', driver) then
      driver, probe = probe, driver
    end
    while #sequences < want and low <= high do
      local batch = redis.call('ZRANGEBYSCORE', driver, low, high, 'LIMIT', 0, 256)
      if #batch == 0 then break end
      for _, s in ipairs(batch) do
        if not probe or redis.call('ZSCORE', probe, s) then
          sequences[#sequences + 1] = tonumber(s)
          if #sequences >= want then break end
        end
      end
      low = tonumber(batch[#batch]) + 1
    end
  end
end
if #sequences == 0 then return {{}, {}} end
return {sequences, redis.call('HMGET', KEYS[2], unpack(sequences))}
`;

interface Pending {
  /** Arrival order, kept when records are put back to be sealed again. */
  readonly order: number;
  readonly record: AuditRecordInput;
  /** Times this record's batch was refused because the chain moved under it. */
  refusals: number;
  resolve(entry: AuditEntry): void;
  reject(error: unknown): void;
}

/** A batch sealed for sending: its entries and the script's keys and arguments. */
interface SealedBatch {
  readonly entries: AuditEntry[];
  /** The head the batch leaves behind once appended. */
  readonly last: AuditHead & { timeMs: number };
  readonly keys: string[];
  readonly args: (string | number)[];
}

/** Refusals after which a record's process claims the turn (earlier ones are ordinary races). */
const STARVING_AFTER_REFUSALS = 2;

const unavailable = (error: unknown) =>
  error instanceof StoreUnavailableError
    ? error
    : new StoreUnavailableError("audit", (error as Error).message, { cause: error });

function parseHead(reply: readonly unknown[]): AuditHead & { timeMs: number } {
  const sequence = Number(reply[1]);
  const timeMs = Number(reply[3] ?? 0);
  return {
    sequence,
    hash: String(reply[2]),
    timeMs,
    ...(sequence > 0 ? { time: new Date(timeMs).toISOString() } : {}),
  };
}

/**
 * The Redis implementation of {@link AuditStore}: one chain shared by any number of gateway
 * processes, appended in batches by a compare-and-append Lua script.
 *
 * @example
 * const audit = createRedisAuditStore(await createRedisConnection({ url }), { prefix: "simpul:" });
 * const entry = await audit.append(record);
 */
export function createRedisAuditStore(
  redis: RedisConnection,
  options: RedisAuditOptions,
): AuditStore {
  const keys = redisAuditKeys(options.prefix);
  const now = options.now ?? Date.now;
  const maxBatch = options.maxBatch ?? 64;
  const maxAttempts = options.maxAttempts ?? 50;
  const appendScript = defineScript(redis, "simpulAuditAppendV4", APPEND_LUA);
  const queryScript = defineScript(redis, "simpulAuditQueryV1", QUERY_LUA);
  const maxInFlight = options.maxInFlight ?? 8;
  const turnMs = options.turnMs ?? 100;
  /** This store's name in the turn: unique per process, as each process has its own store. */
  const writer = crypto.randomUUID();
  const pending: Pending[] = [];
  let arrivals = 0;
  /** Puts records back at the head of the queue, every record in arrival order. */
  const requeue = (items: readonly Pending[]) => {
    pending.unshift(...items);
    pending.sort((a, b) => a.order - b.order);
  };

  /*
   * The head the next batch is sealed on: the newest entry this process has sealed and sent
   * (predicted) or was told of by Redis (confirmed); undefined after a failure, when nothing is
   * known and the head is read again. Batches are pipelined on it: each goes out as soon as it is
   * sealed, without waiting for the one before to be answered, and Redis runs them in order on
   * the one connection. When one is refused because another process moved the head, every batch
   * behind it was sealed on top of it and is refused too; nothing new is sent until all of them
   * are answered, and then all are resealed, oldest first, on the head Redis reported.
   */
  let sealOn: (AuditHead & { timeMs: number }) | undefined;
  let inFlight = 0;
  let pumping = false;
  /** Refused or failed batches are settling: send nothing until every reply is in. */
  let settling = false;
  /** Records of refused batches, in the order they were sent, to reseal once settled. */
  const refused: Pending[] = [];
  /** Some of them were turned away for another process's turn: pause before resealing. */
  let yielded = false;
  /** The failure that is settling, if one is: refusals behind it are failed with it, not retried. */
  let failure: StoreUnavailableError | undefined;

  const readHead = async () => {
    const [sequence, hash, time] = await redis.hmget(keys.head, "seq", "hash", "time");
    return parseHead([0, sequence ?? 0, hash ?? GENESIS_HASH, time ?? 0]);
  };

  const seal = async (
    records: readonly AuditRecordInput[],
    base: AuditHead & { timeMs: number },
    starving: boolean,
  ): Promise<SealedBatch> => {
    const entries: AuditEntry[] = [];
    let previous: AuditHead = base;
    let timeMs = base.timeMs;
    const indexKeys: string[] = [];
    const positions = new Map<string, number>();
    const args: (string | number)[] = [base.sequence, base.hash, records.length];
    const position = (key: string) => {
      let at = positions.get(key);
      if (at === undefined) {
        at = 4 + indexKeys.push(key) - 1;
        positions.set(key, at);
      }
      return at;
    };
    for (const record of records) {
      timeMs = Math.max(now(), timeMs);
      const entry = await sealEntry(record, previous, timeMs);
      entries.push(entry);
      const nikPositions = new Set<number>();
      if (entry.nikHmac) nikPositions.add(position(keys.nik(entry.nikHmac)));
      for (const nikHmac of entry.nikHmacs ?? []) nikPositions.add(position(keys.nik(nikHmac)));
      args.push(
        JSON.stringify(entry),
        entry.hash,
        entry.previousHash,
        timeMs,
        position(keys.client(entry.clientId)),
        [...nikPositions].join(" "),
      );
      previous = entry;
    }
    args.push(writer, turnMs, starving ? 1 : 0);
    return {
      entries,
      last: { sequence: previous.sequence, hash: previous.hash, timeMs },
      keys: [keys.head, keys.entries, keys.times, ...indexKeys, keys.turn],
      args,
    };
  };

  const pump = () => {
    if (pumping || settling) return;
    pumping = true;
    /*
     * With nothing in flight, a record goes out at once (a microtask, so the appends of one
     * callback still travel together): a lone request waits for nothing. With batches in flight,
     * the rest of the event-loop turn is gathered first (setImmediate), so the appends of every
     * request the turn handled travel as one batch; under load a microtask sent almost every
     * record alone, one script call and socket write each. Measured against the commit before
     * (`load/compare.ts`, load/PROFILE.md fourth round): 0.86 × the CPU per lookup, 1.14 × the
     * lookups per second.
     */
    if (inFlight === 0) queueMicrotask(() => void send());
    else setImmediate(() => void send());
  };

  const send = async () => {
    try {
      while (pending.length > 0 && inFlight < maxInFlight && !settling) {
        if (sealOn === undefined) {
          try {
            sealOn = await readHead();
          } catch (error) {
            // Everything queued would hit the same Redis; fail it now, not one timeout each.
            for (const item of pending.splice(0)) item.reject(unavailable(error));
            return;
          }
        }
        const base = sealOn;
        const batch = pending.splice(0, maxBatch);
        let sealed: SealedBatch;
        try {
          sealed = await seal(
            batch.map((item) => item.record),
            base,
            batch.some((item) => item.refusals >= STARVING_AFTER_REFUSALS),
          );
        } catch (error) {
          for (const item of batch) item.reject(unavailable(error));
          continue;
        }
        // A reply that came in while sealing (hashing can yield) may have moved or voided the
        // head this batch was sealed on: put it back and seal it again on what is known now.
        if (settling || sealOn !== base) {
          requeue(batch);
          continue;
        }
        sealOn = sealed.last;
        inFlight++;
        const { entries } = sealed;
        try {
          appendScript(sealed.keys, sealed.args).then(
            (reply) => settle(batch, entries, reply as unknown[]),
            (error: unknown) => settle(batch, entries, undefined, error),
          );
        } catch (error) {
          settle(batch, entries, undefined, error);
        }
      }
    } finally {
      pumping = false;
    }
  };

  const settle = (
    batch: Pending[],
    entries: readonly AuditEntry[],
    reply: unknown[] | undefined,
    error?: unknown,
  ) => {
    inFlight--;
    if (reply !== undefined && reply[0] === 1) {
      for (const [i, item] of batch.entries()) item.resolve(entries[i] as AuditEntry);
      // Confirmed; while nothing is settling, later batches already moved it further.
      if (settling && failure === undefined) sealOn = parseHead(reply);
    } else if (reply !== undefined) {
      // Refused: another process appended first, or holds the turn. Retried below unless a
      // failure is settling; only the first kind counts towards giving up.
      settling = true;
      if (failure === undefined) sealOn = parseHead(reply);
      const turnedAway = reply[0] === 2;
      yielded ||= turnedAway;
      options.onRetry?.(turnedAway ? "turn" : "head-moved");
      for (const item of batch) {
        if (!turnedAway) item.refusals++;
        refused.push(item);
      }
    } else {
      // A lost reply is never retried: the record may or may not be in the trail, the caller is
      // told it failed (fails closed), and the head is read again before the next batch.
      settling = true;
      failure ??= unavailable(error);
      sealOn = undefined;
      for (const item of [...batch, ...pending.splice(0)]) item.reject(failure);
    }
    if (inFlight === 0 && settling) void resume();
    else pump();
  };

  /** Every in-flight reply is in: reseal the refused records, oldest first, then go on. */
  const resume = async () => {
    const again = refused.splice(0);
    const settledFailure = failure;
    failure = undefined;
    if (settledFailure !== undefined) {
      sealOn = undefined;
      for (const item of again) item.reject(settledFailure);
    }
    const retry: Pending[] = [];
    let rounds = 0;
    for (const item of settledFailure === undefined ? again : []) {
      if (item.refusals >= maxAttempts) {
        item.reject(
          new StoreUnavailableError(
            "audit",
            `the chain moved under ${maxAttempts} consecutive appends (contention)`,
          ),
        );
      } else {
        retry.push(item);
        rounds = Math.max(rounds, item.refusals);
      }
    }
    // Past a few rounds, a jittered pause breaks lockstep with the other processes. Turned away
    // for another's turn, wait a moment for it to append rather than ask again at once; the
    // turn expires, so these waits end even if its holder is gone.
    const pauseMs = Math.max(rounds > 3 ? Math.random() * rounds : 0, yielded ? 1 : 0);
    yielded = false;
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    requeue(retry);
    settling = false;
    pump();
  };

  const query: AuditStore["query"] = async (request) => {
    const { after, limit, fromMs, toMs } = parseQuery(request);
    const indexKeys = [
      ...(request.clientId === undefined ? [] : [keys.client(request.clientId)]),
      ...(request.nikHmac === undefined ? [] : [keys.nik(request.nikHmac)]),
    ];
    let reply: [number[], (string | null)[]];
    try {
      reply = (await queryScript(
        [keys.head, keys.entries, keys.times, ...indexKeys],
        [after, limit + 1, fromMs ?? "", toMs ?? ""],
      )) as [number[], (string | null)[]];
    } catch (error) {
      throw unavailable(error);
    }
    const [sequences, stored] = reply;
    const entries = stored
      .slice(0, limit)
      .flatMap((json) => (json === null ? [] : [JSON.parse(json) as AuditEntry]));
    const page: AuditPage =
      sequences.length > limit
        ? { entries, nextCursor: String(sequences[limit - 1]) }
        : { entries };
    return page;
  };

  const head = async (): Promise<AuditHead> => {
    try {
      const { timeMs: _timeMs, ...current } = await readHead();
      return current.sequence === 0 ? EMPTY_HEAD : current;
    } catch (error) {
      throw unavailable(error);
    }
  };

  return {
    async append(record) {
      const parsed = parseRecord(record);
      return new Promise<AuditEntry>((resolve, reject) => {
        pending.push({ order: arrivals++, record: parsed, refusals: 0, resolve, reject });
        pump();
      });
    },
    query,
    export: (filter = {}) => exportPages(query, filter),
    async verify(range = {}) {
      try {
        return await verifyChain({
          ...range,
          head: await head(),
          read: (sequences) => redis.hmget(keys.entries, ...sequences.map(String)),
        });
      } catch (error) {
        throw unavailable(error);
      }
    },
    head,
  };
}
