/**
 * KemenkopUKM native wire format for BPUM (Banpres Produktif Usaha Mikro) recipients.
 *
 * No public API exists: this one is inferred, in the style of the bank-channel APIs BPUM was
 * paid through (HTTP Basic auth, an ISO 8583-like response code `rc`, amounts as decimal
 * strings).
 *
 * - `POST /bpum/v1/inquiry` with `Authorization: Basic base64(username:password)` and
 *   `{ "nik": "…" }` → HTTP 200 BpumInquiryReply; `rc: "00"` found, `rc: "14"` not a recipient
 *   (empty `data`).
 * - `POST /bpum/v1/inquiry/bulk` with `{ "daftar_nik": ["…", …] }` (at most 1000) → BpumBulkReply.
 * - Bad credentials → HTTP 401 `{ rc: "41" }`; malformed body → HTTP 400 `{ rc: "30" }`.
 */

export interface KemenkopUkmCredentials {
  readonly username: string;
  readonly password: string;
}

/** Response codes: 00 success, 14 not found, 30 format error, 41 authentication failed. */
export type BpumResponseCode = "00" | "14" | "30" | "41";

/** One BPUM disbursement. */
export interface BpumRecord {
  nik: string;
  nama: string;
  tahun: number;
  tahap: number;
  status: "TERSALUR" | "DIKEMBALIKAN KE KAS NEGARA" | "DIBLOKIR" | "BELUM DICAIRKAN";
  /** Rupiah as a decimal string with two places, e.g. "2400000.00". */
  nominal: string;
  /** Who proposed the recipient: a regional cooperative office, a bank, PNM or Pegadaian. */
  pengusul: string;
  bidang_usaha: string;
  /** Where the business is, which may differ from the owner's domicile. */
  lokasi_usaha: {
    kode_provinsi: string;
    nama_provinsi: string;
    /** Full 4-digit regency code. */
    kode_kabupaten: string;
    nama_kabupaten: string;
  };
  /** BRI, BNI or BSI. */
  bank_penyalur: string;
  /** "YYYY-MM-DD", or null when not paid. */
  tanggal_salur: string | null;
}

export interface BpumInquiryReply {
  rc: "00" | "14";
  message: string;
  data: BpumRecord[];
}

export interface BpumBulkReply {
  rc: "00";
  message: string;
  /** Records found, in request order. */
  data: BpumRecord[];
  jumlah_ditemukan: number;
  jumlah_tidak_ditemukan: number;
}

export interface BpumError {
  rc: "30" | "41";
  message: string;
}
