/** Dukcapil's native wire format, as seen in public integrations (see DESIGN.md). */

/** Methods the web service exposes; the name is the last path segment. */
export type DukcapilMethod = "CALL_NIK" | "CALL_VERIFY_BY_ELEMEN";

/** Every call carries the institution's credentials in the JSON body. */
export interface DukcapilCredentials {
  readonly user_id: string;
  readonly password: string;
  readonly ip_user: string;
}

/** One record in `content[]` of a successful CALL_NIK reply. Values are strings. */
export interface DukcapilRecord {
  NIK: string;
  NO_KK: string;
  NAMA_LGKP: string;
  TMPT_LHR: string;
  /** `DD-MM-YYYY` or `YYYY-MM-DD`, depending on the node that answered. */
  TGL_LHR: string;
  /** `LAKI-LAKI` | `PEREMPUAN` */
  JENIS_KLMIN: string;
  /** SIAK spellings: `ISLAM` | `KRISTEN` | `KATOLIK` | `HINDU` | `BUDHA` | `KHONGHUCU` | `KEPERCAYAAN TERHADAP TUHAN YME`. */
  AGAMA: string;
  /** `BELUM KAWIN` | `KAWIN` | `CERAI HIDUP` | `CERAI MATI` */
  STATUS_KAWIN: string;
  /** `KEPALA KELUARGA` | `ISTRI` | `SUAMI` | `ANAK` | `ORANG TUA` | `CUCU` | `FAMILI LAIN` | … */
  STAT_HBKEL: string;
  /** Education, e.g. `SLTA/SEDERAJAT`, `TAMAT SD/SEDERAJAT`, `DIPLOMA IV/STRATA I`. */
  PDDK_AKH: string;
  /** Occupation, e.g. `PETANI/PEKEBUN`, `WIRASWASTA`, `PEGAWAI NEGERI SIPIL`. */
  JENIS_PKRJN: string;
  NAMA_LGKP_IBU: string;
  ALAMAT: string;
  /** Zero-padded strings ("003") or plain numbers as strings ("3"). */
  NO_RT: string;
  NO_RW: string;
  /**
   * Region numbers are each level's own digits, not full codes: NO_PROP "32", NO_KAB "73" or "4"
   * (not "3273"), NO_KEC "1" or "01", NO_KEL "1001"; bare or zero-padded depending on the node.
   */
  NO_PROP: string;
  PROP_NAME: string;
  NO_KAB: string;
  KAB_NAME: string;
  NO_KEC: string;
  KEC_NAME: string;
  NO_KEL: string;
  KEL_NAME: string;
}

/**
 * Response codes, carried in an HTTP 200 body as `RESPONSE_CODE` (and a human `RESPON`).
 * 01 found · 05 daily quota reached · 11 deceased · 12 multiple records · 13/15 not found ·
 * 03/04/09/10/16/17 credential or setup faults.
 */
export type DukcapilResponseCode =
  | "01"
  | "03"
  | "04"
  | "05"
  | "09"
  | "10"
  | "11"
  | "12"
  | "13"
  | "15"
  | "16"
  | "17";

/** A record that is an error notice instead of a person. */
export interface DukcapilNotice {
  RESPON: string;
  RESPONSE_CODE: DukcapilResponseCode;
}

/** The page object every reply is wrapped in (a Spring Data `Page`). */
export interface DukcapilPage<T> {
  content: T[];
  totalElements: number;
  totalPages: number;
  numberOfElements: number;
  size: number;
  number: number;
  first: boolean;
  last: boolean;
}

/**
 * A CALL_NIK reply: found → one DukcapilRecord (code 01 implied);
 * deceased → a record plus `RESPONSE_CODE: "11"` and a `TGL_MATI` (date of death);
 * multiple → several records and `RESPONSE_CODE: "12"`; otherwise one DukcapilNotice.
 */
export type DukcapilLookupReply = DukcapilPage<
  (DukcapilRecord & { RESPONSE_CODE?: "01" | "11" | "12"; TGL_MATI?: string }) | DukcapilNotice
>;

/** CALL_VERIFY_BY_ELEMEN request: NIK plus the elements to compare and the threshold (0–100). */
export interface DukcapilVerifyRequest extends DukcapilCredentials {
  NIK: string;
  TRESHOLD: string;
  NAMA_LGKP?: string;
  TGL_LHR?: string;
  TMPT_LHR?: string;
  JENIS_KLMIN?: string;
  NAMA_LGKP_IBU?: string;
  ALAMAT?: string;
}

/**
 * Per element: `"Sesuai (100)"` or `"Tidak Sesuai (42)"`; the number is the similarity score
 * (0–100) and "Sesuai" means score ≥ TRESHOLD. Only the elements sent come back.
 */
export type DukcapilVerifyReply = DukcapilPage<
  ({ NIK: string } & Partial<Record<keyof DukcapilVerifyRequest, string>>) | DukcapilNotice
>;

/**
 * CALL_NIK_BULK request (inferred: public integrations show single lookups only, but batch
 * verification is routinely done by file exchange; this is a plausible online equivalent).
 * Up to 1000 NIKs; each counts against the daily quota.
 */
export interface DukcapilBulkRequest extends DukcapilCredentials {
  NIK: string[];
}

/**
 * CALL_NIK_BULK reply: one page with every requested NIK in request order. Each item carries
 * `RESPONSE_CODE` ("01" found, "11" deceased with TGL_MATI, "12" one item per record, "13"/"15"
 * not found or invalid as a notice with the NIK). Credential or quota faults answer a single
 * DukcapilNotice for the whole batch, as CALL_NIK does.
 */
export type DukcapilBulkReply = DukcapilPage<
  | (DukcapilRecord & { RESPONSE_CODE: "01" | "11" | "12"; TGL_MATI?: string })
  | (DukcapilNotice & { NIK?: string })
>;
