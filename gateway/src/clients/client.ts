/** A registered API client: who it is, what it may do, for which purposes, and how often. */
import type { JWK } from "jose";
import type { PersonField } from "../../../schemas/src/person.ts";

export const SCOPES = [
  "identity:lookup",
  "identity:verify",
  "enrolments:check",
  "enrolments:batch",
  "programs:read",
  "sources:read",
  "schemas:read",
  "schemas:publish",
  "audit:read",
] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * Why personal data is processed (UU PDP 27/2022 Art. 16: processing needs a stated purpose).
 * A closed list, so that auditors can group and compare.
 */
export const PURPOSES = [
  "eligibility-verification",
  "disbursement-validation",
  "identity-verification",
  "data-reconciliation",
  "complaint-handling",
  "oversight",
] as const;
export type Purpose = (typeof PURPOSES)[number];

export interface RatePlan {
  /** Requests (or NIKs, for batches) per minute. */
  readonly perMinute: number;
  readonly perDay: number;
  /** What one NIK in a batch costs against the limits. */
  readonly batchCostPerNik: number;
}

export interface Client {
  readonly id: string;
  readonly name: string;
  /**
   * SHA-256 of the client secret, hex; secrets are high-entropy so a slow hash buys nothing.
   * Absent for clients that authenticate only with a key (`private_key_jwt`).
   */
  readonly secretSha256?: string;
  /** Public keys the client signs `private_key_jwt` assertions with (RFC 7517 JWK Set). */
  readonly jwks?: { readonly keys: readonly JWK[] };
  readonly scopes: readonly Scope[];
  readonly purposes: readonly Purpose[];
  /** Person fields this client may receive; verification-only clients have none. */
  readonly fields: readonly PersonField[];
  readonly ratePlan: RatePlan;
  /** Kemendagri regency (4 digits) or province (2 digits) a regional client serves. */
  readonly region?: string;
}

/** The port every client store implements. */
export interface ClientRegistry {
  get(id: string): Promise<Client | undefined>;
  list(): Promise<readonly Client[]>;
}
