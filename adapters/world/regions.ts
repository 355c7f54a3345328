/** Kemendagri kode wilayah (from `idn-area-data`) loaded once into compact arrays for the world. */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

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
  "11": 5.27,
  "12": 14.8,
  "13": 5.53,
  "14": 6.39,
  "15": 3.55,
  "16": 8.47,
  "17": 2.01,
  "18": 9.01,
  "19": 1.46,
  "21": 2.06,
  "31": 10.56,
  "32": 48.27,
  "33": 36.52,
  "34": 3.67,
  "35": 40.67,
  "36": 11.9,
  "51": 4.32,
  "52": 5.32,
  "53": 5.33,
  "61": 5.41,
  "62": 2.67,
  "63": 4.07,
  "64": 3.77,
  "65": 0.7,
  "71": 2.62,
  "72": 2.99,
  "73": 9.07,
  "74": 2.62,
  "75": 1.17,
  "76": 1.42,
  "81": 1.85,
  "82": 1.28,
  "91": 1.06,
  "92": 0.56,
  "93": 0.51,
  "94": 1.35,
  "95": 1.41,
  "96": 0.6,
};

let cached: RegionTable | undefined;

interface Columns {
  readonly code: string[];
  readonly parent: string[];
  readonly name: string[];
}

/**
 * A CSV as columns [code, parent, name] (provinces.csv has no parent: its names land in `parent`).
 * Names in these files contain no commas (checked against idn-area-data 3.x); scanning with
 * indexOf is several times faster than splitting 84k rows.
 */
function columns(dir: string, file: string): Columns {
  // Codes are digits and dots, so upper-casing the whole file only touches names (Dukcapil style).
  const text = readFileSync(join(dir, file), "utf8").toUpperCase();
  const out: Columns = { code: [], parent: [], name: [] };
  let at = text.indexOf("\n") + 1;
  let previous = "";
  while (at > 0 && at < text.length) {
    let end = text.indexOf("\n", at);
    if (end < 0) end = text.length;
    const lineEnd = text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    const c1 = text.indexOf(",", at);
    if (c1 > 0 && c1 < lineEnd) {
      const c2 = text.indexOf(",", c1 + 1);
      const two = c2 > 0 && c2 < lineEnd;
      const code = text.slice(at, c1);
      // The generator walks children as contiguous ranges of their parent, so order matters.
      if (code <= previous) throw new Error(`${file} is not sorted by code at ${code}`);
      previous = code;
      out.code.push(code);
      out.parent.push(text.slice(c1 + 1, two ? c2 : lineEnd));
      out.name.push(two ? text.slice(c2 + 1, lineEnd) : "");
    }
    at = end + 1;
  }
  return out;
}

/** "32.73.01.1001" → "3273011001" (every level has fixed-width parts). */
const undot = (code: string) =>
  code.length === 13
    ? code.slice(0, 2) + code.slice(3, 5) + code.slice(6, 8) + code.slice(9)
    : code.replaceAll(".", "");

function dataDir(): string {
  // Resolving through the module loader costs ~200 ms under tsx; the usual layout is tried first.
  const local = fileURLToPath(new URL("../../node_modules/idn-area-data/data", import.meta.url));
  if (existsSync(join(local, "villages.csv"))) return local;
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("idn-area-data/package.json")), "data");
}

/** Loads (once per process) the official region codes shipped with `idn-area-data`. */
export function loadRegions(): RegionTable {
  if (cached) return cached;
  const dir = dataDir();

  const provinces = columns(dir, "provinces.csv");
  const provinceIndex = new Map<string, number>();
  for (const [i, code] of provinces.code.entries()) provinceIndex.set(code, i);
  const provinceCode = provinces.code;
  const provinceName = provinces.parent;

  const regencies = columns(dir, "regencies.csv");
  const regencyIndex = new Map<string, number>();
  const regencyCode = regencies.code.map(undot);
  const regencyName = regencies.name;
  const regencyProvince = new Uint16Array(regencyCode.length);
  for (let i = 0; i < regencyCode.length; i++) {
    regencyIndex.set(regencies.code[i] ?? "", i);
    regencyProvince[i] = provinceIndex.get(regencies.parent[i] ?? "") ?? 0;
  }
  const regencyShortName = regencyName.map((name) => {
    const short = name.replace(/^(KABUPATEN|KOTA)( ADMINISTRASI)? /, "");
    return short.startsWith("JAKARTA ") ? "JAKARTA" : short;
  });

  const districts = columns(dir, "districts.csv");
  const districtIndex = new Map<string, number>();
  const districtCode = districts.code.map(undot);
  const districtName = districts.name;
  const districtRegency = new Uint16Array(districtCode.length);
  const regencyDistrictStart = starts(regencyCode.length, districtCode.length, (i) => {
    districtIndex.set(districts.code[i] ?? "", i);
    const r = regencyIndex.get(districts.parent[i] ?? "") ?? 0;
    districtRegency[i] = r;
    return r;
  });

  const villages = columns(dir, "villages.csv");
  const villageCode = villages.code.map(undot);
  const villageName = villages.name;
  const villageDistrict = new Uint16Array(villageCode.length);
  const districtVillageStart = starts(districtCode.length, villageCode.length, (i) => {
    const d = districtIndex.get(villages.parent[i] ?? "") ?? 0;
    villageDistrict[i] = d;
    return d;
  });

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

/** First child index per parent (children sorted by parent), with a sentinel at the end. */
function starts(
  parents: number,
  children: number,
  parentOf: (child: number) => number,
): Uint32Array {
  const out = new Uint32Array(parents + 1).fill(0xffffffff);
  for (let i = 0; i < children; i++) {
    const parent = parentOf(i);
    if (out[parent] === 0xffffffff) out[parent] = i;
  }
  out[parents] = children;
  for (let p = parents - 1; p >= 0; p--) {
    if (out[p] === 0xffffffff) out[p] = out[p + 1] ?? children;
  }
  return out;
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
