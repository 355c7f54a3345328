/** The Dukcapil adapter: civil-registry lookups through the source client, mapped to canonical. */
import { Person } from "../../schemas/src/person.ts";
import { precompiled } from "../../schemas/src/precompiled.ts";
import { validatePerson } from "../../schemas/src/validators.generated.ts";
import { fail, ok, type Result, type SourceFailure } from "../core/result.ts";
import type { Adapter, CallContext } from "../core/source.ts";
import type { SourceClient } from "../core/source-client.ts";
import { mapDukcapilRecord, parseDukcapilDate } from "./mapping.ts";
import type {
  DukcapilCredentials,
  DukcapilLookupReply,
  DukcapilRecord,
  DukcapilVerifyReply,
} from "./native.ts";

// Nothing leaves unless canonical; the precompiled check answers first (schemas/src/precompiled.ts).
const checkPerson = precompiled(validatePerson, Person);

export type DukcapilLookup =
  | { readonly status: "FOUND"; readonly person: Person }
  | { readonly status: "DECEASED"; readonly person: Person; readonly deathDate?: string }
  /** Response code 12: the registry holds several records for one NIK. */
  | { readonly status: "MULTIPLE"; readonly count: number }
  | { readonly status: "NOT_FOUND" };

/** Elements CALL_VERIFY_BY_ELEMEN compares, in canonical names. */
export interface VerifyElements {
  readonly fullName?: string;
  /** ISO 8601 date. */
  readonly birthDate?: string;
  readonly birthPlace?: string;
  readonly sex?: "MALE" | "FEMALE";
  readonly motherName?: string;
  readonly street?: string;
}
export type VerifyElement = keyof VerifyElements;

export type DukcapilVerification =
  | {
      readonly status: "VERIFIED";
      /** Per supplied element: whether it matched at the threshold, and the similarity (0-100). */
      readonly verdicts: Partial<Record<VerifyElement, { match: boolean; score: number }>>;
    }
  | { readonly status: "NOT_FOUND" }
  | { readonly status: "MULTIPLE" };

export interface DukcapilAdapter extends Adapter {
  readonly id: "dukcapil";
  /**
   * Looks one NIK up (CALL_NIK).
   *
   * @example
   * const result = await dukcapil.lookup("3171014501900001", {});
   * if (result.ok && result.value.status === "FOUND") console.log(result.value.person.fullName);
   */
  lookup(nik: string, ctx: CallContext): Promise<Result<DukcapilLookup>>;
  /** Largest number of NIKs one bulk call may carry. */
  readonly maxBulk: number;
  /** Looks many NIKs up in one call (CALL_NIK_BULK), keyed by NIK. */
  lookupBulk(
    niks: readonly string[],
    ctx: CallContext,
  ): Promise<Result<ReadonlyMap<string, DukcapilLookup>>>;
  /**
   * Compares supplied elements with the registry without revealing the record.
   *
   * @example
   * const result = await dukcapil.verify("3273014501900001", { fullName: "SITI AMINAH" }, 90, {});
   * if (result.ok && result.value.status === "VERIFIED") console.log(result.value.verdicts.fullName);
   */
  verify(
    nik: string,
    elements: VerifyElements,
    threshold: number,
    ctx: CallContext,
  ): Promise<Result<DukcapilVerification>>;
}

/** The native element name of each canonical one. */
const NATIVE_ELEMENT: Record<VerifyElement, string> = {
  fullName: "NAMA_LGKP",
  birthDate: "TGL_LHR",
  birthPlace: "TMPT_LHR",
  sex: "JENIS_KLMIN",
  motherName: "NAMA_LGKP_IBU",
  street: "ALAMAT",
};
const BULK_LIMIT = 1000;

export interface DukcapilAdapterOptions {
  readonly client: SourceClient;
  /** e.g. `http://10.1.2.3:8000/dukcapil/get_json/{instansi}` — the method name is appended. */
  readonly baseUrl: string;
  readonly credentials: DukcapilCredentials;
}

const NOT_FOUND_CODES = new Set(["13", "15"]);
const SETUP_FAULT_CODES = new Set(["03", "04", "09", "10", "16", "17"]);

const badResponse = (detail: string): Result<never> =>
  fail({ kind: "BAD_RESPONSE", retryable: false, detail: `dukcapil: ${detail}` });

export function createDukcapilAdapter(options: DukcapilAdapterOptions): DukcapilAdapter {
  const { client, baseUrl, credentials } = options;

  /** Every Dukcapil method is a JSON POST that only reads, so each is safe to retry. */
  async function callMethod(method: string, payload: object, ctx: CallContext) {
    const reply = await client.call(
      {
        method: "POST",
        url: `${baseUrl}/${method}`,
        headers: { "content-type": "application/json" },
        // Object.assign: V8 merges two spread objects several times slower (source-client.ts).
        body: JSON.stringify(Object.assign({}, payload, credentials)),
      },
      { idempotent: true, ctx },
    );
    if (!reply.ok) return reply;
    try {
      return ok(JSON.parse(reply.value.body) as unknown);
    } catch {
      return badResponse("reply is not JSON");
    }
  }

  return {
    id: "dukcapil",
    maxBulk: BULK_LIMIT,
    health: () => client.health(),
    close: () => client.close(),
    async lookup(nik, ctx) {
      const reply = await callMethod("CALL_NIK", { NIK: nik }, ctx);
      return reply.ok ? interpretLookup(reply.value as DukcapilLookupReply) : reply;
    },
    async lookupBulk(niks, ctx) {
      const reply = await callMethod("CALL_NIK_BULK", { NIK: niks }, ctx);
      return reply.ok ? interpretBulk(reply.value as DukcapilLookupReply, niks) : reply;
    },
    async verify(nik, elements, threshold, ctx) {
      const payload: Record<string, string> = { NIK: nik, TRESHOLD: String(threshold) };
      for (const [element, value] of Object.entries(elements) as [VerifyElement, string][]) {
        if (value === undefined) continue;
        payload[NATIVE_ELEMENT[element]] =
          element === "sex" ? (value === "MALE" ? "LAKI-LAKI" : "PEREMPUAN") : value;
      }
      const reply = await callMethod("CALL_VERIFY_BY_ELEMEN", payload, ctx);
      return reply.ok ? interpretVerify(reply.value as DukcapilVerifyReply, elements) : reply;
    },
  };
}

/** Splits a CALL_NIK_BULK page by NIK; every requested NIK must be answered. */
export function interpretBulk(
  page: DukcapilLookupReply,
  niks: readonly string[],
): Result<ReadonlyMap<string, DukcapilLookup>> {
  if (!page || !Array.isArray(page.content)) return badResponse("bulk reply has no content array");
  const byNik = new Map<string, DukcapilLookupReply["content"]>();
  for (const item of page.content) {
    const nik = item && typeof item === "object" && "NIK" in item ? item.NIK : undefined;
    if (typeof nik !== "string") {
      // A notice without a NIK concerns the whole call (quota, credentials).
      const whole = interpretLookup(Object.assign({}, page, { content: [item] }));
      return whole.ok ? badResponse("bulk item without NIK") : whole;
    }
    byNik.set(nik, [...(byNik.get(nik) ?? []), item]);
  }
  const answers = new Map<string, DukcapilLookup>();
  for (const nik of niks) {
    const items = byNik.get(nik);
    if (items === undefined) return badResponse("bulk reply omitted a NIK");
    // Once per NIK of a bulk page: Object.assign, as a spread literal is several times slower.
    const outcome = interpretLookup(Object.assign({}, page, { content: items }));
    if (!outcome.ok) return outcome;
    answers.set(nik, outcome.value);
  }
  return ok(answers);
}

const VERDICT = /^(Sesuai|Tidak Sesuai) \((\d{1,3})\)$/;

/** Reads per-element verdicts such as `"Sesuai (100)"` and `"Tidak Sesuai (42)"`. */
export function interpretVerify(
  page: DukcapilVerifyReply,
  asked: VerifyElements,
): Result<DukcapilVerification> {
  if (!page || !Array.isArray(page.content))
    return badResponse("verify reply has no content array");
  const [first] = page.content;
  if (first === undefined) return badResponse("verify reply is empty");
  if ("RESPONSE_CODE" in first && first.RESPONSE_CODE) {
    const code = String(first.RESPONSE_CODE);
    if (NOT_FOUND_CODES.has(code)) return ok({ status: "NOT_FOUND" });
    if (code === "12") return ok({ status: "MULTIPLE" });
    if (code === "05")
      return fail({
        kind: "QUOTA",
        retryable: false,
        detail: "dukcapil: daily quota reached (05)",
      });
    return fail({
      kind: "REJECTED",
      retryable: false,
      detail: `dukcapil: verify refused (${code})`,
    });
  }
  const verdicts: Partial<Record<VerifyElement, { match: boolean; score: number }>> = {};
  for (const element of Object.keys(asked) as VerifyElement[]) {
    if (asked[element] === undefined) continue;
    const raw = (first as Record<string, unknown>)[NATIVE_ELEMENT[element]];
    const match = typeof raw === "string" ? VERDICT.exec(raw) : null;
    if (!match) return badResponse(`verify reply lacks a verdict for ${NATIVE_ELEMENT[element]}`);
    verdicts[element] = { match: match[1] === "Sesuai", score: Math.min(100, Number(match[2])) };
  }
  return ok({ status: "VERIFIED", verdicts });
}

/** Turns a CALL_NIK page into an outcome; errors arrive as HTTP 200 with a response code. */
export function interpretLookup(page: DukcapilLookupReply): Result<DukcapilLookup, SourceFailure> {
  if (!page || !Array.isArray(page.content)) return badResponse("reply has no content array");
  const [first] = page.content;
  if (first === undefined) return ok({ status: "NOT_FOUND" });
  const code = "RESPONSE_CODE" in first ? String(first.RESPONSE_CODE) : "01";
  if (NOT_FOUND_CODES.has(code)) return ok({ status: "NOT_FOUND" });
  if (code === "05") {
    return fail({ kind: "QUOTA", retryable: false, detail: "dukcapil: daily quota reached (05)" });
  }
  if (SETUP_FAULT_CODES.has(code)) {
    return fail({ kind: "REJECTED", retryable: false, detail: `dukcapil: setup fault (${code})` });
  }
  if (code === "12" || page.content.length > 1) {
    return ok({ status: "MULTIPLE", count: Math.max(2, page.content.length) });
  }
  if (code !== "01" && code !== "11") return badResponse(`unknown response code ${code}`);
  if (!("NIK" in first)) return badResponse("record without NIK");
  const record = first as DukcapilRecord & { TGL_MATI?: string };
  const deceased = code === "11";
  const mapped = mapDukcapilRecord(record, { deceased });
  if (!mapped.ok) return badResponse(`field ${mapped.field}: ${mapped.reason}`);
  // Nothing leaves the adapter unless it is a canonical person (schemas/src/person.ts).
  const canonical = checkPerson(mapped.value);
  if (!canonical.success) {
    return badResponse(
      `person breaks the canonical schema at /${canonical.error.issues[0]?.path.join("/")}`,
    );
  }
  if (!deceased) return ok({ status: "FOUND", person: mapped.value });
  const deathDate = record.TGL_MATI ? parseDukcapilDate(record.TGL_MATI) : undefined;
  return ok({ status: "DECEASED", person: mapped.value, ...(deathDate ? { deathDate } : {}) });
}
