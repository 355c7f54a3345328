import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateWorld } from "../world/index.ts";
import type { KemnakerBulkReply, KemnakerLookupReply, KemnakerToken } from "./native.ts";
import { type KemnakerSimulator, startKemnakerSimulator } from "./simulator.ts";

const world = generateWorld({ seed: 5, size: 5_000 });
let sim: KemnakerSimulator;
let token = "";

const basic = (id: string, secret: string) => `Basic ${btoa(`${id}:${secret}`)}`;
const getToken = (authorization: string) =>
  fetch(`${sim.url}/oauth/token`, {
    method: "POST",
    headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials",
  });
const post = (path: string, body: unknown, bearer = token) =>
  fetch(`${sim.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${bearer}` },
    body: JSON.stringify(body),
  });
const recipient = (program: "PRAKERJA" | "BSU") => {
  for (let i = 0; i < world.size; i++) {
    const p = world.person(i);
    if (p.anomaly === null && p.programs.includes(program)) return p.nik;
  }
  return "";
};

beforeAll(async () => {
  sim = await startKemnakerSimulator({ world });
  const res = await getToken(basic(sim.credentials.clientId, sim.credentials.clientSecret));
  token = ((await res.json()) as KemnakerToken).access_token;
});
afterAll(() => sim.close());

describe("Kemnaker simulator", () => {
  it("issues bearer tokens for client credentials only", async () => {
    const res = await getToken(basic(sim.credentials.clientId, sim.credentials.clientSecret));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    const refused = await getToken(basic(sim.credentials.clientId, "wrong"));
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: "invalid_client" });
  });

  it("answers Prakerja and BSU records in the native shape", async () => {
    const nik = recipient("PRAKERJA");
    const reply = (await (
      await post("/api/v1/penerima/cek", { nik })
    ).json()) as KemnakerLookupReply;
    expect(reply).toMatchObject({ code: 200, message: "OK", data: { nik } });
    expect(reply.data.prakerja?.gelombang).toBeGreaterThanOrEqual(1);
    expect(reply.data.prakerja?.tahun).toBeGreaterThanOrEqual(2020);

    const bsu = (await (
      await post("/api/v1/penerima/cek", { nik: recipient("BSU") })
    ).json()) as KemnakerLookupReply;
    expect(bsu.data.prakerja).toBeNull();
    expect(bsu.data.bsu[0]?.kpj).toMatch(/^\d{11}$/);
    expect(bsu.data.bsu[0]).toMatchObject({
      nama: world.person(world.indexOf(bsu.data.nik)).fullName,
    });
  });

  it("shows both programs for a BSU + Prakerja conflict", async () => {
    const nik = world
      .examples("EXCLUSIVE_CONFLICT", 200)
      .find((n) =>
        ["BSU", "PRAKERJA"].every((p) =>
          world.person(world.indexOf(n)).programs.includes(p as "BSU"),
        ),
      );
    const reply = (await (
      await post("/api/v1/penerima/cek", { nik })
    ).json()) as KemnakerLookupReply;
    expect(reply.data.prakerja).not.toBeNull();
    expect(reply.data.bsu.length).toBeGreaterThan(0);
    expect(reply.data.bsu[0]?.tahun).toBe(reply.data.prakerja?.tahun);
  });

  it("answers 404 for non-recipients and 401 without a valid token", async () => {
    const missing = await post("/api/v1/penerima/cek", { nik: "3273010101900000" });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 404, data: null });
    expect(
      (await post("/api/v1/penerima/cek", { nik: recipient("BSU") }, "forged.123.sig")).status,
    ).toBe(401);
    const [id, , sig] = token.split(".");
    expect(
      (await post("/api/v1/penerima/cek", { nik: recipient("BSU") }, `${id}.9999999999.${sig}`))
        .status,
    ).toBe(401);
  });

  it("looks up in bulk", async () => {
    const niks = [recipient("BSU"), "3273010101900000", recipient("PRAKERJA")];
    const reply = (await (
      await post("/api/v1/penerima/cek-bulk", { nik: niks })
    ).json()) as KemnakerBulkReply;
    expect(reply.data.map((r) => r.nik)).toEqual([niks[0], niks[2]]);
    expect(reply.not_found).toEqual(["3273010101900000"]);
  });

  it("expires tokens after their lifetime", async () => {
    const short = await startKemnakerSimulator({ world, tokenTtlSeconds: 0 });
    try {
      const res = await fetch(`${short.url}/oauth/token`, {
        method: "POST",
        headers: {
          authorization: basic(short.credentials.clientId, short.credentials.clientSecret),
        },
        body: "grant_type=client_credentials",
      });
      const expired = ((await res.json()) as KemnakerToken).access_token;
      const lookup = await fetch(`${short.url}/api/v1/penerima/cek`, {
        method: "POST",
        headers: { authorization: `Bearer ${expired}` },
        body: JSON.stringify({ nik: recipient("BSU") }),
      });
      expect(lookup.status).toBe(401);
    } finally {
      await short.close();
    }
  });
});
