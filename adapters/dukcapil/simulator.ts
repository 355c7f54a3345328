/** Dukcapil simulator: the civil-registry slice of the world, in Dukcapil's native wire format. */
import {
  parseJsonObject,
  type SimulatorReply,
  type SimulatorRequest,
  type SimulatorServer,
  type SimulatorServerOptions,
  startSimulatorServer,
} from "../simulators/server.ts";
import { nameSimilarity } from "../simulators/similarity.ts";
import type { World } from "../world/index.ts";
import { hash32 } from "../world/prng.ts";
import type {
  DukcapilCredentials,
  DukcapilNotice,
  DukcapilPage,
  DukcapilRecord,
  DukcapilResponseCode,
  DukcapilVerifyRequest,
} from "./native.ts";

export interface DukcapilSimulatorOptions extends SimulatorServerOptions {
  readonly world: World;
  /** Institution code in the path `/dukcapil/get_json/{instansi}/…` (default `SIMPUL`). */
  readonly instansi?: string;
  readonly credentials?: DukcapilCredentials;
  /** Calls (NIKs, for bulk) allowed per user per day, Asia/Jakarta (default 10 000 000). */
  readonly dailyQuota?: number;
}

export interface DukcapilSimulator extends SimulatorServer {
  /** Base URL for methods: append `/CALL_NIK`, `/CALL_VERIFY_BY_ELEMEN` or `/CALL_NIK_BULK`. */
  readonly url: string;
  readonly instansi: string;
  /** Sent in every JSON body: `{ user_id, password, ip_user }`. */
  readonly credentials: DukcapilCredentials;
  /** Changes the daily quota and forgets today's usage. */
  setDailyQuota(calls: number): void;
}

export const DEFAULT_DUKCAPIL_CREDENTIALS: DukcapilCredentials = {
  user_id: "simpul-gateway",
  password: "rahasia-simulator",
  ip_user: "127.0.0.1",
};

/** What each notice says; codes follow DESIGN.md, texts are plausible reconstructions. */
const NOTICE: Readonly<Record<Exclude<DukcapilResponseCode, "01" | "11" | "12">, string>> = {
  "03": "User ID tidak terdaftar",
  "04": "Password salah",
  "05": "Kuota akses harian telah habis",
  "09": "IP tidak terdaftar untuk user ini",
  "10": "Kode instansi tidak sesuai dengan user",
  "13": "Data Tidak Ditemukan",
  "15": "NIK tidak valid",
  "16": "User tidak memiliki hak akses ke method ini",
  "17": "Format request tidak valid",
};
const BULK_LIMIT = 1000;
const S_FORMAT = 1;

type Notice = keyof typeof NOTICE;
type Item = Record<string, string>;

function page<T>(content: T[]): DukcapilPage<T> {
  return {
    content,
    totalElements: content.length,
    totalPages: 1,
    numberOfElements: content.length,
    size: Math.max(20, content.length),
    number: 0,
    first: true,
    last: true,
  };
}

const notice = (code: Notice): DukcapilNotice => ({ RESPON: NOTICE[code], RESPONSE_CODE: code });
const ok = (body: unknown): SimulatorReply => ({ status: 200, body });

/** "1990-01-05" as the node that holds this record prints dates. */
const printDate = (iso: string, dayFirst: boolean) =>
  dayFirst ? `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)}` : iso;

/** Accepts either Dukcapil date style; returns ISO or the input unchanged. */
const readDate = (value: string) => {
  const m = /^(\d{2})-(\d{2})-(\d{4})$/.exec(value.trim());
  return m ? `${m[3]}-${m[2]}-${m[1]}` : value.trim();
};
const sexLabel = (value: string) => {
  const v = value.trim().toUpperCase();
  return v === "L" || v === "LAKI-LAKI" || v === "LAKI LAKI"
    ? "L"
    : v === "P" || v === "PEREMPUAN"
      ? "P"
      : v;
};

const SIAK_RELIGION: Readonly<Record<string, string>> = {
  BUDDHA: "BUDHA",
  KONGHUCU: "KHONGHUCU",
  KEPERCAYAAN: "KEPERCAYAAN TERHADAP TUHAN YME",
};

/** Renders person `index` as a CALL_NIK record; formatting quirks are stable per record. */
export function dukcapilRecord(
  world: World,
  index: number,
): DukcapilRecord & { TGL_MATI?: string } {
  const p = world.person(index);
  const quirks = hash32(world.seed, index, S_FORMAT);
  const dayFirst = (quirks & 1) === 1;
  const padded = (quirks & 2) === 2;
  const num = (value: string | number, width: number) =>
    padded ? String(value).padStart(width, "0") : String(Number(value));
  const { village, district, regency, province } = p.address;
  const record: DukcapilRecord & { TGL_MATI?: string } = {
    NIK: p.nik,
    NO_KK: p.familyCardNumber,
    NAMA_LGKP: p.fullName,
    TMPT_LHR: p.birthPlace,
    TGL_LHR: printDate(p.birthDate, dayFirst),
    JENIS_KLMIN: p.sex === "MALE" ? "LAKI-LAKI" : "PEREMPUAN",
    AGAMA: SIAK_RELIGION[p.religion] ?? p.religion,
    STATUS_KAWIN: p.maritalStatus,
    STAT_HBKEL: p.relationship,
    PDDK_AKH: p.education,
    JENIS_PKRJN: p.occupation,
    NAMA_LGKP_IBU: p.motherName,
    ALAMAT: p.address.street,
    NO_RT: num(p.address.rt, 3),
    NO_RW: num(p.address.rw, 3),
    NO_PROP: province.code,
    PROP_NAME: province.name,
    NO_KAB: num(regency.code.slice(2), 2),
    KAB_NAME: regency.name,
    NO_KEC: num(district.code.slice(4), 2),
    KEC_NAME: district.name,
    NO_KEL: num(village.code.slice(6), 4),
    KEL_NAME: village.name,
  };
  if (p.deathDate) record.TGL_MATI = printDate(p.deathDate, dayFirst);
  return record;
}

/**
 * Starts the Dukcapil simulator. Every reply is HTTP 200 with a page object, as the real web
 * service does; unknown paths get a Spring-style 404.
 *
 * @example
 * const sim = await startDukcapilSimulator({ world });
 * await fetch(`${sim.url}/CALL_NIK`, {
 *   method: "POST",
 *   headers: { "content-type": "application/json" },
 *   body: JSON.stringify({ NIK: world.examples("CLEAN", 1)[0], ...sim.credentials }),
 * });
 */
export async function startDukcapilSimulator(
  options: DukcapilSimulatorOptions,
): Promise<DukcapilSimulator> {
  const { world } = options;
  const instansi = options.instansi ?? "SIMPUL";
  const credentials = options.credentials ?? DEFAULT_DUKCAPIL_CREDENTIALS;
  let dailyQuota = options.dailyQuota ?? 10_000_000;
  let usageDay = "";
  let usage = 0;
  const prefix = `/dukcapil/get_json/`;

  /** Charges `calls` to today's quota; false when it would exceed it. */
  const charge = (calls: number) => {
    // Quotas reset at midnight in Jakarta (UTC+7).
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    if (today !== usageDay) {
      usageDay = today;
      usage = 0;
    }
    if (usage + calls > dailyQuota) return false;
    usage += calls;
    return true;
  };

  const lookupItems = (nik: string, withCode: boolean): Item[] => {
    if (!/^\d{16}$/.test(nik)) return [{ ...(withCode ? { NIK: nik } : {}), ...notice("15") }];
    const found = world.sources.dukcapil.find(nik);
    if (found.length === 0) return [{ ...(withCode ? { NIK: nik } : {}), ...notice("13") }];
    if (found.length > 1) {
      return found.map((i) => ({ ...dukcapilRecord(world, i), RESPONSE_CODE: "12" }));
    }
    const record: Item = { ...dukcapilRecord(world, found[0] ?? 0) };
    if (record.TGL_MATI) record.RESPONSE_CODE = "11";
    else if (withCode) record.RESPONSE_CODE = "01";
    return [record];
  };

  const verify = (body: Record<string, unknown>): unknown => {
    const request = body as Partial<Record<keyof DukcapilVerifyRequest, unknown>>;
    const nik = typeof request.NIK === "string" ? request.NIK : "";
    if (!/^\d{16}$/.test(nik)) return page([notice("15")]);
    const threshold = request.TRESHOLD === undefined ? 90 : Number(request.TRESHOLD);
    if (!Number.isFinite(threshold) || threshold < 0 || threshold > 100)
      return page([notice("17")]);
    const found = world.sources.dukcapil.find(nik);
    if (found.length === 0) return page([notice("13")]);
    if (found.length > 1)
      return page([{ RESPON: "NIK ganda, verifikasi tidak dapat dilakukan", RESPONSE_CODE: "12" }]);
    const p = world.person(found[0] ?? 0);
    const truth: Record<string, string> = {
      NAMA_LGKP: p.fullName,
      TGL_LHR: p.birthDate,
      TMPT_LHR: p.birthPlace,
      JENIS_KLMIN: p.sex === "MALE" ? "L" : "P",
      NAMA_LGKP_IBU: p.motherName,
      ALAMAT: p.address.street,
    };
    const verdicts: Item = { NIK: nik };
    for (const [field, actual] of Object.entries(truth)) {
      const given = request[field as keyof DukcapilVerifyRequest];
      if (typeof given !== "string") continue;
      let score: number;
      if (field === "TGL_LHR")
        score =
          readDate(given) === actual ? 100 : nameSimilarity(readDate(given), actual) >= 90 ? 50 : 0;
      else if (field === "JENIS_KLMIN") score = sexLabel(given) === actual ? 100 : 0;
      else score = nameSimilarity(given, actual);
      verdicts[field] = `${score >= threshold ? "Sesuai" : "Tidak Sesuai"} (${score})`;
    }
    return page([verdicts]);
  };

  const handle = (request: SimulatorRequest): SimulatorReply => {
    if (request.method !== "POST" || !request.path.startsWith(prefix)) {
      return {
        status: 404,
        body: {
          timestamp: new Date().toISOString(),
          status: 404,
          error: "Not Found",
          path: request.path,
        },
      };
    }
    const [pathInstansi = "", method = "", ...rest] = request.path.slice(prefix.length).split("/");
    if (rest.length > 0 || !method) {
      return {
        status: 404,
        body: {
          timestamp: new Date().toISOString(),
          status: 404,
          error: "Not Found",
          path: request.path,
        },
      };
    }
    const body = parseJsonObject(request.body);
    if (!body) return ok(page([notice("17")]));
    if (body.user_id !== credentials.user_id) return ok(page([notice("03")]));
    if (body.password !== credentials.password) return ok(page([notice("04")]));
    if (body.ip_user !== credentials.ip_user) return ok(page([notice("09")]));
    if (pathInstansi !== instansi) return ok(page([notice("10")]));
    switch (method) {
      case "CALL_NIK": {
        if (typeof body.NIK !== "string") return ok(page([notice("17")]));
        if (!charge(1)) return ok(page([notice("05")]));
        return ok(page(lookupItems(body.NIK, false)));
      }
      case "CALL_VERIFY_BY_ELEMEN": {
        if (!charge(1)) return ok(page([notice("05")]));
        return ok(verify(body));
      }
      case "CALL_NIK_BULK": {
        const niks = body.NIK;
        if (!Array.isArray(niks) || niks.length === 0 || niks.length > BULK_LIMIT) {
          return ok(page([notice("17")]));
        }
        if (!niks.every((n): n is string => typeof n === "string")) return ok(page([notice("17")]));
        if (!charge(niks.length)) return ok(page([notice("05")]));
        return ok(page(niks.flatMap((nik) => lookupItems(nik, true))));
      }
      default:
        return ok(page([notice("16")]));
    }
  };

  const server = await startSimulatorServer(handle, options);
  return {
    ...server,
    url: `${server.origin}${prefix}${instansi}`,
    instansi,
    credentials,
    setDailyQuota(calls) {
      dailyQuota = calls;
      usage = 0;
    },
  };
}
