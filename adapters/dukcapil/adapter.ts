/** The Dukcapil adapter: civil-registry lookups through the source client, mapped to canonical. */
import type { Person } from "../../schemas/src/person.ts";
import { fail, ok, type Result, type SourceFailure } from "../core/result.ts";
import type { Adapter, CallContext } from "../core/source.ts";
import type { SourceClient } from "../core/source-client.ts";
import { mapDukcapilRecord, parseDukcapilDate } from "./mapping.ts";
import type { DukcapilCredentials, DukcapilLookupReply, DukcapilRecord } from "./native.ts";

export type DukcapilLookup =
  | { readonly status: "FOUND"; readonly person: Person }
  | { readonly status: "DECEASED"; readonly person: Person; readonly deathDate?: string }
  /** Response code 12: the registry holds several records for one NIK. */
  | { readonly status: "MULTIPLE"; readonly count: number }
  | { readonly status: "NOT_FOUND" };

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
  /** Looks many NIKs up in one call, keyed by NIK. */
  lookupBulk(
    niks: readonly string[],
    ctx: CallContext,
  ): Promise<Result<ReadonlyMap<string, DukcapilLookup>>>;
}

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
  return {
    id: "dukcapil",
    health: () => client.health(),
    close: () => client.close(),
    async lookup(nik, ctx) {
      const reply = await client.call(
        {
          method: "POST",
          url: `${baseUrl}/CALL_NIK`,
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ NIK: nik, ...credentials }),
        },
        // CALL_NIK only reads, so it is safe to retry despite being a POST.
        { idempotent: true, ctx },
      );
      if (!reply.ok) return reply;
      let page: DukcapilLookupReply;
      try {
        page = JSON.parse(reply.value.body) as DukcapilLookupReply;
      } catch {
        return badResponse("reply is not JSON");
      }
      return interpretLookup(page);
    },
  };
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
  if (!deceased) return ok({ status: "FOUND", person: mapped.value });
  const deathDate = record.TGL_MATI ? parseDukcapilDate(record.TGL_MATI) : undefined;
  return ok({ status: "DECEASED", person: mapped.value, ...(deathDate ? { deathDate } : {}) });
}
