import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateWorld } from "../world/index.ts";
import type { BpumBulkReply, BpumInquiryReply } from "./native.ts";
import { type KemenkopUkmSimulator, startKemenkopUkmSimulator } from "./simulator.ts";

const world = generateWorld({ seed: 5, size: 5_000 });
let sim: KemenkopUkmSimulator;

const post = (path: string, body: unknown, password = sim.credentials.password) =>
  fetch(`${sim.url}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Basic ${btoa(`${sim.credentials.username}:${password}`)}`,
    },
    body: JSON.stringify(body),
  });
const bpumRecipient = () => {
  for (let i = 0; i < world.size; i++) {
    const p = world.person(i);
    if (p.anomaly === null && p.programs.includes("BPUM")) return p.nik;
  }
  return "";
};

beforeAll(async () => {
  sim = await startKemenkopUkmSimulator({ world });
});
afterAll(() => sim.close());

describe("KemenkopUKM BPUM simulator", () => {
  it("answers BPUM records in the native shape", async () => {
    const nik = bpumRecipient();
    const res = await post("/bpum/v1/inquiry", { nik });
    expect(res.status).toBe(200);
    const reply = (await res.json()) as BpumInquiryReply;
    expect(reply.rc).toBe("00");
    const record = reply.data[0];
    expect(record).toMatchObject({ nik, nama: world.person(world.indexOf(nik)).fullName });
    expect(record?.nominal).toMatch(/^\d+\.00$/);
    expect(record?.lokasi_usaha.kode_kabupaten).toMatch(/^\d{4}$/);
    expect(["BRI", "BNI", "BSI"]).toContain(record?.bank_penyalur);
  });

  it("serves BPUM for a civil servant in a planted conflict", async () => {
    const nik = world
      .examples("EXCLUSIVE_CONFLICT", 300)
      .find((n) => world.person(world.indexOf(n)).occupation === "PEGAWAI NEGERI SIPIL");
    const reply = (await (await post("/bpum/v1/inquiry", { nik })).json()) as BpumInquiryReply;
    expect(reply.rc).toBe("00");
  });

  it("answers rc 14 for non-recipients", async () => {
    const res = await post("/bpum/v1/inquiry", { nik: "3273010101900000" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ rc: "14", data: [] });
  });

  it("refuses wrong credentials with 401 rc 41 and bad bodies with 400 rc 30", async () => {
    const res = await post("/bpum/v1/inquiry", { nik: bpumRecipient() }, "wrong");
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ rc: "41" });
    const bad = await post("/bpum/v1/inquiry", { niks: [] });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ rc: "30" });
  });

  it("looks up in bulk with counts", async () => {
    const niks = [bpumRecipient(), "3273010101900000"];
    const reply = (await (
      await post("/bpum/v1/inquiry/bulk", { daftar_nik: niks })
    ).json()) as BpumBulkReply;
    expect(reply).toMatchObject({ rc: "00", jumlah_ditemukan: 1, jumlah_tidak_ditemukan: 1 });
    expect(reply.data[0]?.nik).toBe(niks[0]);
  });
});
