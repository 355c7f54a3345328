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
  AGAMA: string;
  /** `BELUM KAWIN` | `KAWIN` | `CERAI HIDUP` | `CERAI MATI` */
  STATUS_KAWIN: string;
  /** `KEPALA KELUARGA` | `ISTRI` | `ANAK` | … */
  STAT_HBKEL: string;
  PDDK_AKH: string;
  JENIS_PKRJN: string;
  NAMA_LGKP_IBU: string;
  ALAMAT: string;
  /** Zero-padded strings ("003") or plain numbers as strings ("3"). */
  NO_RT: string;
  NO_RW: string;
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

/** Per element: `"Sesuai (100)"` or `"Tidak Sesuai (42)"`; the number is the similarity score. */
export type DukcapilVerifyReply = DukcapilPage<
  ({ NIK: string } & Partial<Record<keyof DukcapilVerifyRequest, string>>) | DukcapilNotice
>;
