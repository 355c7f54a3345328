/** What one audit record says: who asked for whose data, why, from which sources, and what left. */
import { z } from "zod";

/** What the gateway did with the request, from the data subject's point of view. */
export const AUDIT_OUTCOMES = [
  "RELEASED", // personal data (or a verdict about it) was sent to the client
  "PARTIAL", // a batch where only some NIKs produced data
  "NOT_FOUND", // the sources had no such person; nothing personal was sent
  // refused (scope, purpose, grant, rate limit); nothing personal was sent. Sources are listed
  // when they were asked while the rate limit was being decided (middleware/known-room.ts).
  "DENIED",
  "FAILED", // a source or the gateway failed; nothing personal was sent
] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** How each ministry source consulted for the request answered. */
export const SOURCE_STATUSES = [
  "OK",
  "NOT_FOUND",
  "UNAVAILABLE",
  "TIMEOUT",
  "BAD_RESPONSE",
  "CIRCUIT_OPEN",
  "OVERLOADED",
  "QUOTA",
  "REJECTED",
] as const;
export type SourceStatus = (typeof SOURCE_STATUSES)[number];

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, "expected 64 lower-case hex digits");
const shortText = z.string().min(1).max(200);

export const AuditSourceSchema = z.strictObject({
  /** A source id such as `dukcapil`; open-ended so old records stay valid when sources change. */
  id: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/),
  status: z.enum(SOURCE_STATUSES),
});
export type AuditSource = z.infer<typeof AuditSourceSchema>;

/** What a route hands to `AuditStore.append`; the store adds time, sequence and hashes. */
export const AuditRecordInputSchema = z.strictObject({
  requestId: shortText,
  clientId: shortText,
  /** The purpose the caller stated, even an invalid one; absent when none was stated. */
  purpose: shortText.optional(),
  /** The caller's own end user (an officer id), when it says so. */
  endUserId: shortText.optional(),
  /** The caller's case or complaint number, when it says so. */
  caseId: shortText.optional(),
  /** The operation id, e.g. `identity.lookup`. */
  route: z.string().regex(/^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/),
  /** HMAC-SHA-256 of the NIK under the gateway's audit key (see `nik-hmac.ts`), never the NIK. */
  nikHmac: sha256Hex.optional(),
  /**
   * Digests of every NIK whose data one record released, for a chunk of a batch (one record
   * per chunk rather than per NIK); each is searchable like `nikHmac`.
   */
  nikHmacs: z.array(sha256Hex).min(1).max(1_000).optional(),
  /** How many NIKs a batch carried. */
  nikCount: z.int().min(0).max(1_000_000).optional(),
  sources: z.array(AuditSourceSchema).max(20),
  outcome: z.enum(AUDIT_OUTCOMES),
  httpStatus: z.int().min(100).max(599),
  /** The stable problem code when the request failed or was denied, e.g. `PURPOSE_NOT_ALLOWED`. */
  errorCode: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{0,63}$/)
    .optional(),
  /** Person fields sent to the client, e.g. `["nik", "fullName"]`; empty when none. */
  fieldsReleased: z.array(z.string().min(1).max(64)).max(100),
});
export type AuditRecordInput = z.input<typeof AuditRecordInputSchema>;

/** A record as stored: numbered, timestamped and chained to the one before it. */
export const AuditEntrySchema = AuditRecordInputSchema.extend({
  /** 1, 2, 3, … with no gaps across the whole trail. */
  sequence: z.int().min(1),
  /** When the store appended the record (ISO 8601, UTC); never earlier than the previous one. */
  time: z.iso.datetime(),
  /** The previous entry's `hash`, or 64 zeros for the first entry. */
  previousHash: sha256Hex,
  /** SHA-256 of the canonical JSON (RFC 8785) of every other field of this entry. */
  hash: sha256Hex,
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** The newest entry's position: what oversight copies elsewhere to anchor the chain. */
export interface AuditHead {
  /** 0 while the trail is empty. */
  readonly sequence: number;
  /** The newest entry's hash, or 64 zeros while the trail is empty. */
  readonly hash: string;
  readonly time?: string;
}
