/** Kemensos DTKS (SIKS-NG) simulator: the world's DTKS slice in its native row format. */
import {
  parseJsonObject,
  type SimulatorReply,
  type SimulatorRequest,
  type SimulatorServer,
  type SimulatorServerOptions,
  startSimulatorServer,
} from "../simulators/server.ts";
import { DTKS_PERIOD, type World } from "../world/index.ts";
import type {
  DtksBulkReply,
  DtksError,
  DtksLookupReply,
  DtksRow,
  KemensosCredentials,
} from "./native.ts";

export interface KemensosSimulatorOptions extends SimulatorServerOptions {
  readonly world: World;
  readonly credentials?: KemensosCredentials;
}

export interface KemensosSimulator extends SimulatorServer {
  /** Origin; endpoints are `/api/v1/dtks/nik` and `/api/v1/dtks/nik/bulk` (see native.ts). */
  readonly url: string;
  readonly credentials: KemensosCredentials;
}

export const DEFAULT_KEMENSOS_CREDENTIALS: KemensosCredentials = {
  apiKey: "siksng-simulator-key-0001",
};
export const KEMENSOS_BULK_LIMIT = 1000;

const pad3 = (n: number) => String(n).padStart(3, "0");

/** Renders person `index` as a DTKS row, or undefined when the person is not in DTKS. */
export function dtksRow(world: World, index: number): DtksRow | undefined {
  const facts = world.dtks(index);
  if (!facts) return undefined;
  const p = world.person(index);
  const { village, district, regency, province } = p.address;
  const flag = (period: string | null) => (period === null ? 0 : 1);
  return {
    NIK: p.nik,
    NOKK: p.familyCardNumber,
    Nama: p.fullName,
    Alamat: `${p.address.street} RT ${pad3(p.address.rt)} RW ${pad3(p.address.rw)}`,
    idsemesta: facts.idSemesta,
    is_nonaktif: facts.inactive ? 1 : 0,
    keterangan_meninggal: facts.deathNote,
    padankan_at: facts.matchedAt,
    PKH: flag(facts.programs.PKH),
    periode_PKH: facts.programs.PKH,
    BPNT: flag(facts.programs.BPNT),
    periode_BPNT: facts.programs.BPNT,
    PBI: flag(facts.programs.PBI),
    periode_PBI: facts.programs.PBI,
    BST: flag(facts.programs.BST),
    periode_BST: facts.programs.BST,
    desil: facts.desil,
    periode_dtks: facts.period,
    kode_provinsi: province.code,
    nama_provinsi: province.name,
    kode_kabupaten: regency.code,
    nama_kabupaten: regency.name,
    kode_kecamatan: district.code,
    nama_kecamatan: district.name,
    kode_desa: village.code,
    nama_desa: village.name,
  };
}

const error = (status: number, message: string): SimulatorReply => ({
  status,
  body: { status: false, message } satisfies DtksError,
});

/**
 * Starts the Kemensos DTKS simulator.
 *
 * @example
 * const sim = await startKemensosSimulator({ world });
 * await fetch(`${sim.url}/api/v1/dtks/nik`, {
 *   method: "POST",
 *   headers: { "content-type": "application/json", "x-api-key": sim.credentials.apiKey },
 *   body: JSON.stringify({ nik }),
 * });
 */
export async function startKemensosSimulator(
  options: KemensosSimulatorOptions,
): Promise<KemensosSimulator> {
  const { world } = options;
  const credentials = options.credentials ?? DEFAULT_KEMENSOS_CREDENTIALS;
  const period = DTKS_PERIOD;
  const rowsFor = (nik: string): DtksRow[] => {
    const out: DtksRow[] = [];
    for (const i of world.sources.kemensos.find(nik)) {
      const row = dtksRow(world, i);
      if (row) out.push(row);
    }
    return out;
  };

  const handle = (request: SimulatorRequest): SimulatorReply => {
    const bulk = request.path === "/api/v1/dtks/nik/bulk";
    if (request.path !== "/api/v1/dtks/nik" && !bulk) return error(404, "Endpoint tidak ditemukan");
    if (request.method !== "POST") return error(405, "Metode tidak diizinkan");
    if (request.headers["x-api-key"] !== credentials.apiKey)
      return error(401, "API key tidak valid");
    const body = parseJsonObject(request.body);
    if (!bulk) {
      if (!body || typeof body.nik !== "string") return error(400, "Parameter nik wajib diisi");
      const data = rowsFor(body.nik);
      const reply: DtksLookupReply = {
        status: data.length > 0,
        message: data.length > 0 ? "Data ditemukan" : "Data tidak ditemukan",
        periode: period,
        data,
      };
      return { status: 200, body: reply };
    }
    const niks = body?.nik;
    if (!Array.isArray(niks) || !niks.every((n): n is string => typeof n === "string")) {
      return error(400, "Parameter nik harus berupa daftar NIK");
    }
    if (niks.length > KEMENSOS_BULK_LIMIT) {
      return error(400, `Maksimal ${KEMENSOS_BULK_LIMIT} NIK per permintaan`);
    }
    const data: DtksRow[] = [];
    const missing: string[] = [];
    for (const nik of niks) {
      const rows = rowsFor(nik);
      if (rows.length === 0) missing.push(nik);
      else data.push(...rows);
    }
    const reply: DtksBulkReply = {
      status: true,
      message: `${niks.length - missing.length} dari ${niks.length} NIK ditemukan`,
      periode: period,
      data,
      tidak_ditemukan: missing,
    };
    return { status: 200, body: reply };
  };

  const server = await startSimulatorServer(handle, options);
  return { ...server, url: server.origin, credentials };
}
