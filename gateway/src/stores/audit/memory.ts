/** An in-process audit trail: the embedded default and the reference for the contract suite. */
import {
  EMPTY_HEAD,
  exportPages,
  parseQuery,
  parseRecord,
  sealEntry,
  verifyChain,
} from "./chain.ts";
import type { AuditPage, AuditStore } from "./port.ts";
import type { AuditEntry, AuditHead } from "./record.ts";

export interface MemoryAuditOptions {
  readonly now?: () => number;
  /**
   * Where entries live, by sequence number. It must start empty. Tests pass their own map to
   * tamper with stored entries the way someone with access to the process memory could.
   */
  readonly entries?: Map<number, AuditEntry>;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}

/** First index in the ascending `values` whose value is at least `target`. */
function lowerBound(values: readonly number[], target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] ?? 0) < target) low = middle + 1;
    else high = middle;
  }
  return low;
}

export function createMemoryAuditStore(options: MemoryAuditOptions = {}): AuditStore {
  const now = options.now ?? Date.now;
  const entries = options.entries ?? new Map<number, AuditEntry>();
  if (entries.size > 0) throw new Error("the memory audit store must start from an empty map");
  let head: AuditHead = EMPTY_HEAD;
  // times[i] is the append time (ms) of sequence i + 1; non-decreasing by construction.
  const times: number[] = [];
  const byClient = new Map<string, number[]>();
  const byNik = new Map<string, number[]>();
  // Hashing is asynchronous (WebCrypto), so appends are chained to keep them strictly serial.
  let tail: Promise<unknown> = Promise.resolve();

  const index = (map: Map<string, number[]>, key: string | undefined, sequence: number) => {
    if (key === undefined) return;
    const list = map.get(key);
    if (list === undefined) map.set(key, [sequence]);
    else list.push(sequence);
  };

  const query: AuditStore["query"] = async (request) => {
    const { after, limit, fromMs, toMs } = parseQuery(request);
    let low = after + 1;
    let high = head.sequence;
    if (fromMs !== undefined) low = Math.max(low, lowerBound(times, fromMs) + 1);
    if (toMs !== undefined) high = Math.min(high, lowerBound(times, toMs));
    const found: AuditEntry[] = [];
    const take = (sequence: number) => {
      const entry = entries.get(sequence);
      if (entry === undefined) return;
      if (request.clientId !== undefined && entry.clientId !== request.clientId) return;
      if (
        request.nikHmac !== undefined &&
        entry.nikHmac !== request.nikHmac &&
        !entry.nikHmacs?.includes(request.nikHmac)
      ) {
        return;
      }
      found.push(entry);
    };
    const driver =
      request.clientId !== undefined
        ? (byClient.get(request.clientId) ?? [])
        : request.nikHmac !== undefined
          ? (byNik.get(request.nikHmac) ?? [])
          : undefined;
    if (driver === undefined) {
      for (let sequence = low; sequence <= high && found.length <= limit; sequence++)
        take(sequence);
    } else {
      for (let i = lowerBound(driver, low); i < driver.length && found.length <= limit; i++) {
        const sequence = driver[i] ?? Number.POSITIVE_INFINITY;
        if (sequence > high) break;
        take(sequence);
      }
    }
    const page: AuditPage =
      found.length > limit
        ? { entries: found.slice(0, limit), nextCursor: String(found[limit - 1]?.sequence) }
        : { entries: found };
    return page;
  };

  return {
    async append(record) {
      const parsed = parseRecord(record);
      const appended = tail.then(async () => {
        const timeMs = Math.max(now(), times.at(-1) ?? 0);
        const entry = deepFreeze(await sealEntry(parsed, head, timeMs));
        entries.set(entry.sequence, entry);
        times.push(timeMs);
        index(byClient, entry.clientId, entry.sequence);
        index(byNik, entry.nikHmac, entry.sequence);
        for (const nikHmac of new Set(entry.nikHmacs ?? [])) index(byNik, nikHmac, entry.sequence);
        head = { sequence: entry.sequence, hash: entry.hash, time: entry.time };
        return entry;
      });
      tail = appended.catch(() => {});
      return appended;
    },
    query,
    export: (filter = {}) => exportPages(query, filter),
    async verify(range = {}) {
      await tail;
      return verifyChain({
        ...range,
        head,
        read: async (sequences) => sequences.map((sequence) => entries.get(sequence)),
      });
    },
    async head() {
      await tail;
      return head;
    },
  };
}
