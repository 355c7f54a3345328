/** Kemendagri kode wilayah (from `idn-area-data`) loaded once into compact arrays for the world. */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * Every level as parallel arrays indexed by position; codes are undotted ("3273011001").
 * Names of districts and villages are upper-cased, as Dukcapil prints them.
 */
export interface RegionTable {
  readonly provinceCode: readonly string[];
  readonly provinceName: readonly string[];
  readonly regencyCode: readonly string[];
  readonly regencyName: readonly string[];
  /** "KABUPATEN BANDUNG" → "BANDUNG": how a birth place is written on a KTP. */
  readonly regencyShortName: readonly string[];
  readonly regencyProvince: Uint16Array;
  readonly districtCode: readonly string[];
  readonly districtName: readonly string[];
  readonly districtRegency: Uint16Array;
  readonly villageCode: readonly string[];
  readonly villageName: readonly string[];
  readonly villageDistrict: Uint16Array;
  /** First village index of each district; villages of district d are [start[d], start[d + 1]). */
  readonly districtVillageStart: Uint32Array;
  /** First district index of each regency, likewise. */
  readonly regencyDistrictStart: Uint32Array;
}

// Rough 2020 census populations (millions), so people are spread like Indonesians are and not
// like villages are (Papua has many small villages, Jakarta few large ones).
const PROVINCE_POPULATION: Readonly<Record<string, number>> = {
  "11": 5.27, "12": 14.8, "13": 5.53, "14": 6.39, "15": 3.55, "16": 8.47, "17": 2.01, "18": 9.01,
  "19": 1.46, "21": 2.06, "31": 10.56, "32": 48.27, "33": 36.52, "34": 3.67, "35": 40.67, "36": 11.9,
  "51": 4.32, "52": 5.32, "53": 5.33, "61": 5.41, "62": 2.67, "63": 4.07, "64": 3.77, "65": 0.7,
  "71": 2.62, "72": 2.99, "73": 9.07, "74": 2.62, "75": 1.17, "76": 1.42, "81": 1.85, "82": 1.28,
  "91": 1.06, "92": 0.56, "93": 0.51, "94": 1.35, "95": 1.41, "96": 0.6,
};

let cached: RegionTable | undefined;

function lines(dir: string, file: string): string[][] {
  const text = readFileSync(join(dir, file), "utf8");
  const out: string[][] = [];
  const rows = text.split(/\r?\n/);
  // Names in these files contain no commas (checked against idn-area-data 3.x), so a split is enough.
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i];
    if (row) out.push(row.split(","));
  }
  return out;
}

const undot = (code: string) => code.replaceAll(".", "");

/** Loads (once per process) the official region codes shipped with `idn-area-data`. */
export function loadRegions(): RegionTable {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve("idn-area-data/package.json")), "data");

  const provinces = lines(dir, "provinces.csv");
  const provinceIndex = new Map<string, number>();
  const provinceCode = provinces.map(([code = ""], i) => {
    provinceIndex.set(code, i);
    return code;
  });
  const provinceName = provinces.map(([, name = ""]) => name.toUpperCase());

  const regencies = lines(dir, "regencies.csv").sort((a, b) => (a[0] ?? "").localeCompare(b[0] ?? ""));
  const regencyIndex = new Map<string, number>();
  const regencyCode: string[] = [];
  const regencyName: string[] = [];
  const regencyProvince = new Uint16Array(regencies.length);
  regencies.forEach(([code = "", province = "", name = ""], i) => {
    regencyIndex.set(code, i);
    regencyCode.push(undot(code));
    regencyName.push(name.toUpperCase());
    regencyProvince[i] = provinceIndex.get(province) ?? 0;
  });
  const regencyShortName = regencyName.map((name) => {
    const short = name.replace(/^(KABUPATEN|KOTA)( ADMINISTRASI)? /, "");
    return short.startsWith("JAKARTA ") ? "JAKARTA" : short;
  });

  const districts = lines(dir, "districts.csv").sort((a, b) => (a[0] ?? "").localeCompare(b[0] ?? ""));
  const districtIndex = new Map<string, number>();
  const districtCode: string[] = [];
  const districtName: string[] = [];
  const districtRegency = new Uint16Array(districts.length);
  const regencyDistrictStart = new Uint32Array(regencies.length + 1).fill(0xffffffff);
  districts.forEach(([code = "", regency = "", name = ""], i) => {
    districtIndex.set(code, i);
    districtCode.push(undot(code));
    districtName.push(name.toUpperCase());
    const r = regencyIndex.get(regency) ?? 0;
    districtRegency[i] = r;
    if (regencyDistrictStart[r] === 0xffffffff) regencyDistrictStart[r] = i;
  });
  regencyDistrictStart[regencies.length] = districts.length;
  for (let r = regencies.length - 1; r >= 0; r--) {
    if (regencyDistrictStart[r] === 0xffffffff) regencyDistrictStart[r] = regencyDistrictStart[r + 1] ?? 0;
  }

  const villages = lines(dir, "villages.csv").sort((a, b) => (a[0] ?? "").localeCompare(b[0] ?? ""));
  const villageCode: string[] = [];
  const villageName: string[] = [];
  const villageDistrict = new Uint16Array(villages.length);
  const districtVillageStart = new Uint32Array(districts.length + 1).fill(0xffffffff);
  villages.forEach(([code = "", district = "", name = ""], i) => {
    villageCode.push(undot(code));
    villageName.push(name.toUpperCase());
    const d = districtIndex.get(district) ?? 0;
    villageDistrict[i] = d;
    if (districtVillageStart[d] === 0xffffffff) districtVillageStart[d] = i;
  });
  districtVillageStart[districts.length] = villages.length;
  for (let d = districts.length - 1; d >= 0; d--) {
    if (districtVillageStart[d] === 0xffffffff) districtVillageStart[d] = districtVillageStart[d + 1] ?? 0;
  }

  cached = {
    provinceCode,
    provinceName,
    regencyCode,
    regencyName,
    regencyShortName,
    regencyProvince,
    districtCode,
    districtName,
    districtRegency,
    villageCode,
    villageName,
    villageDistrict,
    districtVillageStart,
    regencyDistrictStart,
  };
  return cached;
}

/** Per-village weights proportional to its province's population share per village. */
export function villageWeights(table: RegionTable): number[] {
  const perProvince = new Map<number, number>();
  const provinceOf = (v: number) =>
    table.regencyProvince[table.districtRegency[table.villageDistrict[v] ?? 0] ?? 0] ?? 0;
  for (let v = 0; v < table.villageCode.length; v++) {
    const p = provinceOf(v);
    perProvince.set(p, (perProvince.get(p) ?? 0) + 1);
  }
  const weights: number[] = new Array(table.villageCode.length);
  for (let v = 0; v < table.villageCode.length; v++) {
    const p = provinceOf(v);
    const population = PROVINCE_POPULATION[table.provinceCode[p] ?? ""] ?? 1;
    weights[v] = population / (perProvince.get(p) ?? 1);
  }
  return weights;
}
