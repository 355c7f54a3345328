/** Kemnaker simulator: Prakerja and BSU recipients from the world, behind an inferred OAuth2 API. */
import { createHmac, timingSafeEqual } from "node:crypto";
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
  KemnakerBulkReply,
  KemnakerCredentials,
  KemnakerError,
  KemnakerLookupReply,
  KemnakerRecipient,
  KemnakerToken,
} from "./native.ts";

export interface KemnakerSimulatorOptions extends SimulatorServerOptions {
  readonly world: World;
  readonly credentials?: KemnakerCredentials;
  /** Lifetime of issued access tokens (default 3600 s). */
  readonly tokenTtlSeconds?: number;
}

export interface KemnakerSimulator extends SimulatorServer {
  /** Origin; endpoints `/oauth/token`, `/api/v1/penerima/cek`, `/api/v1/penerima/cek-bulk`. */
  readonly url: string;
  /** Exchanged at `/oauth/token` (HTTP Basic) for a bearer token. */
  readonly credentials: KemnakerCredentials;
}

export const DEFAULT_KEMNAKER_CREDENTIALS: KemnakerCredentials = {
  clientId: "simpul-gateway",
  clientSecret: "kemnaker-simulator-secret",
};
export const KEMNAKER_BULK_LIMIT = 500;

/** Renders what Kemnaker holds about person `index`, or undefined when it holds nothing. */
export function kemnakerRecipient(world: World, index: number): KemnakerRecipient | undefined {
  const prakerja = world.prakerja(index);
  const bsu = world.bsu(index);
  if (!prakerja && bsu.length === 0) return undefined;
  const p = world.person(index);
  return {
    nik: p.nik,
    prakerja: prakerja && {
      nomor_kartu: prakerja.cardNumber,
      nama: p.fullName,
      tahun: prakerja.year,
      gelombang: prakerja.wave,
      bantuan_pelatihan: prakerja.trainingAid,
      insentif_total: prakerja.incentiveTotal,
      insentif_dibayar: prakerja.incentivePaid,
      status_insentif: prakerja.incentiveStatus,
    },
    bsu: bsu.map((b) => ({
      kpj: b.kpj,
      nama: p.fullName,
      tahun: b.year,
      tahap: b.stage,
      status: b.status,
      bank: b.bank,
      nominal: b.amount,
      tanggal_salur: b.paidOn,
    })),
  };
}

const error = (code: number, message: string): SimulatorReply => ({
  status: code,
  body: { code, message, data: null } satisfies KemnakerError,
});

/**
 * Starts the Kemnaker simulator. Tokens are stateless (HMAC-signed client id and expiry), so
 * checking one costs a single HMAC and nothing accumulates under load.
 *
 * @example
 * const sim = await startKemnakerSimulator({ world });
 * const basic = btoa(`${sim.credentials.clientId}:${sim.credentials.clientSecret}`);
 * const token = await (await fetch(`${sim.url}/oauth/token`, {
 *   method: "POST",
 *   headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
 *   body: "grant_type=client_credentials",
 * })).json();
 */
export async function startKemnakerSimulator(
  options: KemnakerSimulatorOptions,
): Promise<KemnakerSimulator> {
  const { world } = options;
  const credentials = options.credentials ?? DEFAULT_KEMNAKER_CREDENTIALS;
  const ttl = options.tokenTtlSeconds ?? 3600;
  const sign = (payload: string) =>
    createHmac("sha256", credentials.clientSecret).update(payload).digest("base64url");
  const expectedBasic = `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString("base64")}`;

  const issue = (request: SimulatorRequest): SimulatorReply => {
    const invalid = {
      status: 401,
      body: { error: "invalid_client", error_description: "Client authentication failed" },
    };
    const auth = request.headers.authorization ?? "";
    if (
      auth.length !== expectedBasic.length ||
      !timingSafeEqual(Buffer.from(auth), Buffer.from(expectedBasic))
    ) {
      return { ...invalid, headers: { "www-authenticate": 'Basic realm="kemnaker"' } };
    }
    const grant = request.body.includes("{")
      ? parseJsonObject(request.body)?.grant_type
      : new URLSearchParams(request.body).get("grant_type");
    if (grant !== "client_credentials") {
      return { status: 400, body: { error: "unsupported_grant_type" } };
    }
    const expires = Math.floor(Date.now() / 1000) + ttl;
    const payload = `${Buffer.from(credentials.clientId).toString("base64url")}.${expires}`;
    const token: KemnakerToken = {
      access_token: `${payload}.${sign(payload)}`,
      token_type: "Bearer",
      expires_in: ttl,
      scope: "penerima.read",
    };
    return { status: 200, headers: { "cache-control": "no-store" }, body: token };
  };

  const authorised = (request: SimulatorRequest) => {
    const auth = request.headers.authorization ?? "";
    if (!auth.startsWith("Bearer ")) return false;
    const [id, expires, signature] = auth.slice(7).split(".");
    if (!id || !expires || !signature) return false;
    const expected = sign(`${id}.${expires}`);
    return (
      signature.length === expected.length &&
      timingSafeEqual(Buffer.from(signature), Buffer.from(expected)) &&
      Number(expires) > Date.now() / 1000
    );
  };

  const recipient = (nik: string) => {
    const [i] = world.sources.kemnaker.find(nik);
    return i === undefined ? undefined : kemnakerRecipient(world, i);
  };

  const handle = (request: SimulatorRequest): SimulatorReply => {
    if (request.path === "/oauth/token" && request.method === "POST") return issue(request);
    const bulk = request.path === "/api/v1/penerima/cek-bulk";
    if (request.path !== "/api/v1/penerima/cek" && !bulk) return error(404, "Not Found");
    if (request.method !== "POST") return error(405, "Method Not Allowed");
    if (!authorised(request)) return error(401, "Token tidak valid atau kedaluwarsa");
    const body = parseJsonObject(request.body);
    if (!bulk) {
      if (!body || typeof body.nik !== "string" || !/^\d{16}$/.test(body.nik)) {
        return error(400, "nik harus 16 digit angka");
      }
      const found = recipient(body.nik);
      if (!found) return error(404, "NIK tidak terdaftar sebagai penerima Prakerja atau BSU");
      return {
        status: 200,
        body: { code: 200, message: "OK", data: found } satisfies KemnakerLookupReply,
      };
    }
    const niks = body?.nik;
    if (!Array.isArray(niks) || !niks.every((n): n is string => typeof n === "string")) {
      return error(400, "nik harus berupa daftar NIK");
    }
    if (niks.length > KEMNAKER_BULK_LIMIT) return error(400, `maksimal ${KEMNAKER_BULK_LIMIT} NIK`);
    const data: KemnakerRecipient[] = [];
    const missing: string[] = [];
    for (const nik of niks) {
      const found = recipient(nik);
      if (found) data.push(found);
      else missing.push(nik);
    }
    return {
      status: 200,
      body: { code: 200, message: "OK", data, not_found: missing } satisfies KemnakerBulkReply,
    };
  };

  const server = await startSimulatorServer(handle, options);
  return { ...server, url: server.origin, credentials };
}
