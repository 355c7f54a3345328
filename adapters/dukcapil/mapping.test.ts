import { describe, expect, it } from "vitest";
import { Person } from "../../schemas/src/person.ts";
import { interpretLookup } from "./adapter.ts";
import { mapDukcapilRecord, parseDukcapilDate } from "./mapping.ts";
import type { DukcapilRecord } from "./native.ts";

const RECORD: DukcapilRecord = {
  NIK: "3273014501900001",
  NO_KK: "3273010101100001",
  NAMA_LGKP: "SITI AMINAH ",
  TMPT_LHR: "BANDUNG",
  TGL_LHR: "05-01-1990",
  JENIS_KLMIN: "PEREMPUAN",
  AGAMA: "ISLAM",
  STATUS_KAWIN: "KAWIN TERCATAT",
  STAT_HBKEL: "ISTRI",
  PDDK_AKH: "SLTA/SEDERAJAT",
  JENIS_PKRJN: "MENGURUS RUMAH TANGGA",
  NAMA_LGKP_IBU: "ROHAYATI",
  ALAMAT: "JL. CIHAMPELAS GG. MAWAR",
  NO_RT: "3",
  NO_RW: "011",
  NO_PROP: "32",
  PROP_NAME: "JAWA BARAT",
  NO_KAB: "73",
  KAB_NAME: "KOTA BANDUNG",
  NO_KEC: "1",
  KEC_NAME: "SUKASARI",
  NO_KEL: "1001",
  KEL_NAME: "GEGERKALONG",
};

const page = (content: unknown[]) => ({
  content,
  totalElements: content.length,
  totalPages: 1,
  numberOfElements: content.length,
  size: 10,
  number: 0,
  first: true,
  last: true,
});

describe("Dukcapil mapping", () => {
  it("maps a native record to a canonical person that satisfies the schema", () => {
    const mapped = mapDukcapilRecord(RECORD, { deceased: false });
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    expect(
      Person.safeParse(mapped.value).success,
      "the mapped person must satisfy the canonical schema",
    ).toBe(true);
    expect(mapped.value).toMatchObject({
      fullName: "SITI AMINAH",
      birthDate: "1990-01-05",
      sex: "FEMALE",
      maritalStatus: "KAWIN",
      familyRelationship: "ISTRI",
      lifeStatus: "ALIVE",
      address: {
        rt: "003",
        rw: "011",
        province: { code: "32" },
        regency: { code: "3273" },
        district: { code: "327301" },
        village: { code: "3273011001" },
      },
    });
  });

  it("accepts both date orders and refuses impossible dates", () => {
    expect(parseDukcapilDate("1990-01-05")).toBe("1990-01-05");
    expect(parseDukcapilDate("05-01-1990")).toBe("1990-01-05");
    expect(parseDukcapilDate("31-02-1990")).toBeUndefined();
    expect(parseDukcapilDate("1990/01/05")).toBeUndefined();
  });

  it("accepts exactly the calendar dates a Date round trip accepts, leap days included", () => {
    const viaDate = (iso: string) => {
      const date = new Date(`${iso}T00:00:00Z`);
      return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso;
    };
    const two = (n: number) => String(n).padStart(2, "0");
    let accepted = 0;
    for (const year of ["0000", "1900", "1999", "2000", "2023", "2024", "2100", "9999"]) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const iso = `${year}-${two(month)}-${two(day)}`;
          const expected = viaDate(iso) ? iso : undefined;
          expect(parseDukcapilDate(iso), iso).toBe(expected);
          expect(parseDukcapilDate(`${two(day)}-${two(month)}-${year}`), iso).toBe(expected);
          if (expected) accepted++;
        }
      }
    }
    expect(accepted).toBe(8 * 365 + 3); // 0000, 2000 and 2024 are leap years; 1900 and 2100 are not
  });

  it("accepts region codes already prefixed by their parent", () => {
    const mapped = mapDukcapilRecord(
      { ...RECORD, NO_KAB: "3273", NO_KEC: "327301" },
      { deceased: false },
    );
    expect(mapped.ok && mapped.value.address.district.code).toBe("327301");
  });

  it("reports the field that cannot be mapped instead of guessing", () => {
    const mapped = mapDukcapilRecord({ ...RECORD, JENIS_KLMIN: "X" }, { deceased: false });
    expect(mapped).toMatchObject({ ok: false, field: "JENIS_KLMIN" });
  });
});

describe("Dukcapil reply interpretation", () => {
  it.each([
    [
      [{ RESPON: "Data Tidak Ditemukan", RESPONSE_CODE: "13" }],
      { ok: true, value: { status: "NOT_FOUND" } },
    ],
    [
      [{ RESPON: "NIK tidak terdaftar", RESPONSE_CODE: "15" }],
      { ok: true, value: { status: "NOT_FOUND" } },
    ],
    [
      [{ RESPON: "Kuota akses hari ini telah habis", RESPONSE_CODE: "05" }],
      { ok: false, error: { kind: "QUOTA" } },
    ],
    [
      [{ RESPON: "User tidak aktif", RESPONSE_CODE: "04" }],
      { ok: false, error: { kind: "REJECTED" } },
    ],
    [
      [RECORD, { ...RECORD, NAMA_LGKP: "LAIN" }],
      { ok: true, value: { status: "MULTIPLE", count: 2 } },
    ],
    [
      [{ ...RECORD, RESPONSE_CODE: "11", TGL_MATI: "2023-04-02" }],
      {
        ok: true,
        value: { status: "DECEASED", deathDate: "2023-04-02", person: { lifeStatus: "DECEASED" } },
      },
    ],
    [[RECORD], { ok: true, value: { status: "FOUND" } }],
    [[{ ...RECORD, TGL_LHR: 19900105 }], { ok: false, error: { kind: "BAD_RESPONSE" } }],
    [[{ ...RECORD, NAMA_LGKP: null }], { ok: false, error: { kind: "BAD_RESPONSE" } }],
    [[{ ...RECORD, ALAMAT: undefined }], { ok: false, error: { kind: "BAD_RESPONSE" } }],
  ])("interprets %j", (content, expected) => {
    expect(interpretLookup(page(content) as never)).toMatchObject(expected);
  });

  it("treats a reply without a content array as a bad response, not a crash", () => {
    expect(interpretLookup({} as never)).toMatchObject({
      ok: false,
      error: { kind: "BAD_RESPONSE" },
    });
    expect(interpretLookup(null as never)).toMatchObject({
      ok: false,
      error: { kind: "BAD_RESPONSE" },
    });
  });
});
