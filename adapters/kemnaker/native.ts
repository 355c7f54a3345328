/**
 * Kemnaker native wire format for Kartu Prakerja and BSU (Bantuan Subsidi Upah) recipients.
 *
 * No public API exists: this one is inferred, modelled on how Indonesian government APIs are
 * commonly built (OAuth2 client credentials, snake_case Indonesian field names, a
 * `{ code, message, data }` envelope).
 *
 * - `POST /oauth/token` with `Authorization: Basic base64(client_id:client_secret)` and the form
 *   body `grant_type=client_credentials` → KemnakerToken (RFC 6749 §4.4). Bad client → HTTP 401
 *   `{ error: "invalid_client" }` (RFC 6749 §5.2).
 * - `POST /api/v1/penerima/cek` with `Authorization: Bearer <access_token>` and `{ "nik": "…" }`
 *   → HTTP 200 KemnakerLookupReply, or HTTP 404 KemnakerError when the NIK received neither
 *   program.
 * - `POST /api/v1/penerima/cek-bulk` with `{ "nik": ["…", …] }` (at most 500) → KemnakerBulkReply.
 * - Missing, invalid or expired token → HTTP 401 KemnakerError; malformed body → HTTP 400.
 */

export interface KemnakerCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface KemnakerToken {
  access_token: string;
  token_type: "Bearer";
  /** Seconds. */
  expires_in: number;
  scope: string;
}

/** A Kartu Prakerja participation. Amounts are rupiah as integers. */
export interface PrakerjaRecord {
  nomor_kartu: string;
  nama: string;
  tahun: number;
  /** Wave (gelombang) number, 1–71 across 2020–2024. */
  gelombang: number;
  bantuan_pelatihan: number;
  insentif_total: number;
  insentif_dibayar: number;
  status_insentif: "DIBAYAR PENUH" | "DIBAYAR SEBAGIAN" | "BELUM DIBAYAR";
}

/** One BSU disbursement (a year and stage). */
export interface BsuRecord {
  /** BPJS Ketenagakerjaan participant number (11 digits). */
  kpj: string;
  nama: string;
  tahun: number;
  /** Stage (tahap) of the disbursement batch. */
  tahap: number;
  status: "TERSALUR" | "GAGAL SALUR" | "RETUR" | "PROSES";
  /** Paying bank: BRI, BNI, MANDIRI, BTN or BSI. */
  bank: string;
  nominal: number;
  /** "YYYY-MM-DD", or null when not (yet) paid. */
  tanggal_salur: string | null;
}

export interface KemnakerRecipient {
  nik: string;
  prakerja: PrakerjaRecord | null;
  bsu: BsuRecord[];
}

export interface KemnakerLookupReply {
  code: 200;
  message: "OK";
  data: KemnakerRecipient;
}

export interface KemnakerBulkReply {
  code: 200;
  message: "OK";
  /** Recipients found, in request order. */
  data: KemnakerRecipient[];
  /** Requested NIKs that received neither program. */
  not_found: string[];
}

export interface KemnakerError {
  code: number;
  message: string;
  data: null;
}
