import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateWorld } from "../world/index.ts";
import type { DukcapilBulkReply, DukcapilLookupReply, DukcapilVerifyReply } from "./native.ts";
import { type DukcapilSimulator, startDukcapilSimulator } from "./simulator.ts";

const world = generateWorld({ seed: 5, size: 5_000 });
let sim: DukcapilSimulator;

async function call<T>(
  method: string,
  body: Record<string, unknown>,
  credentials = sim.credentials,
) {
  const res = await fetch(`${sim.url}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...credentials, ...body }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}
const lookup = (nik: string) => call<DukcapilLookupReply>("CALL_NIK", { NIK: nik });
/** The first item of a page, read as the flat string record it is on the wire. */
const first = (reply: { content: unknown[] }) => reply.content[0] as Record<string, string>;
const example = (kind: Parameters<typeof world.examples>[0]) => world.examples(kind, 1)[0] ?? "";

beforeAll(async () => {
  sim = await startDukcapilSimulator({ world });
});
afterAll(() => sim.close());

describe("Dukcapil simulator", () => {
  it("answers CALL_NIK with a page holding one upper-case record", async () => {
    const nik = example("CLEAN");
    const reply = await lookup(nik);
    expect(reply).toMatchObject({ totalElements: 1, numberOfElements: 1, first: true, last: true });
    const record = first(reply);
    const person = world.person(world.indexOf(nik));
    expect(record.NIK).toBe(nik);
    expect(record.NAMA_LGKP).toBe(person.fullName);
    expect(record.NAMA_LGKP).toBe(record.NAMA_LGKP?.toUpperCase());
    expect(record.RESPONSE_CODE).toBeUndefined();
    expect(record.TGL_LHR).toMatch(/^(\d{2}-\d{2}-\d{4}|\d{4}-\d{2}-\d{2})$/);
    expect(record.NO_PROP).toBe(nik.slice(0, 2));
    expect(record.NO_RT).toMatch(/^\d{1,3}$/);
    expect(Object.values(record).every((v) => typeof v === "string")).toBe(true);
  });

  it("prints dates and RT/RW both ways across records, stably per record", async () => {
    const formats = new Set<string>();
    for (const nik of world.examples("CLEAN", 30)) {
      const once = first(await lookup(nik));
      const again = first(await lookup(nik));
      expect(again.TGL_LHR).toBe(once.TGL_LHR);
      formats.add(/^\d{4}-/.test(once.TGL_LHR ?? "") ? "iso" : "dmy");
    }
    expect(formats.size).toBe(2);
  });

  it("answers 13 for unknown NIKs and for NIKs missing from the registry, 15 for invalid ones", async () => {
    expect((await lookup("3273010101900000")).content[0]).toMatchObject({ RESPONSE_CODE: "13" });
    expect((await lookup(example("NOT_IN_CIVIL_REGISTRY"))).content[0]).toMatchObject({
      RESPONSE_CODE: "13",
    });
    expect((await lookup("32730101019")).content[0]).toMatchObject({ RESPONSE_CODE: "15" });
  });

  it("answers 11 with TGL_MATI for the deceased and 12 with two records for duplicates", async () => {
    const dead = first(await lookup(example("DECEASED_ACTIVE")));
    expect(dead.RESPONSE_CODE).toBe("11");
    expect(dead.TGL_MATI).toMatch(/^(\d{2}-\d{2}-\d{4}|\d{4}-\d{2}-\d{2})$/);
    const duplicate = await lookup(example("DUPLICATE_NIK"));
    expect(duplicate.totalElements).toBe(2);
    expect(
      duplicate.content.map((r) => (r as unknown as Record<string, string>).RESPONSE_CODE),
    ).toEqual(["12", "12"]);
  });

  it("refuses bad credentials with setup codes, still as HTTP 200", async () => {
    const nik = example("CLEAN");
    const as = (patch: Record<string, string>) =>
      call<DukcapilLookupReply>("CALL_NIK", { NIK: nik }, { ...sim.credentials, ...patch });
    expect((await as({ user_id: "someone" })).content[0]).toMatchObject({ RESPONSE_CODE: "03" });
    expect((await as({ password: "wrong" })).content[0]).toMatchObject({ RESPONSE_CODE: "04" });
    expect((await as({ ip_user: "10.0.0.9" })).content[0]).toMatchObject({ RESPONSE_CODE: "09" });
    expect((await call<DukcapilLookupReply>("CALL_FOO", { NIK: nik })).content[0]).toMatchObject({
      RESPONSE_CODE: "16",
    });
    const wrongInstansi = await fetch(`${sim.origin}/dukcapil/get_json/OTHER/CALL_NIK`, {
      method: "POST",
      body: JSON.stringify({ NIK: nik, ...sim.credentials }),
    });
    expect(((await wrongInstansi.json()) as DukcapilLookupReply).content[0]).toMatchObject({
      RESPONSE_CODE: "10",
    });
  });

  it("answers 05 once the daily quota is spent", async () => {
    sim.setDailyQuota(2);
    const nik = example("CLEAN");
    await lookup(nik);
    await lookup(nik);
    expect((await lookup(nik)).content[0]).toMatchObject({ RESPONSE_CODE: "05" });
    sim.setDailyQuota(10_000_000);
    expect((await lookup(nik)).content[0]).toMatchObject({ NIK: nik });
  });

  it("verifies elements against the threshold with similarity scores", async () => {
    const nik = example("CLEAN");
    const person = world.person(world.indexOf(nik));
    const [y, m, d] = person.birthDate.split("-");
    const reply = await call<DukcapilVerifyReply>("CALL_VERIFY_BY_ELEMEN", {
      NIK: nik,
      TRESHOLD: "90",
      NAMA_LGKP: person.fullName.toLowerCase(),
      TGL_LHR: `${d}-${m}-${y}`,
      NAMA_LGKP_IBU: "BUKAN IBUNYA SAMA SEKALI",
      JENIS_KLMIN: person.sex === "MALE" ? "L" : "P",
    });
    const verdicts = first(reply);
    expect(verdicts.NAMA_LGKP).toBe("Sesuai (100)");
    expect(verdicts.TGL_LHR).toBe("Sesuai (100)");
    expect(verdicts.JENIS_KLMIN).toBe("Sesuai (100)");
    expect(verdicts.NAMA_LGKP_IBU).toMatch(/^Tidak Sesuai \(\d+\)$/);
    expect(verdicts.ALAMAT).toBeUndefined();

    const typo = `${person.fullName.slice(0, -1)}X`;
    const loose = await call<DukcapilVerifyReply>("CALL_VERIFY_BY_ELEMEN", {
      NIK: nik,
      TRESHOLD: "50",
      NAMA_LGKP: typo,
    });
    expect(first(loose).NAMA_LGKP).toMatch(/^Sesuai \((\d+)\)$/);
  });

  it("looks up many NIKs with CALL_NIK_BULK, in request order", async () => {
    const niks = [
      example("CLEAN"),
      "3273010101900000",
      example("DUPLICATE_NIK"),
      example("DECEASED"),
    ];
    const reply = await call<DukcapilBulkReply>("CALL_NIK_BULK", { NIK: niks });
    const codes = reply.content.map((item) => (item as { RESPONSE_CODE: string }).RESPONSE_CODE);
    expect(codes).toEqual(["01", "13", "12", "12", "11"]);
    expect((reply.content[1] as { NIK?: string }).NIK).toBe("3273010101900000");
    const tooMany = await call<DukcapilBulkReply>("CALL_NIK_BULK", {
      NIK: Array.from({ length: 1001 }, () => niks[0]),
    });
    expect(tooMany.content[0]).toMatchObject({ RESPONSE_CODE: "17" });
  });

  it("answers unknown paths with a Spring-style 404", async () => {
    const res = await fetch(`${sim.origin}/nope`, { method: "POST" });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ status: 404, error: "Not Found" });
  });
});
