/** Deterministic generator of the simulated population that every ministry simulator serves. */
import { NikIndex, SerialCounter } from "./nik-index.ts";
import { cumulative, hash32, hashUnit, Random } from "./prng.ts";
import { loadRegions, villageWeights } from "./regions.ts";
import {
  BALI_FEMALE,
  BALI_MALE,
  BALI_ORDER,
  BANKS,
  EAST_FAMILY,
  EDUCATION,
  FEMALE_CHRISTIAN,
  FEMALE_GIVEN,
  FEMALE_SECOND,
  HAMLETS,
  MALE_CHRISTIAN,
  MALE_GIVEN,
  MALE_SECOND,
  MARGA,
  MARITAL,
  OCC,
  OCCUPATION,
  REL,
  RELATIONSHIP,
  RELIGION,
  STREETS,
} from "./vocabulary.ts";

/** Deliberate data-quality problems planted in the world, so that checks have something to find. */
export type AnomalyKind =
  /** Enrolled in two programs the rules make exclusive (BSU + Prakerja/PKH/BPUM), or BPUM for a PNS/TNI/POLRI/BUMN worker. */
  | "EXCLUSIVE_CONFLICT"
  /** Dead in Dukcapil, still active in a current Kemensos program (PKH, BPNT or PBI). */
  | "DECEASED_ACTIVE"
  /** In DTKS or a program, but the NIK is absent from Dukcapil (CALL_NIK answers 13). */
  | "NOT_IN_CIVIL_REGISTRY"
  /** Dukcapil holds two records (two different people) for one NIK (CALL_NIK answers 12). */
  | "DUPLICATE_NIK"
  /** Lives in a different regency (often a different province) than the one that issued the NIK. */
  | "OUTSIDE_KTP_REGION";

/**
 * What `world.examples(kind)` can list: an anomaly, `CLEAN` (alive, in Dukcapil, enrolled in at
 * least one program, no anomaly) or `DECEASED` (dead in Dukcapil, every enrolment closed).
 */
export type ExampleKind = AnomalyKind | "CLEAN" | "DECEASED";

export const ANOMALY_KINDS: readonly AnomalyKind[] = [
  "EXCLUSIVE_CONFLICT",
  "DECEASED_ACTIVE",
  "NOT_IN_CIVIL_REGISTRY",
  "DUPLICATE_NIK",
  "OUTSIDE_KTP_REGION",
];
export const EXAMPLE_KINDS: readonly ExampleKind[] = [...ANOMALY_KINDS, "CLEAN", "DECEASED"];

/**
 * Share of the population carrying each anomaly; each person carries at most one. Counts are
 * `max(1, round(rate × size))`, so the realised rate is exact up to rounding. Also in the world,
 * without being anomalies: about 1.7% natural deaths (with every enrolment closed), 3% of people
 * whose NIK was issued by another district of the same regency, and ~40% of households in DTKS.
 */
export const ANOMALY_RATES: Readonly<Record<AnomalyKind, number>> = {
  EXCLUSIVE_CONFLICT: 0.01,
  DECEASED_ACTIVE: 0.004,
  NOT_IN_CIVIL_REGISTRY: 0.008,
  DUPLICATE_NIK: 0.003,
  OUTSIDE_KTP_REGION: 0.03,
};

/** Program codes as the gateway's rule set names them, and their owners. */
export type ProgramCode = "PKH" | "BPNT" | "PBI" | "BST" | "PRAKERJA" | "BSU" | "BPUM";
export const PROGRAM_CODES: readonly ProgramCode[] = [
  "PKH",
  "BPNT",
  "PBI",
  "BST",
  "PRAKERJA",
  "BSU",
  "BPUM",
];
const PROGRAM_BIT: Readonly<Record<ProgramCode, number>> = {
  PKH: 1,
  BPNT: 2,
  PBI: 4,
  BST: 8,
  PRAKERJA: 16,
  BSU: 32,
  BPUM: 64,
};
const CURRENT_KEMENSOS_BITS = 1 | 2 | 4;

/** The DTKS decree period the world is a snapshot of, and each Kemensos program's last period. */
export const DTKS_PERIOD = "2024-11";
export const KEMENSOS_PERIODS: Readonly<Record<"PKH" | "BPNT" | "PBI" | "BST", string>> = {
  PKH: "2024-10",
  BPNT: "2024-11",
  PBI: "2024-11",
  // BST ran in 2020–2021 only; DTKS still carries the flag with its last period.
  BST: "2021-06",
};

export interface WorldOptions {
  /** Any 32-bit integer; the same seed and size always give the same world. */
  readonly seed?: number;
  /** Number of persons (duplicate-NIK twins in Dukcapil come on top). Default 20 000. */
  readonly size?: number;
}

export interface RegionRef {
  readonly code: string;
  readonly name: string;
}

/** A person as the world knows the truth about them; simulators render their own slices of it. */
export interface WorldPerson {
  readonly index: number;
  readonly nik: string;
  readonly familyCardNumber: string;
  readonly fullName: string;
  readonly sex: "MALE" | "FEMALE";
  /** ISO 8601 date. */
  readonly birthDate: string;
  /** Regency name without its KABUPATEN/KOTA prefix, as on a KTP ("BANDUNG"). */
  readonly birthPlace: string;
  readonly religion: (typeof RELIGION)[number];
  readonly maritalStatus: (typeof MARITAL)[number];
  readonly relationship: (typeof RELATIONSHIP)[number];
  readonly education: (typeof EDUCATION)[number];
  readonly occupation: (typeof OCCUPATION)[number];
  readonly motherName: string;
  /** Domicile, which is also the Dukcapil and DTKS address. */
  readonly address: {
    readonly street: string;
    readonly rt: number;
    readonly rw: number;
    readonly village: RegionRef;
    readonly district: RegionRef;
    readonly regency: RegionRef;
    readonly province: RegionRef;
  };
  /** District that issued the NIK (its first six digits). */
  readonly ktpDistrictCode: string;
  /** ISO date of death, or null when alive. */
  readonly deathDate: string | null;
  /** False for NOT_IN_CIVIL_REGISTRY persons. */
  readonly inCivilRegistry: boolean;
  /** True for the second Dukcapil record behind a DUPLICATE_NIK (not part of `size`). */
  readonly duplicateTwin: boolean;
  readonly anomaly: AnomalyKind | null;
  readonly programs: readonly ProgramCode[];
}

/** A person's DTKS (Kemensos) row, in world terms. */
export interface DtksFacts {
  readonly desil: number;
  readonly period: string;
  readonly idSemesta: string;
  readonly inactive: boolean;
  /** Set when Kemensos knows of the death (never for DECEASED_ACTIVE). */
  readonly deathNote: string | null;
  /** Last time the row was matched against Dukcapil ("YYYY-MM-DD HH:mm:ss"), or null. */
  readonly matchedAt: string | null;
  readonly programs: Readonly<Record<"PKH" | "BPNT" | "PBI" | "BST", string | null>>;
}

export interface PrakerjaFacts {
  readonly cardNumber: string;
  readonly year: number;
  readonly wave: number;
  readonly trainingAid: number;
  readonly incentiveTotal: number;
  readonly incentivePaid: number;
  readonly incentiveStatus: "DIBAYAR PENUH" | "DIBAYAR SEBAGIAN" | "BELUM DIBAYAR";
}

export interface BsuFacts {
  readonly year: number;
  readonly stage: number;
  /** BPJS Ketenagakerjaan participant number (11 digits). */
  readonly kpj: string;
  readonly status: "TERSALUR" | "GAGAL SALUR" | "RETUR" | "PROSES";
  readonly bank: (typeof BANKS)[number];
  readonly amount: number;
  readonly paidOn: string | null;
}

export interface BpumFacts {
  readonly year: number;
  readonly stage: number;
  readonly status: "TERSALUR" | "DIKEMBALIKAN KE KAS NEGARA" | "DIBLOKIR" | "BELUM DICAIRKAN";
  readonly amount: number;
  readonly proposer: string;
  readonly businessType: string;
  readonly businessRegency: RegionRef;
  readonly businessProvince: RegionRef;
  readonly bank: "BRI" | "BNI" | "BSI";
  readonly paidOn: string | null;
}

/** Person indices a source holds for a NIK (an empty array when the source does not know it). */
export interface SourceSlice {
  find(nik: string): readonly number[];
  /** Number of NIKs the source holds. */
  readonly size: number;
}

export interface World {
  readonly seed: number;
  readonly size: number;
  /** Persons plus duplicate-NIK twins; valid indices are [0, recordCount). */
  readonly recordCount: number;
  readonly generationMs: number;
  /** Materialises one person (cheap: a handful of string concatenations). */
  person(index: number): WorldPerson;
  nik(index: number): string;
  /** Index of the (first) person with this NIK, or -1. */
  indexOf(nik: string): number;
  anomaly(index: number): AnomalyKind | null;
  /** Up to `n` NIKs for a kind, in a stable order. */
  examples(kind: ExampleKind, n: number): string[];
  /** How many persons carry each example kind. */
  counts(): Readonly<Record<ExampleKind, number>>;
  /** Per-source slices: what each ministry holds about a NIK. */
  readonly sources: {
    /** Civil-registry records: none, one, or two for a DUPLICATE_NIK. */
    readonly dukcapil: SourceSlice;
    /** DTKS members (whole households). */
    readonly kemensos: SourceSlice;
    /** Prakerja or BSU recipients. */
    readonly kemnaker: SourceSlice;
    /** BPUM recipients. */
    readonly kemenkopukm: SourceSlice;
  };
  dtks(index: number): DtksFacts | null;
  prakerja(index: number): PrakerjaFacts | null;
  bsu(index: number): BsuFacts[];
  bpum(index: number): BpumFacts | null;
}

// --- dates (day numbers since 1970-01-01, UTC) ---

const day = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / 86_400_000;
/** The world is a snapshot as of this day. */
const TODAY = day(2024, 12, 1);
const OLDEST_BIRTH = day(1930, 1, 1);
const NATURAL_DEATHS_FROM = day(2019, 1, 1);
const NATURAL_DEATHS_TO = day(2024, 10, 31);
const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** A day number as yyyymmdd (Hinnant's civil_from_days; no Date allocation in hot loops). */
function civil(days: number): number {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return (yoe + era * 400 + (m <= 2 ? 1 : 0)) * 10_000 + m * 100 + d;
}
const isoDay = (days: number) => {
  const c = civil(days);
  return `${Math.floor(c / 10_000)}-${pad2(Math.floor(c / 100) % 100)}-${pad2(c % 100)}`;
};
const ageAt = (birth: number, at: number) => Math.floor((at - birth) / 365.25);

// --- stored enums ---

const FLAG_ABSENT = 1;
const FLAG_TWIN = 2;
const ANOMALY_CODE: readonly (AnomalyKind | null)[] = [null, ...ANOMALY_KINDS];
const anomalyCode = (kind: AnomalyKind) => ANOMALY_CODE.indexOf(kind);

const STYLE_DEFAULT = 0;
const STYLE_BATAK = 1;
const STYLE_BALI = 2;
const STYLE_EAST = 3;

const EXCLUDED_FROM_BPUM = new Set<number>([OCC.PNS, OCC.TNI, OCC.POLRI, OCC.BUMN]);
const EXCLUDED_FROM_PRAKERJA = new Set<number>([
  OCC.PNS,
  OCC.TNI,
  OCC.POLRI,
  OCC.BUMN,
  OCC.VILLAGE_OFFICIAL,
]);
const BSU_WORKERS = new Set<number>([
  OCC.PRIVATE,
  OCC.HONORARY,
  OCC.DAY_LABOURER,
  OCC.DRIVER,
  OCC.TEACHER,
]);
const MICRO_BUSINESS = new Set<number>([OCC.TRADER, OCC.ENTREPRENEUR, OCC.FARMER, OCC.FISHER]);

const BUSINESS_TYPES = [
  "WARUNG KELONTONG",
  "KULINER",
  "PERTANIAN",
  "PERIKANAN",
  "KERAJINAN",
  "JASA",
  "PERDAGANGAN ONLINE",
  "PAKAIAN",
];

// Salts for facts derived on demand with hash32 (never change them: worlds would change).
// Salts below 10 are left to simulators for formatting quirks (Dukcapil uses 1).
const S_PRAKERJA = 10;
const S_BSU = 20;
const S_BPUM = 30;
const S_DTKS = 40;
const S_CONFLICT = 50;

/** One interned table of name parts; persons store three Uint16 indices into it. */
class NameParts {
  readonly parts: string[] = [""];
  private readonly index = new Map<string, number>([["", 0]]);
  ids(words: readonly string[]): Uint16Array {
    return Uint16Array.from(words, (w) => this.id(w));
  }
  id(word: string): number {
    let i = this.index.get(word);
    if (i === undefined) {
      i = this.parts.length;
      this.parts.push(word);
      this.index.set(word, i);
    }
    return i;
  }
}

/**
 * Builds the world. Deterministic: the same `seed` and `size` give an identical world.
 *
 * @example
 * const world = generateWorld({ seed: 42, size: 20_000 });
 * const [nik] = world.examples("DECEASED_ACTIVE", 1);
 * console.log(world.person(world.indexOf(nik!)).deathDate);
 */
export function generateWorld(options: WorldOptions = {}): World {
  const started = performance.now();
  const seed = (options.seed ?? 1) | 0;
  const size = Math.max(1, Math.floor(options.size ?? 20_000));
  const regions = loadRegions();
  const rng = new Random(seed);

  const targets = Object.fromEntries(
    ANOMALY_KINDS.map((k) => [k, Math.max(1, Math.round(ANOMALY_RATES[k] * size))]),
  ) as Record<AnomalyKind, number>;
  const capacity = size + targets.DUPLICATE_NIK;

  // --- storage: one typed array per attribute keeps a million persons in tens of megabytes ---
  const hh = new Uint32Array(capacity);
  const sex = new Uint8Array(capacity);
  const birth = new Int32Array(capacity);
  const death = new Int32Array(capacity);
  const name0 = new Uint16Array(capacity);
  const name1 = new Uint16Array(capacity);
  const name2 = new Uint16Array(capacity);
  const mom0 = new Uint16Array(capacity);
  const mom1 = new Uint16Array(capacity);
  const mom2 = new Uint16Array(capacity);
  const birthPlace = new Uint16Array(capacity);
  const religion = new Uint8Array(capacity);
  const marital = new Uint8Array(capacity);
  const relation = new Uint8Array(capacity);
  const education = new Uint8Array(capacity);
  const occupation = new Uint8Array(capacity);
  const ktp = new Uint16Array(capacity);
  const flags = new Uint8Array(capacity);
  const programs = new Uint8Array(capacity);
  const anomaly = new Uint8Array(capacity);
  /** Last four NIK digits; the rest of a NIK is derived from district, birth date and sex. */
  const serial = new Uint16Array(capacity);

  const hhVillage = new Uint32Array(capacity);
  const hhStreet = new Uint8Array(capacity);
  const hhNumber = new Uint16Array(capacity);
  const hhRt = new Uint8Array(capacity);
  const hhRw = new Uint8Array(capacity);
  const hhDesil = new Uint8Array(capacity);
  const hhDtks = new Uint8Array(capacity);
  const hhStart = new Uint32Array(capacity);
  const hhSize = new Uint8Array(capacity);
  const kk: string[] = [];

  const names = new NameParts();
  const pools = {
    maleGiven: names.ids(MALE_GIVEN),
    femaleGiven: names.ids(FEMALE_GIVEN),
    maleSecond: names.ids(MALE_SECOND),
    femaleSecond: names.ids(FEMALE_SECOND),
    marga: names.ids(MARGA),
    maleChristian: names.ids(MALE_CHRISTIAN),
    femaleChristian: names.ids(FEMALE_CHRISTIAN),
    eastFamily: names.ids(EAST_FAMILY),
    baliOrder: names.ids(BALI_ORDER),
    baliMale: names.ids(BALI_MALE),
    baliFemale: names.ids(BALI_FEMALE),
  };
  const I = names.id("I");
  const NI = names.id("NI");
  const pickId = (pool: Uint16Array) => pool[Math.floor(rng.next() * pool.length)] ?? 0;

  /** Writes a fresh name for a person of this style into (name0, name1, name2)[i]. */
  const nameFor = (i: number, style: number, female: boolean, family: number, order: number) => {
    let a = 0;
    let b = 0;
    let c = 0;
    if (style === STYLE_BALI) {
      a = female ? NI : I;
      b = pools.baliOrder[order % 4] ?? 0;
      c = pickId(female ? pools.baliFemale : pools.baliMale);
    } else if (style === STYLE_BATAK) {
      a = rng.chance(0.5)
        ? pickId(female ? pools.femaleChristian : pools.maleChristian)
        : pickId(female ? pools.femaleGiven : pools.maleGiven);
      c = family || pickId(pools.marga);
    } else if (style === STYLE_EAST) {
      a = pickId(female ? pools.femaleChristian : pools.maleChristian);
      if (rng.chance(0.3)) b = pickId(female ? pools.femaleGiven : pools.maleGiven);
      c = family || pickId(pools.eastFamily);
    } else {
      a = pickId(female ? pools.femaleGiven : pools.maleGiven);
      const r = rng.next();
      if (r < 0.55) b = pickId(female ? pools.femaleSecond : pools.maleSecond);
      else if (r < 0.7) b = pickId(female ? pools.femaleGiven : pools.maleGiven);
      if (b !== 0 && rng.chance(0.1)) c = pickId(female ? pools.femaleSecond : pools.maleSecond);
      if (c === b) c = 0;
    }
    if (b === a) b = 0;
    name0[i] = a;
    name1[i] = b;
    name2[i] = c;
  };

  const villageCum = cumulative(villageWeights(regions));
  const provinceOfVillage = (v: number) =>
    regions.regencyProvince[regions.districtRegency[regions.villageDistrict[v] ?? 0] ?? 0] ?? 0;
  const regencyOfDistrict = (d: number) => regions.districtRegency[d] ?? 0;
  const randomDistrictOf = (regency: number) => {
    const from = regions.regencyDistrictStart[regency] ?? 0;
    const to = regions.regencyDistrictStart[regency + 1] ?? from + 1;
    return rng.int(from, Math.max(from, to - 1));
  };
  const randomVillageOf = (district: number) => {
    const from = regions.districtVillageStart[district] ?? 0;
    const to = regions.districtVillageStart[district + 1] ?? from + 1;
    return rng.int(from, Math.max(from, to - 1));
  };

  const styleFor = (province: string) => {
    if (province === "51") return rng.chance(0.85) ? STYLE_BALI : STYLE_DEFAULT;
    if (province === "12") return rng.chance(0.5) ? STYLE_BATAK : STYLE_DEFAULT;
    if (["53", "71", "81", "91", "92", "93", "94", "95", "96"].includes(province)) {
      return rng.chance(0.7) ? STYLE_EAST : STYLE_DEFAULT;
    }
    return STYLE_DEFAULT;
  };
  const religionCum = {
    [STYLE_DEFAULT]: cumulative([93, 3.5, 2, 0.4, 0.7, 0.2, 0.2]),
    [STYLE_BATAK]: cumulative([30, 58, 11, 0, 0.5, 0, 0.5]),
    [STYLE_BALI]: cumulative([8, 2, 1, 88, 1, 0, 0]),
    [STYLE_EAST]: cumulative([10, 60, 29, 0, 0, 0, 1]),
  } as Record<number, Float64Array>;
  const educationCum = [
    cumulative([8, 15, 30, 22, 20, 1, 2, 2, 0, 0]),
    cumulative([3, 6, 18, 20, 38, 3, 5, 6, 1, 0]),
    cumulative([1, 2, 8, 12, 40, 4, 10, 18, 4, 1]),
  ];
  const occupationGeneral = cumulative([
    6, 0, 0, 0, 0, 0, 0, 0, 25, 3, 15, 3, 14, 8, 10, 10, 0, 4, 4, 0.5,
  ]);
  const occupationFormal = cumulative([
    3, 0, 0, 0, 12, 2, 2, 4, 5, 0, 30, 5, 2, 0, 8, 14, 7, 2, 0, 1,
  ]);
  const occupationOld = cumulative([40, 0, 0, 15, 0, 0, 0, 0, 30, 2, 0, 0, 0, 3, 7, 3, 0, 0, 0, 0]);
  const childrenCum = cumulative([15, 25, 30, 18, 8, 4]);

  /** Education, occupation and birth place for person i (age and household already known). */
  const profile = (i: number, desil: number, regency: number) => {
    const age = ageAt(birth[i] ?? 0, TODAY);
    const female = sex[i] === 1;
    let edu: number;
    let occ: number;
    if (age < 5) {
      edu = 0;
      occ = OCC.NONE;
    } else if (age <= 12) {
      edu = 1;
      occ = OCC.STUDENT;
    } else if (age <= 15) {
      edu = 2;
      occ = OCC.STUDENT;
    } else if (age <= 18) {
      edu = 3;
      occ = OCC.STUDENT;
    } else {
      edu = rng.weighted(educationCum[desil <= 4 ? 0 : desil <= 7 ? 1 : 2] as Float64Array);
      if (age >= 60) {
        occ = rng.weighted(occupationOld);
        if (occ === OCC.RETIRED && desil <= 4) occ = OCC.NONE;
      } else if (female && rng.chance(0.45)) {
        occ = OCC.HOUSEHOLD;
      } else if (age <= 23 && rng.chance(0.35)) {
        occ = OCC.STUDENT;
      } else if (edu >= 4 && desil >= 5) {
        occ = rng.weighted(occupationFormal);
      } else {
        occ = rng.weighted(occupationGeneral);
      }
    }
    education[i] = edu;
    occupation[i] = occ;
    const r = rng.next();
    birthPlace[i] =
      r < 0.85
        ? regency
        : r < 0.95
          ? regencyOfDistrict(randomDistrictOf(regency))
          : rng.int(0, regions.regencyCode.length - 1);
  };

  // --- households and persons ---
  let p = 0;
  let households = 0;
  const addPerson = (h: number, rel: number, female: boolean, birthDay: number) => {
    const i = p++;
    hh[i] = h;
    relation[i] = rel;
    sex[i] = female ? 1 : 0;
    birth[i] = Math.max(OLDEST_BIRTH, Math.min(TODAY - 1, birthDay));
    const age = ageAt(birth[i] ?? 0, TODAY);
    const deathP = age < 50 ? 0.004 : age < 70 ? 0.025 : 0.09;
    if (rng.chance(deathP)) {
      death[i] = rng.int(Math.max(NATURAL_DEATHS_FROM, (birth[i] ?? 0) + 1), NATURAL_DEATHS_TO);
    }
    return i;
  };
  const birthDayForAge = (age: number) => TODAY - Math.floor(age * 365.25) - rng.int(0, 364);

  const newHousehold = (village: number, desil: number, start: number) => {
    const h = households++;
    hhVillage[h] = village;
    hhStreet[h] = rng.int(0, 255);
    hhNumber[h] = rng.int(1, 250);
    hhRt[h] = rng.int(1, 15);
    hhRw[h] = rng.int(1, 12);
    hhDesil[h] = desil;
    const inDtks = desil <= 4 ? 0.92 : desil <= 6 ? 0.55 : desil <= 8 ? 0.15 : 0.04;
    hhDtks[h] = rng.chance(inDtks) ? 1 : 0;
    hhStart[h] = start;
    return h;
  };

  while (p < size) {
    const village = rng.weighted(villageCum);
    const district = regions.villageDistrict[village] ?? 0;
    const regency = regencyOfDistrict(district);
    const style = styleFor(regions.provinceCode[provinceOfVillage(village)] ?? "");
    const faith = rng.weighted(religionCum[style] as Float64Array);
    const desil = rng.int(1, 10);
    const h = newHousehold(village, desil, p);
    const start = p;

    const headAge = rng.chance(0.6) ? rng.int(22, 45) : rng.int(46, 80);
    const headFemale = rng.chance(0.12);
    const head = addPerson(h, REL.HEAD, headFemale, birthDayForAge(headAge));
    nameFor(head, style, headFemale, 0, rng.int(0, 3));
    let wife = -1;
    if (!headFemale && rng.chance(headAge < 25 ? 0.4 : 0.9) && p < size) {
      const wifeAge = Math.max(18, headAge - rng.int(0, 8));
      wife = addPerson(h, REL.WIFE, true, birthDayForAge(wifeAge));
      nameFor(wife, style, true, 0, rng.int(0, 3));
      marital[head] = 1;
      marital[wife] = 1;
    } else if (headFemale) {
      marital[head] = headAge < 30 ? (rng.chance(0.5) ? 0 : 2) : rng.chance(0.65) ? 3 : 2;
    } else {
      marital[head] = headAge < 35 ? 0 : rng.chance(0.5) ? 3 : 2;
    }
    const motherOfChildren = wife >= 0 ? wife : headFemale ? head : -1;
    const motherAge = ageAt(birth[motherOfChildren >= 0 ? motherOfChildren : head] ?? 0, TODAY);
    const oldestChild = Math.min(30, motherAge - 18);
    const childCount =
      oldestChild < 0 || (!headFemale && wife < 0 && headAge < 35)
        ? 0
        : Math.min(rng.weighted(childrenCum), headAge < 25 ? 1 : 5);
    const familyName =
      (style === STYLE_BATAK || style === STYLE_EAST) && !headFemale ? (name2[head] ?? 0) : 0;
    const childAges: number[] = [];
    for (let k = 0; k < childCount; k++) childAges.push(rng.int(0, Math.max(0, oldestChild)));
    childAges.sort((a, b) => b - a);
    for (let k = 0; k < childAges.length && p < size; k++) {
      const female = rng.chance(0.49);
      const child = addPerson(h, REL.CHILD, female, birthDayForAge(childAges[k] ?? 0));
      nameFor(child, style, female, familyName, k);
      marital[child] = (childAges[k] ?? 0) >= 25 && rng.chance(0.15) ? 1 : 0;
      if (motherOfChildren >= 0) {
        mom0[child] = name0[motherOfChildren] ?? 0;
        mom1[child] = name1[motherOfChildren] ?? 0;
        mom2[child] = name2[motherOfChildren] ?? 0;
      }
    }
    if (headAge <= 55 && rng.chance(0.06) && p < size) {
      const female = rng.chance(0.65);
      const parent = addPerson(h, REL.PARENT, female, birthDayForAge(headAge + rng.int(20, 32)));
      nameFor(parent, style, female, 0, rng.int(0, 3));
      marital[parent] = 3;
    }
    if (rng.chance(0.02) && p < size) {
      const female = rng.chance(0.5);
      const other = addPerson(h, REL.OTHER, female, birthDayForAge(rng.int(10, 60)));
      nameFor(other, style, female, 0, rng.int(0, 3));
    }
    hhSize[h] = p - start;
    for (let i = start; i < p; i++) {
      religion[i] = faith;
      ktp[i] = district;
      if (mom0[i] === 0) {
        // A mother outside the household: a plausible name of the same style.
        const keep = [name0[i] ?? 0, name1[i] ?? 0, name2[i] ?? 0];
        nameFor(i, style, true, 0, rng.int(0, 3));
        mom0[i] = name0[i] ?? 0;
        mom1[i] = name1[i] ?? 0;
        mom2[i] = name2[i] ?? 0;
        name0[i] = keep[0] ?? 0;
        name1[i] = keep[1] ?? 0;
        name2[i] = keep[2] ?? 0;
      }
      profile(i, desil, regency);
      // Some moved within their regency: the NIK's district differs, which is not an anomaly.
      if (rng.chance(0.03)) ktp[i] = randomDistrictOf(regency);
    }
  }

  // --- program enrolments that obey the rules ---
  const alive = (i: number) => death[i] === 0;
  const enrol = (i: number, bit: number) => {
    programs[i] = (programs[i] ?? 0) | bit;
  };
  for (let h = 0; h < households; h++) {
    if (!hhDtks[h]) continue;
    const desil = hhDesil[h] ?? 10;
    const start = hhStart[h] ?? 0;
    const end = start + (hhSize[h] ?? 0);
    let kpm = -1;
    let head = -1;
    for (let i = start; i < end; i++) {
      if (!alive(i)) continue;
      if (relation[i] === REL.HEAD) head = i;
      if (relation[i] === REL.WIFE) kpm = i;
    }
    if (kpm < 0) kpm = head;
    let pkhOrBpnt = false;
    if (kpm >= 0) {
      if (rng.chance(desil <= 4 ? 0.35 : desil <= 6 ? 0.04 : 0)) enrol(kpm, PROGRAM_BIT.PKH);
      if (rng.chance(desil <= 4 ? 0.55 : desil <= 6 ? 0.06 : 0)) enrol(kpm, PROGRAM_BIT.BPNT);
      pkhOrBpnt = programs[kpm] !== 0;
    }
    // BST went to families on neither PKH nor BPNT (Kepmensos 54/HUK/2020).
    if (head >= 0 && !pkhOrBpnt && rng.chance(desil <= 6 ? 0.3 : 0)) enrol(head, PROGRAM_BIT.BST);
    if (rng.chance(desil <= 5 ? 0.7 : desil === 6 ? 0.2 : 0)) {
      for (let i = start; i < end; i++) if (alive(i)) enrol(i, PROGRAM_BIT.PBI);
    }
  }
  for (let i = 0; i < size; i++) {
    if (!alive(i)) continue;
    const age = ageAt(birth[i] ?? 0, TODAY);
    if (age < 18 || age > 64) continue;
    const occ = occupation[i] ?? 0;
    const desil = hhDesil[hh[i] ?? 0] ?? 10;
    // Prakerja with PKH is allowed but flagged (a WARN rule), so the clean world avoids it.
    if (!EXCLUDED_FROM_PRAKERJA.has(occ) && age <= 55 && !((programs[i] ?? 0) & PROGRAM_BIT.PKH)) {
      const pr =
        occ === OCC.NONE || occ === OCC.STUDENT
          ? 0.09
          : occ === OCC.DAY_LABOURER ||
              occ === OCC.PRIVATE ||
              occ === OCC.TRADER ||
              occ === OCC.ENTREPRENEUR
            ? 0.06
            : 0.02;
      if (rng.chance(pr)) enrol(i, PROGRAM_BIT.PRAKERJA);
    }
    const own = programs[i] ?? 0;
    if (
      BSU_WORKERS.has(occ) &&
      age <= 60 &&
      desil >= 3 &&
      !(own & (PROGRAM_BIT.PRAKERJA | PROGRAM_BIT.PKH)) &&
      rng.chance(0.35)
    ) {
      enrol(i, PROGRAM_BIT.BSU);
    } else if (MICRO_BUSINESS.has(occ) && !EXCLUDED_FROM_BPUM.has(occ) && rng.chance(0.18)) {
      enrol(i, PROGRAM_BIT.BPUM);
    }
  }

  // --- deliberate anomalies, at most one per person ---
  const free = (i: number) => anomaly[i] === 0 && alive(i) && flags[i] === 0;
  const plant = (
    kind: AnomalyKind,
    eligible: (i: number) => boolean,
    apply: (i: number) => void,
  ) => {
    let planted = 0;
    const code = anomalyCode(kind);
    for (let attempt = 0; attempt < size * 50 && planted < targets[kind]; attempt++) {
      const i = rng.int(0, size - 1);
      if (!free(i) || !eligible(i)) continue;
      anomaly[i] = code;
      apply(i);
      planted++;
    }
  };
  const twinOf = new Map<number, number>();
  let twins = size;
  plant(
    "DUPLICATE_NIK",
    () => true,
    (i) => {
      // A different person, registered elsewhere in the same regency, under the same number.
      const t = twins++;
      const regency = regencyOfDistrict(ktp[i] ?? 0);
      const village = randomVillageOf(randomDistrictOf(regency));
      const h = newHousehold(village, rng.int(3, 10), t);
      hhSize[h] = 1;
      hh[t] = h;
      relation[t] = REL.HEAD;
      sex[t] = sex[i] ?? 0;
      birth[t] = birth[i] ?? 0;
      ktp[t] = ktp[i] ?? 0;
      flags[t] = FLAG_TWIN;
      anomaly[t] = anomalyCode("DUPLICATE_NIK");
      const style = styleFor(regions.provinceCode[provinceOfVillage(village)] ?? "");
      nameFor(t, style, sex[t] === 1, 0, rng.int(0, 3));
      const keep = [name0[t] ?? 0, name1[t] ?? 0, name2[t] ?? 0];
      nameFor(t, style, true, 0, 0);
      mom0[t] = name0[t] ?? 0;
      mom1[t] = name1[t] ?? 0;
      mom2[t] = name2[t] ?? 0;
      [name0[t], name1[t], name2[t]] = keep as [number, number, number];
      religion[t] = rng.weighted(religionCum[style] as Float64Array);
      marital[t] = ageAt(birth[t] ?? 0, TODAY) < 25 ? 0 : 1;
      profile(t, hhDesil[h] ?? 5, regency);
      twinOf.set(i, t);
    },
  );
  plant(
    "NOT_IN_CIVIL_REGISTRY",
    (i) => hhDtks[hh[i] ?? 0] === 1 || programs[i] !== 0,
    (i) => {
      flags[i] = (flags[i] ?? 0) | FLAG_ABSENT;
    },
  );
  plant(
    "DECEASED_ACTIVE",
    (i) => ((programs[i] ?? 0) & CURRENT_KEMENSOS_BITS) !== 0 && (birth[i] ?? 0) < day(2020, 1, 1),
    (i) => {
      death[i] = rng.int(Math.max(day(2021, 1, 1), (birth[i] ?? 0) + 1), day(2024, 6, 30));
    },
  );
  plant(
    "EXCLUSIVE_CONFLICT",
    (i) => {
      const age = ageAt(birth[i] ?? 0, TODAY);
      return age >= 20 && age <= 60;
    },
    (i) => {
      const toWorker = () => {
        if (!BSU_WORKERS.has(occupation[i] ?? 0)) occupation[i] = OCC.PRIVATE;
      };
      const variant = rng.int(0, 3);
      const inDtks = hhDtks[hh[i] ?? 0] === 1;
      if (variant === 0 || (variant === 1 && !inDtks)) {
        toWorker();
        programs[i] = (programs[i] ?? 0) | PROGRAM_BIT.BSU | PROGRAM_BIT.PRAKERJA;
      } else if (variant === 1) {
        toWorker();
        programs[i] = (programs[i] ?? 0) | PROGRAM_BIT.BSU | PROGRAM_BIT.PKH;
      } else if (variant === 2) {
        toWorker();
        programs[i] = (programs[i] ?? 0) | PROGRAM_BIT.BSU | PROGRAM_BIT.BPUM;
      } else {
        occupation[i] = [OCC.PNS, OCC.TNI, OCC.POLRI, OCC.BUMN][rng.int(0, 3)] ?? OCC.PNS;
        if ((education[i] ?? 0) < 4) education[i] = 4;
        programs[i] =
          ((programs[i] ?? 0) & ~(PROGRAM_BIT.BSU | PROGRAM_BIT.PRAKERJA)) | PROGRAM_BIT.BPUM;
      }
    },
  );
  plant(
    "OUTSIDE_KTP_REGION",
    () => true,
    (i) => {
      const home = regencyOfDistrict(ktp[i] ?? 0);
      let other = home;
      const sameProvince = rng.chance(0.5);
      for (let tries = 0; tries < 20 && other === home; tries++) {
        const candidate = rng.int(0, regions.regencyCode.length - 1);
        const sameP = regions.regencyProvince[candidate] === regions.regencyProvince[home];
        if (candidate !== home && (sameP === sameProvince || tries > 10)) other = candidate;
      }
      ktp[i] = randomDistrictOf(other);
    },
  );
  const recordCount = twins;

  // --- numbers: KK per household, NIK per person (serial unique per district + birth date) ---
  const KK_FROM = day(2012, 1, 1);
  const kkSerial = new SerialCounter(households);
  for (let h = 0; h < households; h++) {
    const district = regions.villageDistrict[hhVillage[h] ?? 0] ?? 0;
    const issued = rng.int(KK_FROM, day(2024, 6, 30));
    const c = civil(issued);
    const ddmmyy =
      pad2(c % 100) + pad2(Math.floor(c / 100) % 100) + pad2(Math.floor(c / 10_000) % 100);
    const key = district * 5000 + (issued - KK_FROM);
    const serial = kkSerial.next(key);
    kk.push(regions.districtCode[district] + ddmmyy + String(serial).padStart(4, "0"));
  }
  const nikSerial = new SerialCounter(size);
  for (let i = 0; i < size; i++) {
    const female = sex[i] === 1 ? 1 : 0;
    serial[i] = nikSerial.next(
      ((ktp[i] ?? 0) * 2 + female) * 40_000 + ((birth[i] ?? 0) - OLDEST_BIRTH),
    );
  }
  for (const [original, twin] of twinOf) serial[twin] = serial[original] ?? 0;
  const districtNumber = Int32Array.from(regions.districtCode, Number);
  /** The last ten NIK digits as a number: DD(+40) MM YY and the serial. */
  const nikLow = (i: number) => {
    const c = civil(birth[i] ?? 0);
    const dd = (c % 100) + (sex[i] === 1 ? 40 : 0);
    const ddmmyy = dd * 10_000 + (Math.floor(c / 100) % 100) * 100 + (Math.floor(c / 10_000) % 100);
    return ddmmyy * 10_000 + (serial[i] ?? 0);
  };
  const nikOf = (i: number) =>
    // One number formatted once, with a leading 1 that keeps its zeros.
    (regions.districtCode[ktp[i] ?? 0] ?? "") + String(1e10 + nikLow(i)).slice(1);
  const nikIndex = new NikIndex(size, {
    high: (i) => districtNumber[ktp[i] ?? 0] ?? 0,
    low: nikLow,
  });
  for (let i = 0; i < size; i++) nikIndex.add(i);

  // --- views and slices ---
  const region = (codes: readonly string[], labels: readonly string[], i: number): RegionRef => ({
    code: codes[i] ?? "",
    name: labels[i] ?? "",
  });
  const joinName = (a: number, b: number, c: number) => {
    const parts = names.parts;
    let out = parts[a] ?? "";
    if (b) out += ` ${parts[b]}`;
    if (c) out += ` ${parts[c]}`;
    return out;
  };
  const anomalyOf = (i: number) => ANOMALY_CODE[anomaly[i] ?? 0] ?? null;
  const programList = (i: number): ProgramCode[] => {
    const bits = programs[i] ?? 0;
    return bits === 0 ? [] : PROGRAM_CODES.filter((code) => bits & PROGRAM_BIT[code]);
  };
  const streetOf = (h: number) => {
    const s = hhStreet[h] ?? 0;
    const village = regions.villageCode[hhVillage[h] ?? 0] ?? "";
    // Kelurahan (urban, 1xxx) have streets; desa (rural, 2xxx) have hamlets and kampungs.
    if (village[6] === "1") return `JL. ${STREETS[s % STREETS.length]} NO. ${hhNumber[h]}`;
    const hamlet = HAMLETS[s % HAMLETS.length];
    return s & 1 ? `DUSUN ${hamlet}` : `KP. ${hamlet}`;
  };

  const person = (i: number): WorldPerson => {
    if (!(i >= 0 && i < recordCount)) throw new RangeError(`no person at index ${i}`);
    const h = hh[i] ?? 0;
    const village = hhVillage[h] ?? 0;
    const district = regions.villageDistrict[village] ?? 0;
    const regency = regencyOfDistrict(district);
    const province = regions.regencyProvince[regency] ?? 0;
    return {
      index: i,
      nik: nikOf(i),
      familyCardNumber: kk[h] ?? "",
      fullName: joinName(name0[i] ?? 0, name1[i] ?? 0, name2[i] ?? 0),
      sex: sex[i] === 1 ? "FEMALE" : "MALE",
      birthDate: isoDay(birth[i] ?? 0),
      birthPlace: regions.regencyShortName[birthPlace[i] ?? 0] ?? "",
      religion: RELIGION[religion[i] ?? 0] ?? "ISLAM",
      maritalStatus: MARITAL[marital[i] ?? 0] ?? "BELUM KAWIN",
      relationship: RELATIONSHIP[relation[i] ?? 0] ?? "KEPALA KELUARGA",
      education: EDUCATION[education[i] ?? 0] ?? "TIDAK/BELUM SEKOLAH",
      occupation: OCCUPATION[occupation[i] ?? 0] ?? "BELUM/TIDAK BEKERJA",
      motherName: joinName(mom0[i] ?? 0, mom1[i] ?? 0, mom2[i] ?? 0),
      address: {
        street: streetOf(h),
        rt: hhRt[h] ?? 1,
        rw: hhRw[h] ?? 1,
        village: region(regions.villageCode, regions.villageName, village),
        district: region(regions.districtCode, regions.districtName, district),
        regency: region(regions.regencyCode, regions.regencyName, regency),
        province: region(regions.provinceCode, regions.provinceName, province),
      },
      ktpDistrictCode: regions.districtCode[ktp[i] ?? 0] ?? "",
      deathDate: death[i] ? isoDay(death[i] ?? 0) : null,
      inCivilRegistry: ((flags[i] ?? 0) & FLAG_ABSENT) === 0,
      duplicateTwin: ((flags[i] ?? 0) & FLAG_TWIN) !== 0,
      anomaly: anomalyOf(i),
      programs: programList(i),
    };
  };

  const exampleTest: Record<ExampleKind, (i: number) => boolean> = {
    EXCLUSIVE_CONFLICT: (i) => anomalyOf(i) === "EXCLUSIVE_CONFLICT",
    DECEASED_ACTIVE: (i) => anomalyOf(i) === "DECEASED_ACTIVE",
    NOT_IN_CIVIL_REGISTRY: (i) => anomalyOf(i) === "NOT_IN_CIVIL_REGISTRY",
    DUPLICATE_NIK: (i) => anomalyOf(i) === "DUPLICATE_NIK",
    OUTSIDE_KTP_REGION: (i) => anomalyOf(i) === "OUTSIDE_KTP_REGION",
    CLEAN: (i) => anomaly[i] === 0 && alive(i) && programs[i] !== 0,
    DECEASED: (i) => anomaly[i] === 0 && !alive(i),
  };

  const single = (test: (i: number) => boolean) => {
    let count = 0;
    for (let i = 0; i < size; i++) if (test(i)) count++;
    return {
      size: count,
      find(value: string): readonly number[] {
        const i = nikIndex.get(value);
        return i >= 0 && test(i) ? [i] : [];
      },
    };
  };
  const inRegistry = (i: number) => ((flags[i] ?? 0) & FLAG_ABSENT) === 0;
  const dukcapil = single(inRegistry);

  const dtks = (i: number): DtksFacts | null => {
    if (i >= size || !hhDtks[hh[i] ?? 0]) return null;
    const bits = programs[i] ?? 0;
    const kind = anomalyOf(i);
    const knownDead = !alive(i) && kind !== "DECEASED_ACTIVE";
    const h = hashUnit(seed, i, S_DTKS);
    const matchedDay = inRegistry(i)
      ? day(2024, 1, 1) + Math.floor(h * 300)
      : h < 0.5
        ? null
        : day(2021, 1, 1) + Math.floor(h * 200);
    const seconds = hash32(seed, i, S_DTKS + 1) % 86_400;
    const period = (code: "PKH" | "BPNT" | "PBI" | "BST") =>
      !knownDead && bits & PROGRAM_BIT[code] ? KEMENSOS_PERIODS[code] : null;
    return {
      desil: hhDesil[hh[i] ?? 0] ?? 10,
      period: DTKS_PERIOD,
      idSemesta: `${regions.regencyCode[regencyOfDistrict(regions.villageDistrict[hhVillage[hh[i] ?? 0] ?? 0] ?? 0)]}${String(i + 1).padStart(9, "0")}`,
      inactive: knownDead,
      deathNote: knownDead ? `MENINGGAL DUNIA ${isoDay(death[i] ?? 0)}` : null,
      matchedAt:
        matchedDay === null
          ? null
          : `${isoDay(matchedDay)} ${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}`,
      programs: {
        PKH: period("PKH"),
        BPNT: period("BPNT"),
        PBI: period("PBI"),
        BST: period("BST"),
      },
    };
  };

  const conflictYear = (i: number) =>
    anomalyOf(i) === "EXCLUSIVE_CONFLICT" ? 2020 + (hash32(seed, i, S_CONFLICT) % 2) : 0;

  const prakerja = (i: number): PrakerjaFacts | null => {
    if (i >= size || !((programs[i] ?? 0) & PROGRAM_BIT.PRAKERJA)) return null;
    const h = hash32(seed, i, S_PRAKERJA);
    const u = hashUnit(seed, i, S_PRAKERJA + 1);
    const year =
      conflictYear(i) ||
      (u < 0.35 ? 2020 : u < 0.6 ? 2021 : u < 0.8 ? 2022 : u < 0.92 ? 2023 : 2024);
    const waves: Record<number, [number, number]> = {
      2020: [1, 11],
      2021: [12, 22],
      2022: [23, 47],
      2023: [48, 57],
      2024: [58, 71],
    };
    const [first, last] = waves[year] ?? [1, 11];
    const wave = first + (h % (last - first + 1));
    const early = year <= 2022;
    const incentiveTotal = early ? 2_400_000 + 150_000 : 600_000 + 100_000;
    const s = hashUnit(seed, i, S_PRAKERJA + 2);
    const incentiveStatus =
      s < 0.9 ? "DIBAYAR PENUH" : s < 0.97 ? "DIBAYAR SEBAGIAN" : "BELUM DIBAYAR";
    return {
      cardNumber: `${year}${String(hash32(seed, i, S_PRAKERJA + 3) % 1e8).padStart(8, "0")}${String(i % 10_000).padStart(4, "0")}`,
      year,
      wave,
      trainingAid: early ? 1_000_000 : 3_500_000,
      incentiveTotal,
      incentivePaid:
        incentiveStatus === "DIBAYAR PENUH"
          ? incentiveTotal
          : incentiveStatus === "DIBAYAR SEBAGIAN"
            ? early
              ? 1_200_000
              : 300_000
            : 0,
      incentiveStatus,
    };
  };

  const BSU_AMOUNT: Record<number, number> = { 2020: 1_200_000, 2021: 1_000_000, 2022: 600_000 };
  const bsu = (i: number): BsuFacts[] => {
    if (i >= size || !((programs[i] ?? 0) & PROGRAM_BIT.BSU)) return [];
    const kpj = `${1 + (hash32(seed, i, S_BSU) % 9)}${String(hash32(seed, i, S_BSU + 1) % 1e6).padStart(6, "0")}${String(i % 10_000).padStart(4, "0")}`;
    const conflict = conflictYear(i);
    const firstYear = conflict || 2020 + (hash32(seed, i, S_BSU + 2) % 3);
    const years = [firstYear];
    if (firstYear < 2022 && hashUnit(seed, i, S_BSU + 3) < 0.3) years.push(firstYear + 1);
    const out: BsuFacts[] = [];
    for (const [k, year] of years.entries()) {
      const u = hashUnit(seed, i, S_BSU + 10 + k);
      const stages = year === 2020 ? [1, 2] : [1 + (hash32(seed, i, S_BSU + 20 + k) % 5)];
      for (const stage of stages) {
        // A planted conflict is a paid one: failed or returned transfers are not enrolments.
        const status =
          year === conflict || u < 0.92
            ? "TERSALUR"
            : u < 0.95
              ? "GAGAL SALUR"
              : u < 0.98
                ? "RETUR"
                : "PROSES";
        out.push({
          year,
          stage,
          kpj,
          status,
          bank: BANKS[hash32(seed, i, S_BSU + 4) % 4] ?? "BRI",
          amount: BSU_AMOUNT[year] ?? 600_000,
          paidOn:
            status === "TERSALUR"
              ? isoDay(
                  day(year, year === 2020 ? 8 + stage * 2 : 9, 1) +
                    (hash32(seed, i, S_BSU + 5) % 28),
                )
              : null,
        });
      }
    }
    return out;
  };

  const bpum = (i: number): BpumFacts | null => {
    if (i >= size || !((programs[i] ?? 0) & PROGRAM_BIT.BPUM)) return null;
    const u = hashUnit(seed, i, S_BPUM);
    const year = conflictYear(i) || (u < 0.6 ? 2020 : u < 0.95 ? 2021 : 2022);
    const s = hashUnit(seed, i, S_BPUM + 1);
    const status =
      anomalyOf(i) === "EXCLUSIVE_CONFLICT" || s < 0.88
        ? "TERSALUR"
        : s < 0.94
          ? "DIKEMBALIKAN KE KAS NEGARA"
          : s < 0.96
            ? "DIBLOKIR"
            : "BELUM DICAIRKAN";
    const home = regencyOfDistrict(regions.villageDistrict[hhVillage[hh[i] ?? 0] ?? 0] ?? 0);
    const moved = hashUnit(seed, i, S_BPUM + 2) < 0.1;
    const regency = moved ? hash32(seed, i, S_BPUM + 3) % regions.regencyCode.length : home;
    const province = regions.regencyProvince[regency] ?? 0;
    const p = hashUnit(seed, i, S_BPUM + 4);
    const proposer =
      p < 0.6
        ? `DINAS KOPERASI DAN UKM ${regions.regencyName[regency]}`
        : p < 0.8
          ? "PT BANK RAKYAT INDONESIA (PERSERO) TBK"
          : p < 0.9
            ? "PT PERMODALAN NASIONAL MADANI"
            : "PT PEGADAIAN";
    const b = hashUnit(seed, i, S_BPUM + 5);
    return {
      year,
      stage: 1 + (hash32(seed, i, S_BPUM + 6) % 3),
      status,
      amount: year === 2020 ? 2_400_000 : year === 2021 ? 1_200_000 : 600_000,
      proposer,
      businessType: BUSINESS_TYPES[hash32(seed, i, S_BPUM + 7) % BUSINESS_TYPES.length] ?? "JASA",
      businessRegency: region(regions.regencyCode, regions.regencyName, regency),
      businessProvince: region(regions.provinceCode, regions.provinceName, province),
      bank: b < 0.7 ? "BRI" : b < 0.9 ? "BNI" : "BSI",
      paidOn:
        status === "TERSALUR"
          ? isoDay(day(year, 8, 17) + (hash32(seed, i, S_BPUM + 8) % 120))
          : null,
    };
  };

  let countsCache: Record<ExampleKind, number> | undefined;
  const world: World = {
    seed,
    size,
    recordCount,
    generationMs: 0,
    person,
    nik: (i) => (i >= 0 && i < recordCount ? nikOf(i) : ""),
    indexOf: (value) => nikIndex.get(value),
    anomaly: anomalyOf,
    examples(kind, n) {
      const test = exampleTest[kind];
      const out: string[] = [];
      for (let i = 0; i < size && out.length < n; i++) if (test(i)) out.push(nikOf(i));
      return out;
    },
    counts() {
      if (!countsCache) {
        const counts = Object.fromEntries(EXAMPLE_KINDS.map((k) => [k, 0])) as Record<
          ExampleKind,
          number
        >;
        for (let i = 0; i < size; i++) {
          for (const kind of EXAMPLE_KINDS) if (exampleTest[kind](i)) counts[kind]++;
        }
        countsCache = counts;
      }
      return countsCache;
    },
    sources: {
      dukcapil: {
        size: dukcapil.size,
        find(value) {
          const i = nikIndex.get(value);
          if (i < 0 || !inRegistry(i)) return [];
          const twin = twinOf.get(i);
          return twin === undefined ? [i] : [i, twin];
        },
      },
      kemensos: single((i) => hhDtks[hh[i] ?? 0] === 1),
      kemnaker: single(
        (i) => ((programs[i] ?? 0) & (PROGRAM_BIT.PRAKERJA | PROGRAM_BIT.BSU)) !== 0,
      ),
      kemenkopukm: single((i) => ((programs[i] ?? 0) & PROGRAM_BIT.BPUM) !== 0),
    },
    dtks,
    prakerja,
    bsu,
    bpum,
  };
  (world as { generationMs: number }).generationMs = performance.now() - started;
  return world;
}
