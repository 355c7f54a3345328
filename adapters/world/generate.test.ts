import { describe, expect, it } from "vitest";
import { PROVINCES } from "../../sdk/src/nik/provinces.generated.ts";
import {
  ANOMALY_KINDS,
  ANOMALY_RATES,
  EXAMPLE_KINDS,
  generateWorld,
  type WorldPerson,
} from "./generate.ts";

const SIZE = 20_000;
const world = generateWorld({ seed: 42, size: SIZE });

/** Checks a NIK against its person: district, birth date (+40 for women), serial. */
function nikProblems(person: WorldPerson): string[] {
  const { nik } = person;
  const problems: string[] = [];
  if (!/^\d{16}$/.test(nik)) return [`${nik} is not 16 digits`];
  if (!PROVINCES[nik.slice(0, 2)]) problems.push(`province ${nik.slice(0, 2)} does not exist`);
  if (nik.slice(0, 6) !== person.ktpDistrictCode) problems.push("district is not the issuing one");
  const rawDay = Number(nik.slice(6, 8));
  const female = rawDay > 40;
  if (female !== (person.sex === "FEMALE")) problems.push("day+40 does not match sex");
  const day = female ? rawDay - 40 : rawDay;
  const month = Number(nik.slice(8, 10));
  const year = Number(nik.slice(10, 12));
  const [by, bm, bd] = person.birthDate.split("-").map(Number) as [number, number, number];
  if (day !== bd || month !== bm || year !== by % 100)
    problems.push("date differs from birth date");
  const date = new Date(Date.UTC(by, month - 1, day));
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1) problems.push("invalid date");
  if (nik.slice(12) === "0000") problems.push("serial 0000");
  return problems;
}

describe("generateWorld", () => {
  it("gives every person a valid NIK and a unique one (apart from planted duplicates)", () => {
    const seen = new Set<string>();
    for (let i = 0; i < world.recordCount; i++) {
      const person = world.person(i);
      expect(nikProblems(person), `person ${i}`).toEqual([]);
      expect(person.familyCardNumber).toMatch(/^\d{16}$/);
      if (!person.duplicateTwin) {
        expect(seen.has(person.nik), `NIK of person ${i} repeats`).toBe(false);
        seen.add(person.nik);
      }
    }
    expect(seen.size).toBe(SIZE);
  });

  it("is deterministic for a seed and size, and differs across seeds", () => {
    const again = generateWorld({ seed: 42, size: SIZE });
    for (let i = 0; i < SIZE; i += 37) expect(again.person(i)).toEqual(world.person(i));
    expect(again.examples("CLEAN", 20)).toEqual(world.examples("CLEAN", 20));
    const other = generateWorld({ seed: 43, size: SIZE });
    expect(other.examples("CLEAN", 20)).not.toEqual(world.examples("CLEAN", 20));
  });

  it("plants each anomaly at its documented rate", () => {
    const counts = world.counts();
    for (const kind of ANOMALY_KINDS) {
      const rate = counts[kind] / SIZE;
      expect(rate, kind).toBeGreaterThan(ANOMALY_RATES[kind] * 0.9);
      expect(rate, kind).toBeLessThan(ANOMALY_RATES[kind] * 1.1);
    }
    expect(counts.CLEAN).toBeGreaterThan(SIZE * 0.2);
  });

  it("lists examples that really have their anomaly", () => {
    for (const kind of EXAMPLE_KINDS) {
      const niks = world.examples(kind, 25);
      expect(niks.length, kind).toBe(25);
      for (const nik of niks) {
        const i = world.indexOf(nik);
        const p = world.person(i);
        const civil = world.sources.dukcapil.find(nik);
        const dtks = world.dtks(i);
        switch (kind) {
          case "EXCLUSIVE_CONFLICT": {
            const has = new Set(p.programs);
            const bsuClash =
              has.has("BSU") && (has.has("PRAKERJA") || has.has("PKH") || has.has("BPUM"));
            const bpumClash =
              has.has("BPUM") &&
              [
                "PEGAWAI NEGERI SIPIL",
                "TENTARA NASIONAL INDONESIA",
                "KEPOLISIAN RI",
                "KARYAWAN BUMN",
              ].includes(p.occupation);
            expect(bsuClash || bpumClash, nik).toBe(true);
            // Planted conflicts are paid ones, so no status can explain them away.
            for (const bsu of world.bsu(i)) expect(bsu.status).toBe("TERSALUR");
            if (has.has("BPUM")) expect(world.bpum(i)?.status).toBe("TERSALUR");
            break;
          }
          case "DECEASED_ACTIVE":
            expect(p.deathDate).not.toBeNull();
            expect(civil).toHaveLength(1);
            expect(dtks?.inactive).toBe(false);
            expect(Object.values(dtks?.programs ?? {}).some((period) => period !== null)).toBe(
              true,
            );
            break;
          case "NOT_IN_CIVIL_REGISTRY":
            expect(civil).toEqual([]);
            expect(dtks !== null || p.programs.length > 0).toBe(true);
            break;
          case "DUPLICATE_NIK": {
            expect(civil).toHaveLength(2);
            const twin = world.person(civil[1] ?? -1);
            expect(twin.nik).toBe(nik);
            expect(
              twin.fullName === p.fullName && twin.familyCardNumber === p.familyCardNumber,
            ).toBe(false);
            break;
          }
          case "OUTSIDE_KTP_REGION":
            expect(p.address.regency.code).not.toBe(nik.slice(0, 4));
            break;
          case "CLEAN":
            expect(p.anomaly).toBeNull();
            expect(p.deathDate).toBeNull();
            expect(civil).toEqual([i]);
            expect(p.programs.length).toBeGreaterThan(0);
            expect(p.address.regency.code).toBe(nik.slice(0, 4));
            break;
          case "DECEASED":
            expect(p.deathDate).not.toBeNull();
            expect(p.programs).toEqual([]);
            if (dtks) expect(dtks.inactive).toBe(true);
            break;
        }
      }
    }
  });

  it("obeys the program rules outside planted conflicts", () => {
    for (let i = 0; i < SIZE; i++) {
      const p = world.person(i);
      if (p.anomaly === "EXCLUSIVE_CONFLICT") continue;
      const has = new Set(p.programs);
      if (has.has("BSU")) {
        expect(has.has("PRAKERJA") || has.has("PKH") || has.has("BPUM"), p.nik).toBe(false);
      }
      if (has.has("BST")) expect(has.has("PKH") || has.has("BPNT"), p.nik).toBe(false);
      if (has.has("PRAKERJA")) expect(has.has("PKH"), p.nik).toBe(false);
      if (p.deathDate && p.anomaly !== "DECEASED_ACTIVE") expect(p.programs).toEqual([]);
      if (p.anomaly !== "OUTSIDE_KTP_REGION" && !p.duplicateTwin) {
        expect(p.address.regency.code).toBe(p.nik.slice(0, 4));
      }
    }
  });

  it("mostly gives PKH and BPNT to desil 1-4, and children their mother's name", () => {
    let low = 0;
    let all = 0;
    for (let i = 0; i < SIZE; i++) {
      const dtks = world.dtks(i);
      if (!dtks || (dtks.programs.PKH === null && dtks.programs.BPNT === null)) continue;
      all++;
      if (dtks.desil <= 4) low++;
    }
    expect(low / all).toBeGreaterThan(0.85);
    const wife = world.person(1).relationship === "ISTRI" ? world.person(1) : undefined;
    if (wife && world.person(2).relationship === "ANAK") {
      expect(world.person(2).motherName).toBe(wife.fullName);
    }
  });

  it("serves lookups per source slice", () => {
    const [clean] = world.examples("CLEAN", 1);
    expect(world.indexOf(clean ?? "")).toBeGreaterThanOrEqual(0);
    expect(world.indexOf("0000000000000000")).toBe(-1);
    expect(world.indexOf("32730110019000")).toBe(-1);
    expect(world.sources.dukcapil.size).toBe(SIZE - world.counts().NOT_IN_CIVIL_REGISTRY);
    expect(world.sources.kemensos.size).toBeGreaterThan(SIZE * 0.2);
    expect(world.sources.kemnaker.size).toBeGreaterThan(0);
    expect(world.sources.kemenkopukm.size).toBeGreaterThan(0);
  });

  it("generates the default size quickly", () => {
    // Not a benchmark: a guard against accidentally quadratic generation.
    const started = performance.now();
    generateWorld({ seed: 7, size: SIZE });
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
