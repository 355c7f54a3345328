/**
 * Shared setup for the k6 scenarios: where the gateway is, which client, which NIKs.
 *
 * Environment (all optional): SIMPUL_URL (default http://127.0.0.1:8787), CLIENT_ID and
 * CLIENT_SECRET (default the `kemensos-app` demo client of gateway/config/dev-clients.json),
 * PURPOSE, NIKS_FILE (a JSON array of NIKs, default ./niks.json beside these scripts; write it
 * with `npx tsx load/niks.ts`), DURATION (e.g. 30s).
 */

import { SharedArray } from "k6/data";
import encoding from "k6/encoding";
import http from "k6/http";

export const BASE = (__ENV.SIMPUL_URL ?? "http://127.0.0.1:8787").replace(/\/$/, "");
export const DURATION = __ENV.DURATION ?? "30s";

export interface ClientCredentials {
  readonly id: string;
  readonly secret: string;
}

/** The demo clients (their secrets are published in README.md; development only). */
export const DEMO_CLIENTS = {
  kemensosApp: { id: "kemensos-app", secret: "dev-kemensos-app-secret-91be04d6" },
  dinsosBandung: { id: "dinsos-bandung", secret: "dev-dinsos-bandung-secret-7f3a9c21" },
  bankPenyalur: { id: "bank-penyalur", secret: "dev-bank-penyalur-secret-4c8d2e77" },
  demoTrial: { id: "demo-trial", secret: "dev-demo-trial-secret-5b1e8f42" },
} as const;

/** The client from CLIENT_ID / CLIENT_SECRET, else `kemensos-app`. */
export const CLIENT: ClientCredentials =
  __ENV.CLIENT_ID && __ENV.CLIENT_SECRET
    ? { id: __ENV.CLIENT_ID, secret: __ENV.CLIENT_SECRET }
    : DEMO_CLIENTS.kemensosApp;

/** NIKs to ask about, loaded once and shared by every virtual user. */
export const NIKS = new SharedArray("niks", () => {
  const niks = JSON.parse(open(__ENV.NIKS_FILE ?? "./niks.json")) as unknown;
  if (!Array.isArray(niks) || niks.length === 0 || typeof niks[0] !== "string") {
    throw new Error("NIKS_FILE must be a JSON array of NIK strings (npx tsx load/niks.ts)");
  }
  return niks as string[];
}) as unknown as readonly string[];

/** A different NIK for each iteration of each virtual user. */
export function nikFor(vu: number, iteration: number): string {
  return NIKS[(vu * 7919 + iteration) % NIKS.length] as string;
}

/** One access token (client credentials with HTTP Basic); call it from `setup()`, once per run. */
export function token(client: ClientCredentials = CLIENT): string {
  const response = http.post(
    `${BASE}/oauth/token`,
    { grant_type: "client_credentials" },
    {
      headers: { Authorization: `Basic ${encoding.b64encode(`${client.id}:${client.secret}`)}` },
      tags: { name: "oauth.token" },
    },
  );
  const body = response.json() as { access_token?: string } | null;
  if (response.status !== 200 || !body?.access_token) {
    throw new Error(`no token for ${client.id}: ${response.status} ${String(response.body)}`);
  }
  return body.access_token;
}

/** Headers of a personal-data request. */
export function headers(
  accessToken: string,
  purpose = __ENV.PURPOSE ?? "eligibility-verification",
) {
  return {
    Authorization: `Bearer ${accessToken}`,
    "Simpul-Purpose": purpose,
    "Content-Type": "application/json",
  };
}
