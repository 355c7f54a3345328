import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateWorld } from "../world/index.ts";
import type { DtksBulkReply, DtksLookupReply } from "./native.ts";
import { type KemensosSimulator, startKemensosSimulator } from "./simulator.ts";

const world = generateWorld({ seed: 5, size: 5_000 });
let sim: KemensosSimulator;

const post = (path: string, body: unknown, apiKey = sim.credentials.apiKey) =>
  fetch(`${sim.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": apiKey },
    body: JSON.stringify(body),
  });
const inDtks = (kind: Parameters<typeof world.examples>[0]) =>
  world.examples(kind, 200).find((nik) => world.dtks(world.indexOf(nik)) !== null) ?? "";

beforeAll(async () => {
  sim = await startKemensosSimulator({ world });
});
afterAll(() => sim.close());

describe("Kemensos DTKS simulator", () => {
  it("answers a DTKS row in its native shape", async () => {
    const nik = inDtks("CLEAN");
    const res = await post("/api/v1/dtks/nik", { nik });
    expect(res.status).toBe(200);
    const reply = (await res.json()) as DtksLookupReply;
    expect(reply).toMatchObject({ status: true, message: "Data ditemukan", periode: "2024-11" });
    const row = reply.data[0];
    const person = world.person(world.indexOf(nik));
    expect(row).toMatchObject({
      NIK: nik,
      NOKK: person.familyCardNumber,
      Nama: person.fullName,
      is_nonaktif: 0,
      keterangan_meninggal: null,
      kode_kabupaten: person.address.regency.code,
      periode_dtks: "2024-11",
    });
    expect(row?.desil).toBeGreaterThanOrEqual(1);
    expect(row?.desil).toBeLessThanOrEqual(10);
    expect(row?.Alamat).toMatch(/ RT \d{3} RW \d{3}$/);
    for (const program of ["PKH", "BPNT", "PBI", "BST"] as const) {
      expect(row?.[program] === 1).toBe(row?.[`periode_${program}`] !== null);
    }
  });

  it("keeps the deceased-but-active row active, and marks known deaths inactive", async () => {
    const active = (await (
      await post("/api/v1/dtks/nik", { nik: inDtks("DECEASED_ACTIVE") })
    ).json()) as DtksLookupReply;
    expect(active.data[0]).toMatchObject({ is_nonaktif: 0, keterangan_meninggal: null });
    const dead = (await (
      await post("/api/v1/dtks/nik", { nik: inDtks("DECEASED") })
    ).json()) as DtksLookupReply;
    expect(dead.data[0]?.is_nonaktif).toBe(1);
    expect(dead.data[0]?.keterangan_meninggal).toMatch(/^MENINGGAL DUNIA \d{4}-\d{2}-\d{2}$/);
  });

  it("serves rows whose NIK Dukcapil does not know", async () => {
    const nik = inDtks("NOT_IN_CIVIL_REGISTRY");
    const reply = (await (await post("/api/v1/dtks/nik", { nik })).json()) as DtksLookupReply;
    expect(reply.data[0]?.NIK).toBe(nik);
  });

  it("says not found with status false", async () => {
    const res = await post("/api/v1/dtks/nik", { nik: "3273010101900000" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: false, data: [] });
  });

  it("refuses a wrong API key and a malformed body", async () => {
    const res = await post("/api/v1/dtks/nik", { nik: inDtks("CLEAN") }, "wrong");
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ status: false, message: "API key tidak valid" });
    expect((await post("/api/v1/dtks/nik", { NIK: 1 })).status).toBe(400);
  });

  it("looks up in bulk and lists the NIKs not found", async () => {
    const niks = [inDtks("CLEAN"), "3273010101900000", inDtks("OUTSIDE_KTP_REGION")];
    const reply = (await (
      await post("/api/v1/dtks/nik/bulk", { nik: niks })
    ).json()) as DtksBulkReply;
    expect(reply.data.map((row) => row.NIK)).toEqual([niks[0], niks[2]]);
    expect(reply.tidak_ditemukan).toEqual(["3273010101900000"]);
    const tooMany = await post("/api/v1/dtks/nik/bulk", { nik: Array(1001).fill(niks[0]) });
    expect(tooMany.status).toBe(400);
  });
});
