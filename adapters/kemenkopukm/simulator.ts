/** KemenkopUKM simulator: BPUM recipients from the world, behind an inferred Basic-auth API. */
import { timingSafeEqual } from "node:crypto";
import {
  parseJsonObject,
  type SimulatorReply,
  type SimulatorRequest,
  type SimulatorServer,
  type SimulatorServerOptions,
  startSimulatorServer,
} from "../simulators/server.ts";
import type { World } from "../world/index.ts";
import type {
  BpumBulkReply,
  BpumError,
  BpumInquiryReply,
  BpumRecord,
  KemenkopUkmCredentials,
} from "./native.ts";

export interface KemenkopUkmSimulatorOptions extends SimulatorServerOptions {
  readonly world: World;
  readonly credentials?: KemenkopUkmCredentials;
}

export interface KemenkopUkmSimulator extends SimulatorServer {
  /** Origin; endpoints `/bpum/v1/inquiry` and `/bpum/v1/inquiry/bulk`. */
  readonly url: string;
  /** Sent as HTTP Basic credentials. */
  readonly credentials: KemenkopUkmCredentials;
}

export const DEFAULT_KEMENKOPUKM_CREDENTIALS: KemenkopUkmCredentials = {
  username: "simpul-gateway",
  password: "bpum-simulator-password",
};
export const KEMENKOPUKM_BULK_LIMIT = 1000;

/** Renders person `index`'s BPUM records (empty when not a recipient). */
export function bpumRecords(world: World, index: number): BpumRecord[] {
  const facts = world.bpum(index);
  if (!facts) return [];
  const p = world.person(index);
  return [
    {
      nik: p.nik,
      nama: p.fullName,
      tahun: facts.year,
      tahap: facts.stage,
      status: facts.status,
      nominal: facts.amount.toFixed(2),
      pengusul: facts.proposer,
      bidang_usaha: facts.businessType,
      lokasi_usaha: {
        kode_provinsi: facts.businessProvince.code,
        nama_provinsi: facts.businessProvince.name,
        kode_kabupaten: facts.businessRegency.code,
        nama_kabupaten: facts.businessRegency.name,
      },
      bank_penyalur: facts.bank,
      tanggal_salur: facts.paidOn,
    },
  ];
}

const error = (status: number, rc: BpumError["rc"], message: string): SimulatorReply => ({
  status,
  body: { rc, message } satisfies BpumError,
});

/**
 * Starts the KemenkopUKM BPUM simulator.
 *
 * @example
 * const sim = await startKemenkopUkmSimulator({ world });
 * const basic = btoa(`${sim.credentials.username}:${sim.credentials.password}`);
 * await fetch(`${sim.url}/bpum/v1/inquiry`, {
 *   method: "POST",
 *   headers: { authorization: `Basic ${basic}`, "content-type": "application/json" },
 *   body: JSON.stringify({ nik }),
 * });
 */
export async function startKemenkopUkmSimulator(
  options: KemenkopUkmSimulatorOptions,
): Promise<KemenkopUkmSimulator> {
  const { world } = options;
  const credentials = options.credentials ?? DEFAULT_KEMENKOPUKM_CREDENTIALS;
  const expected = Buffer.from(
    `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`,
  );
  const recordsFor = (nik: string) => {
    const [i] = world.sources.kemenkopukm.find(nik);
    return i === undefined ? [] : bpumRecords(world, i);
  };

  const handle = (request: SimulatorRequest): SimulatorReply => {
    const bulk = request.path === "/bpum/v1/inquiry/bulk";
    if (request.path !== "/bpum/v1/inquiry" && !bulk)
      return error(404, "30", "Layanan tidak ditemukan");
    if (request.method !== "POST") return error(405, "30", "Metode tidak diizinkan");
    const auth = Buffer.from(request.headers.authorization ?? "");
    if (auth.length !== expected.length || !timingSafeEqual(auth, expected)) {
      return {
        ...error(401, "41", "Otentikasi gagal"),
        headers: { "www-authenticate": 'Basic realm="bpum"' },
      };
    }
    const body = parseJsonObject(request.body);
    if (!bulk) {
      if (!body || typeof body.nik !== "string")
        return error(400, "30", "Format request salah: nik wajib");
      const data = recordsFor(body.nik);
      const reply: BpumInquiryReply =
        data.length > 0
          ? { rc: "00", message: "Sukses", data }
          : { rc: "14", message: "NIK tidak terdaftar sebagai penerima BPUM", data };
      return { status: 200, body: reply };
    }
    const niks = body?.daftar_nik;
    if (!Array.isArray(niks) || !niks.every((n): n is string => typeof n === "string")) {
      return error(400, "30", "Format request salah: daftar_nik wajib berupa daftar");
    }
    if (niks.length > KEMENKOPUKM_BULK_LIMIT) {
      return error(400, "30", `Format request salah: maksimal ${KEMENKOPUKM_BULK_LIMIT} NIK`);
    }
    const data: BpumRecord[] = [];
    let missing = 0;
    for (const nik of niks) {
      const records = recordsFor(nik);
      if (records.length === 0) missing++;
      data.push(...records);
    }
    const reply: BpumBulkReply = {
      rc: "00",
      message: "Sukses",
      data,
      jumlah_ditemukan: niks.length - missing,
      jumlah_tidak_ditemukan: missing,
    };
    return { status: 200, body: reply };
  };

  const server = await startSimulatorServer(handle, options);
  return { ...server, url: server.origin, credentials };
}
