/**
 * Kemensos DTKS (SIKS-NG) native wire format. The row shape follows fields seen in SIKS-NG
 * exports (see DESIGN.md); the HTTP API around it is inferred, as SIKS-NG exposes no public one.
 *
 * Auth: header `X-Api-Key: <apiKey>`, issued per institution.
 * - `POST /api/v1/dtks/nik` with `{ "nik": "…" }` → DtksLookupReply (HTTP 200; `status: false`
 *   and an empty `data` when the NIK is not in DTKS).
 * - `POST /api/v1/dtks/nik/bulk` with `{ "nik": ["…", …] }` (at most 1000) → DtksBulkReply.
 * - Wrong or missing key → HTTP 401 DtksError; malformed body → HTTP 400 DtksError.
 * NIKs travel only in POST bodies, never in URLs.
 */

export interface KemensosCredentials {
  /** Sent as the `X-Api-Key` header. */
  readonly apiKey: string;
}

/** A program flag: 1 enrolled in the period, 0 not. */
export type DtksFlag = 0 | 1;

/** One person's row in DTKS. */
export interface DtksRow {
  NIK: string;
  NOKK: string;
  Nama: string;
  /** Street, RT and RW in one string: "JL. MAWAR NO. 12 RT 003 RW 002". */
  Alamat: string;
  /** Kemensos' own person id (opaque, stable across periods). */
  idsemesta: string;
  /** 1 when the row was deactivated (death, duplicate, moved out of DTKS). */
  is_nonaktif: DtksFlag;
  /** e.g. "MENINGGAL DUNIA 2023-04-02", or null when no death is known to Kemensos. */
  keterangan_meninggal: string | null;
  /** Last successful match against Dukcapil, "YYYY-MM-DD HH:mm:ss" (Asia/Jakarta), or null. */
  padankan_at: string | null;
  PKH: DtksFlag;
  /** "YYYY-MM" of the last period the flag refers to, or null when not enrolled. */
  periode_PKH: string | null;
  BPNT: DtksFlag;
  periode_BPNT: string | null;
  PBI: DtksFlag;
  periode_PBI: string | null;
  BST: DtksFlag;
  periode_BST: string | null;
  /** Welfare decile 1 (poorest) to 10. */
  desil: number;
  /** The DTKS decree period this row belongs to, "YYYY-MM". */
  periode_dtks: string;
  kode_provinsi: string;
  nama_provinsi: string;
  /** Full 4-digit code, e.g. "3273". */
  kode_kabupaten: string;
  nama_kabupaten: string;
  /** Full 6-digit code. */
  kode_kecamatan: string;
  nama_kecamatan: string;
  /** Full 10-digit code. */
  kode_desa: string;
  nama_desa: string;
}

export interface DtksLookupReply {
  status: boolean;
  /** "Data ditemukan" or "Data tidak ditemukan". */
  message: string;
  /** The DTKS period answered from. */
  periode: string;
  /** Usually one row; DTKS may hold several rows for one NIK. */
  data: DtksRow[];
}

export interface DtksBulkReply {
  status: boolean;
  message: string;
  periode: string;
  /** Rows found, in request order. */
  data: DtksRow[];
  /** Requested NIKs with no row. */
  tidak_ditemukan: string[];
}

export interface DtksError {
  status: false;
  message: string;
}
