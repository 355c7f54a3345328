/** Sealing and checking hash-chain links, shared by every audit store (WebCrypto only). */

import { precompiled } from "../../../../schemas/src/precompiled.ts";
import { sha256Hex } from "../../crypto/digest.ts";
import { canonicalJson } from "./canonical-json.ts";
import type { AuditFilter, AuditQuery, AuditVerification, AuditVerifyRange } from "./port.ts";
import { MAX_AUDIT_PAGE } from "./port.ts";
import {
  type AuditEntry,
  type AuditHead,
  type AuditRecordInput,
  AuditRecordInputSchema,
} from "./record.ts";
import { validateAuditRecordInput } from "./record-validator.generated.ts";

export const GENESIS_HASH = "0".repeat(64);
export const EMPTY_HEAD: AuditHead = { sequence: 0, hash: GENESIS_HASH };

const checkRecord = precompiled(validateAuditRecordInput, AuditRecordInputSchema);

/** Validates a record before it is queued, so one bad record never fails a whole batch. */
export function parseRecord(record: AuditRecordInput): AuditRecordInput {
  const result = checkRecord(record);
  if (!result.success) throw result.error;
  return result.data;
}

/** SHA-256 over the canonical JSON of every field but `hash` (which includes `previousHash`). */
export function hashEntry(entry: Readonly<Record<string, unknown>>): Promise<string> {
  const { hash: _hash, ...content } = entry;
  return sha256Hex(canonicalJson(content));
}

/** Numbers, timestamps and hashes a validated record as the entry after `previous`. */
export async function sealEntry(
  record: AuditRecordInput,
  previous: AuditHead,
  timeMs: number,
): Promise<AuditEntry> {
  // Built in one object, in the stored order: sequence, time, the record, previousHash, hash.
  const entry: Record<string, unknown> = {
    sequence: previous.sequence + 1,
    time: new Date(timeMs).toISOString(),
  };
  for (const key in record) {
    const value = record[key as keyof AuditRecordInput];
    if (value !== undefined) entry[key] = value;
  }
  entry.previousHash = previous.hash;
  entry.hash = await sha256Hex(canonicalJson(entry));
  return entry as unknown as AuditEntry;
}

type Link = { ok: true; hash: string } | { ok: false; reason: "MISSING" | "MALFORMED" };

function readLink(raw: unknown): Link & { entry?: Record<string, unknown> } {
  if (raw === undefined || raw === null) return { ok: false, reason: "MISSING" };
  let value = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      return { ok: false, reason: "MALFORMED" };
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, reason: "MALFORMED" };
  }
  const entry = value as Record<string, unknown>;
  if (
    !Number.isSafeInteger(entry.sequence) ||
    typeof entry.hash !== "string" ||
    typeof entry.previousHash !== "string"
  ) {
    return { ok: false, reason: "MALFORMED" };
  }
  return { ok: true, hash: entry.hash, entry };
}

export interface VerifyChainOptions extends AuditVerifyRange {
  readonly head: AuditHead;
  /** The stored form (object or JSON text; undefined/null when absent) of each sequence. */
  read(sequences: readonly number[]): Promise<readonly unknown[]>;
  readonly chunk?: number;
}

/** Walks the chain from `from` to `to`, recomputing every hash and link. */
export async function verifyChain(options: VerifyChainOptions): Promise<AuditVerification> {
  const { head } = options;
  const from = Math.max(1, options.from ?? 1);
  const to = Math.min(options.to ?? head.sequence, head.sequence);
  const chunk = options.chunk ?? 500;
  if (from > to) return { ok: true, count: 0 };
  // Mid-chain, the entry before the range anchors it; if that one is itself damaged, the first
  // entry's link is taken on trust and only the range is judged.
  let previousHash: string | undefined = GENESIS_HASH;
  if (from > 1) {
    const [before] = await options.read([from - 1]);
    const link = readLink(before);
    previousHash = link.ok && link.entry?.sequence === from - 1 ? link.hash : undefined;
  }
  let count = 0;
  for (let start = from; start <= to; start += chunk) {
    const sequences = Array.from({ length: Math.min(chunk, to - start + 1) }, (_, i) => start + i);
    const stored = await options.read(sequences);
    for (const [index, sequence] of sequences.entries()) {
      const link = readLink(stored[index]);
      const bad = (reason: Exclude<AuditVerification, { ok: true }>["reason"]) =>
        ({ ok: false, firstBadSequence: sequence, reason, count }) as const;
      if (!link.ok || link.entry === undefined) return bad(link.ok ? "MALFORMED" : link.reason);
      if (link.entry.sequence !== sequence) return bad("REORDERED");
      if ((await hashEntry(link.entry)) !== link.hash) return bad("ALTERED");
      if (previousHash !== undefined && link.entry.previousHash !== previousHash) {
        return bad("BROKEN_LINK");
      }
      previousHash = link.hash;
      count++;
    }
  }
  if (to === head.sequence && previousHash !== head.hash) {
    return { ok: false, firstBadSequence: head.sequence, reason: "HEAD_MISMATCH", count };
  }
  return { ok: true, count };
}

export interface ParsedQuery {
  readonly after: number;
  readonly limit: number;
  readonly fromMs?: number;
  readonly toMs?: number;
}

function parseInstant(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`${name} must be an ISO 8601 instant, got "${value}"`);
  return ms;
}

/** Checks a query's limit, cursor and time bounds the same way for every store. */
export function parseQuery(query: AuditQuery): ParsedQuery {
  if (!Number.isSafeInteger(query.limit) || query.limit < 1 || query.limit > MAX_AUDIT_PAGE) {
    throw new RangeError(`limit must be an integer from 1 to ${MAX_AUDIT_PAGE}`);
  }
  if (query.cursor !== undefined && !/^(0|[1-9][0-9]{0,15})$/.test(query.cursor)) {
    throw new RangeError("cursor is not one this store issued");
  }
  const fromMs = parseInstant("from", query.from);
  const toMs = parseInstant("to", query.to);
  return {
    after: query.cursor === undefined ? 0 : Number(query.cursor),
    limit: query.limit,
    ...(fromMs === undefined ? {} : { fromMs }),
    ...(toMs === undefined ? {} : { toMs }),
  };
}

/** Pages through `query` until the last page: the shared body of `AuditStore.export`. */
export async function* exportPages(
  query: (query: AuditQuery) => Promise<{ entries: readonly AuditEntry[]; nextCursor?: string }>,
  filter: AuditFilter,
  pageSize = 500,
): AsyncIterable<AuditEntry> {
  let cursor: string | undefined;
  do {
    const page = await query({ ...filter, limit: pageSize, ...(cursor ? { cursor } : {}) });
    yield* page.entries;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
}
