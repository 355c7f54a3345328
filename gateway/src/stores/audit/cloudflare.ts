/** The audit trail on Cloudflare Workers: one Durable Object holds the chain and appends serially. */
import { DurableObject } from "cloudflare:workers";
import { StoreUnavailableError } from "../errors.ts";
import {
  EMPTY_HEAD,
  exportPages,
  GENESIS_HASH,
  parseQuery,
  parseRecord,
  sealEntry,
  verifyChain,
} from "./chain.ts";
import type {
  AuditPage,
  AuditQuery,
  AuditStore,
  AuditVerification,
  AuditVerifyRange,
} from "./port.ts";
import type { AuditEntry, AuditHead, AuditRecordInput } from "./record.ts";

/*
 * Concurrency design: the whole chain lives in ONE Durable Object (SQLite storage), so there is
 * exactly one writer and no compare-and-append is needed. Inside the object, appends are queued
 * on a promise chain because sealing awaits WebCrypto (SHA-256), and an await lets the next call
 * in; each batch is written in one SQL transaction and the head moves only after it committed.
 * Replies leave only when the write is durable (the output gate).
 *
 * Each request's appends of a moment go in one call (group commit), so a batch check of 1,000
 * NIKs costs one or two subrequests for its audit records, not 1,000.
 *
 * Limits: one object is single-threaded, so the trail sustains what one object can hash and
 * write (thousands of records a second, measured in `load/`); SQLite storage per object is
 * 10 GB, about 20 million records: rotate trails (a new object name per period) before that.
 */

/** A record and, for tests only, the time it should be stamped with (ms). */
export interface AuditAppendItem {
  readonly record: AuditRecordInput;
  readonly atMs?: number;
}

interface HeadRow extends AuditHead {
  readonly timeMs: number;
}

export interface AuditTrailEnv {
  /** Tampering (for the contract suite's tamper tests) is allowed only when this is `test`. */
  readonly SIMPUL_ENV?: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS entries (
  seq INTEGER PRIMARY KEY,
  time_ms INTEGER NOT NULL,
  client_id TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_by_time ON entries (time_ms, seq);
CREATE INDEX IF NOT EXISTS entries_by_client ON entries (client_id, seq);
-- Every NIK digest an entry lists (its nikHmac, or each of a batch chunk's nikHmacs).
CREATE TABLE IF NOT EXISTS entry_niks (
  nik_hmac TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (nik_hmac, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL,
  time_ms INTEGER NOT NULL
);
`;

/** The Durable Object behind {@link createCloudflareAuditStore}; one instance per trail. */
export class AuditTrail extends DurableObject<AuditTrailEnv> {
  #head: HeadRow;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: AuditTrailEnv) {
    super(ctx, env);
    ctx.storage.sql.exec(SCHEMA);
    const row = ctx.storage.sql
      .exec<{ seq: number; hash: string; time_ms: number }>("SELECT seq, hash, time_ms FROM head")
      .toArray()[0];
    this.#head =
      row === undefined
        ? { ...EMPTY_HEAD, timeMs: 0 }
        : {
            sequence: row.seq,
            hash: row.hash,
            timeMs: row.time_ms,
            time: new Date(row.time_ms).toISOString(),
          };
  }

  /** Seals `items` on the head, in order, and stores them in one transaction. */
  append(items: readonly AuditAppendItem[]): Promise<AuditEntry[]> {
    const records = items.map((item) => ({ record: parseRecord(item.record), atMs: item.atMs }));
    const appended = this.#tail.then(async () => {
      const entries: AuditEntry[] = [];
      const times: number[] = [];
      let previous: AuditHead = this.#head;
      let timeMs = this.#head.timeMs;
      for (const { record, atMs } of records) {
        timeMs = Math.max(atMs ?? Date.now(), timeMs);
        const entry = await sealEntry(record, previous, timeMs);
        entries.push(entry);
        times.push(timeMs);
        previous = entry;
      }
      const last = entries.at(-1);
      if (last === undefined) return entries;
      const sql = this.ctx.storage.sql;
      this.ctx.storage.transactionSync(() => {
        entries.forEach((entry, i) => {
          sql.exec(
            "INSERT INTO entries (seq, time_ms, client_id, body) VALUES (?, ?, ?, ?)",
            entry.sequence,
            times[i] ?? timeMs,
            entry.clientId,
            JSON.stringify(entry),
          );
          const digests = new Set([
            ...(entry.nikHmac === undefined ? [] : [entry.nikHmac]),
            ...(entry.nikHmacs ?? []),
          ]);
          for (const digest of digests) {
            sql.exec(
              "INSERT INTO entry_niks (nik_hmac, seq) VALUES (?, ?)",
              digest,
              entry.sequence,
            );
          }
        });
        sql.exec(
          "INSERT OR REPLACE INTO head (id, seq, hash, time_ms) VALUES (1, ?, ?, ?)",
          last.sequence,
          last.hash,
          timeMs,
        );
      });
      this.#head = { sequence: last.sequence, hash: last.hash, time: last.time, timeMs };
      return entries;
    });
    this.#tail = appended.catch(() => {});
    return appended;
  }

  async query(request: AuditQuery): Promise<AuditPage> {
    const { after, limit, fromMs, toMs } = parseQuery(request);
    const sql = this.ctx.storage.sql;
    let low = after + 1;
    let high = this.#head.sequence;
    // Times never decrease along the chain, so a time range is a sequence range.
    if (fromMs !== undefined) {
      const first = sql
        .exec<{ seq: number }>(
          "SELECT seq FROM entries WHERE time_ms >= ? ORDER BY time_ms, seq LIMIT 1",
          fromMs,
        )
        .toArray()[0];
      if (first === undefined) return { entries: [] };
      low = Math.max(low, first.seq);
    }
    if (toMs !== undefined) {
      const last = sql
        .exec<{ seq: number }>(
          "SELECT seq FROM entries WHERE time_ms < ? ORDER BY time_ms DESC, seq DESC LIMIT 1",
          toMs,
        )
        .toArray()[0];
      if (last === undefined) return { entries: [] };
      high = Math.min(high, last.seq);
    }
    if (low > high) return { entries: [] };
    const filters = ["seq BETWEEN ? AND ?"];
    const bindings: (string | number)[] = [low, high];
    if (request.clientId !== undefined) {
      filters.push("client_id = ?");
      bindings.push(request.clientId);
    }
    if (request.nikHmac !== undefined) {
      filters.push("seq IN (SELECT seq FROM entry_niks WHERE nik_hmac = ?)");
      bindings.push(request.nikHmac);
    }
    const rows = sql
      .exec<{ seq: number; body: string }>(
        `SELECT seq, body FROM entries WHERE ${filters.join(" AND ")} ORDER BY seq LIMIT ?`,
        ...bindings,
        limit + 1,
      )
      .toArray();
    const entries = rows.slice(0, limit).map((row) => JSON.parse(row.body) as AuditEntry);
    return rows.length > limit
      ? { entries, nextCursor: String(rows[limit - 1]?.seq) }
      : { entries };
  }

  async verify(range: AuditVerifyRange = {}): Promise<AuditVerification> {
    await this.#tail;
    const sql = this.ctx.storage.sql;
    return verifyChain({
      ...range,
      head: this.#head,
      read: async (sequences) => {
        const first = sequences[0];
        const last = sequences.at(-1);
        if (first === undefined || last === undefined) return [];
        const bodies = new Map(
          sql
            .exec<{ seq: number; body: string }>(
              "SELECT seq, body FROM entries WHERE seq BETWEEN ? AND ?",
              first,
              last,
            )
            .toArray()
            .map((row) => [row.seq, row.body]),
        );
        return sequences.map((sequence) => bodies.get(sequence));
      },
    });
  }

  async head(): Promise<AuditHead> {
    await this.#tail;
    const { timeMs: _timeMs, ...head } = this.#head;
    return head.sequence === 0 ? { sequence: 0, hash: GENESIS_HASH } : head;
  }

  /** Test environment only: what someone with write access to the storage could do. */
  async tamper(
    action:
      | { readonly edit: number; readonly changes: Readonly<Record<string, unknown>> }
      | { readonly remove: number }
      | { readonly swap: readonly [number, number] },
  ): Promise<void> {
    if (this.env.SIMPUL_ENV !== "test") throw new Error("tampering is a test-only operation");
    const sql = this.ctx.storage.sql;
    const body = (sequence: number) => {
      const row = sql
        .exec<{ body: string }>("SELECT body FROM entries WHERE seq = ?", sequence)
        .toArray()[0];
      if (row === undefined) throw new Error(`no entry ${sequence} to tamper with`);
      return row.body;
    };
    const write = (sequence: number, text: string) =>
      sql.exec("UPDATE entries SET body = ? WHERE seq = ?", text, sequence);
    if ("edit" in action) {
      write(action.edit, JSON.stringify({ ...JSON.parse(body(action.edit)), ...action.changes }));
    } else if ("remove" in action) {
      sql.exec("DELETE FROM entries WHERE seq = ?", action.remove);
    } else {
      const [a, b] = action.swap;
      const [first, second] = [body(a), body(b)];
      write(a, second);
      write(b, first);
    }
  }
}

export interface CloudflareAuditOptions {
  /** The trail's object name (`idFromName`); one chain per name. Default `audit-trail`. */
  readonly trail?: string;
  /** Tests only: the clock records are stamped with (ms); default the object's own clock. */
  readonly now?: () => number;
  /** Most records sent in one call. */
  readonly maxBatch?: number;
}

interface Pending {
  readonly item: AuditAppendItem;
  resolve(entry: AuditEntry): void;
  reject(error: unknown): void;
}

const unavailable = (error: unknown) =>
  error instanceof StoreUnavailableError
    ? error
    : new StoreUnavailableError("audit", (error as Error).message, { cause: error });

/**
 * The Workers implementation of {@link AuditStore}, over the {@link AuditTrail} object.
 *
 * @example
 * const audit = createCloudflareAuditStore(env.AUDIT);
 * const entry = await audit.append(record);
 */
export function createCloudflareAuditStore(
  namespace: DurableObjectNamespace<AuditTrail>,
  options: CloudflareAuditOptions = {},
): AuditStore {
  const trail = () => namespace.get(namespace.idFromName(options.trail ?? "audit-trail"));
  const maxBatch = options.maxBatch ?? 1_000;
  // Batches never mix requests: a Workers request must not wait on another request's I/O (the
  // runtime cancels it as hung), so appends are grouped by the request that made them.
  const batches = new Map<string, Pending[]>();

  const flush = async (key: string) => {
    const pending = batches.get(key) ?? [];
    batches.delete(key);
    while (pending.length > 0) {
      const batch = pending.splice(0, maxBatch);
      try {
        const entries = (await trail().append(batch.map((p) => p.item))) as AuditEntry[];
        for (const [i, p] of batch.entries()) p.resolve(entries[i] as AuditEntry);
      } catch (error) {
        const failure = unavailable(error);
        for (const p of [...batch, ...pending.splice(0)]) p.reject(failure);
      }
    }
  };

  const call = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      // Bad arguments are the caller's fault, not an outage.
      if (error instanceof RangeError) throw error;
      throw unavailable(error);
    }
  };

  const query: AuditStore["query"] = async (request) => {
    parseQuery(request);
    return call(async () => (await trail().query(request)) as AuditPage);
  };

  return {
    async append(record) {
      const item: AuditAppendItem = {
        record: parseRecord(record),
        ...(options.now ? { atMs: options.now() } : {}),
      };
      const key = `${item.record.clientId}\u0000${item.record.requestId}`;
      return new Promise<AuditEntry>((resolve, reject) => {
        const batch = batches.get(key);
        if (batch !== undefined) {
          batch.push({ item, resolve, reject });
          return;
        }
        batches.set(key, [{ item, resolve, reject }]);
        // A macrotask, not a microtask: a batch check's records (each awaiting its NIK HMAC)
        // gather into one call instead of trickling out one by one.
        setTimeout(() => void flush(key), 0);
      });
    },
    query,
    export: (filter = {}) => exportPages(query, filter),
    verify: (range = {}) => call(async () => (await trail().verify(range)) as AuditVerification),
    head: () => call(async () => (await trail().head()) as AuditHead),
  };
}

/** Test environment only: the tamper operations of the contract suite, through the object. */
export function tamperCloudflareAuditTrail(
  namespace: DurableObjectNamespace<AuditTrail>,
  trail: string,
  action: Parameters<AuditTrail["tamper"]>[0],
): Promise<void> {
  return namespace.get(namespace.idFromName(trail)).tamper(action);
}
