/** The audit-trail store port: an append-only, hash-chained log that oversight can query and check. */
import type { AuditEntry, AuditHead, AuditRecordInput } from "./record.ts";

export interface AuditFilter {
  readonly clientId?: string;
  readonly nikHmac?: string;
  /** ISO 8601 instant, inclusive. */
  readonly from?: string;
  /** ISO 8601 instant, exclusive. */
  readonly to?: string;
}

export interface AuditQuery extends AuditFilter {
  /** 1 to {@link MAX_AUDIT_PAGE}. */
  readonly limit: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

export interface AuditPage {
  /** Oldest first (ascending sequence). */
  readonly entries: readonly AuditEntry[];
  /** Present when more entries match; pass it back as `cursor`. */
  readonly nextCursor?: string;
}

/** A range of sequence numbers, both inclusive; defaults to the whole trail. */
export interface AuditVerifyRange {
  readonly from?: number;
  readonly to?: number;
}

/**
 * Why verification stopped, at the first bad sequence number:
 * - `MISSING`: no entry is stored at that number (deleted, or the trail was truncated);
 * - `MALFORMED`: what is stored there is not an entry at all;
 * - `REORDERED`: the entry stored there carries another sequence number (entries were moved);
 * - `ALTERED`: the entry's content no longer matches its own hash (a field was edited);
 * - `BROKEN_LINK`: the entry is self-consistent but does not point at the entry before it
 *   (an entry was forged and rehashed, inserted, or replaced);
 * - `HEAD_MISMATCH`: the newest entry is not the one the head records.
 */
export type AuditVerifyFailureReason =
  | "MISSING"
  | "MALFORMED"
  | "REORDERED"
  | "ALTERED"
  | "BROKEN_LINK"
  | "HEAD_MISMATCH";

export type AuditVerification =
  | { readonly ok: true; readonly count: number }
  | {
      readonly ok: false;
      readonly firstBadSequence: number;
      readonly reason: AuditVerifyFailureReason;
      /** Entries that verified before the bad one. */
      readonly count: number;
    };

export interface AuditStore {
  /**
   * Appends one record and resolves with it numbered, timestamped and chained. Appends are
   * serial: concurrent calls (from this process or, for shared stores, from several) produce one
   * gap-free chain. Rejects with `StoreUnavailableError` when the record could not be written;
   * the caller must then not release personal data (fail closed).
   */
  append(record: AuditRecordInput): Promise<AuditEntry>;
  /** A page of matching entries, oldest first. */
  query(query: AuditQuery): Promise<AuditPage>;
  /** Every matching entry, oldest first, fetched page by page (for NDJSON export). */
  export(filter?: AuditFilter): AsyncIterable<AuditEntry>;
  /** Recomputes the chain over `range` and names the first entry that does not hold. */
  verify(range?: AuditVerifyRange): Promise<AuditVerification>;
  /** The newest entry's sequence and hash. */
  head(): Promise<AuditHead>;
}

export const MAX_AUDIT_PAGE = 1_000;
