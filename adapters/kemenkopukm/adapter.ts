/** The KemenkopUKM adapter: BPUM (Banpres Produktif Usaha Mikro) recipients. */

import { withCanonicalEnrolments } from "../core/canonical.ts";
import type { EnrolmentAdapter, SourceEnrolments } from "../core/enrolment-source.ts";
import { badReply, isRecord, parseReply } from "../core/json-reply.ts";
import { ok, type Result } from "../core/result.ts";
import type { CallContext } from "../core/source.ts";
import type { SourceClient } from "../core/source-client.ts";
import { isBpumRecord, KEMENKOPUKM_PROGRAMS, mapBpumRecords } from "./mapping.ts";
import type { BpumRecord, KemenkopUkmCredentials } from "./native.ts";

export interface KemenkopUkmAdapterOptions {
  readonly client: SourceClient;
  readonly baseUrl: string;
  readonly credentials: KemenkopUkmCredentials;
  readonly now?: () => Date;
}

const BULK_LIMIT = 1000;

/**
 * Creates the KemenkopUKM adapter.
 *
 * @example
 * const bpum = createKemenkopUkmAdapter({ client, baseUrl, credentials: { username, password } });
 * const result = await bpum.enrolments("3273014501900001", {});
 */
export function createKemenkopUkmAdapter(options: KemenkopUkmAdapterOptions): EnrolmentAdapter {
  const { client, baseUrl, credentials } = options;
  const now = options.now ?? (() => new Date());
  const authorization = `Basic ${btoa(`${credentials.username}:${credentials.password}`)}`;

  async function post(path: string, body: object, ctx: CallContext): Promise<Result<BpumRecord[]>> {
    const reply = await client.call(
      {
        method: "POST",
        url: `${baseUrl}${path}`,
        headers: { "content-type": "application/json", authorization },
        body: JSON.stringify(body),
      },
      // Inquiries only read, so retrying a POST is safe here.
      { idempotent: true, ctx },
    );
    if (!reply.ok) return reply;
    const parsed = parseReply("kemenkopukm", reply.value.body);
    if (!parsed.ok) return parsed;
    const value = parsed.value;
    // rc 14: not a recipient; the bank-style code travels in an HTTP 200.
    if (isRecord(value) && value.rc === "14") return ok([]);
    if (!isRecord(value) || value.rc !== "00" || !Array.isArray(value.data)) {
      return badReply("kemenkopukm", "reply has no rc 00 data");
    }
    if (!value.data.every(isBpumRecord)) return badReply("kemenkopukm", "records are malformed");
    return ok(value.data);
  }

  return withCanonicalEnrolments({
    id: "kemenkopukm",
    programs: KEMENKOPUKM_PROGRAMS,
    maxBulk: BULK_LIMIT,
    health: () => client.health(),
    close: () => client.close(),
    async enrolments(nik, ctx) {
      const records = await post("/bpum/v1/inquiry", { nik }, ctx);
      if (!records.ok) return records;
      return ok(
        mapBpumRecords(
          records.value.filter((r) => r.nik === nik),
          now(),
        ),
      );
    },
    async enrolmentsBulk(niks, ctx) {
      const records = await post("/bpum/v1/inquiry/bulk", { daftar_nik: niks }, ctx);
      if (!records.ok) return records;
      const byNik = new Map<string, BpumRecord[]>();
      for (const record of records.value)
        byNik.set(record.nik, [...(byNik.get(record.nik) ?? []), record]);
      const retrievedAt = now();
      const answers = new Map<string, SourceEnrolments>();
      for (const nik of niks) answers.set(nik, mapBpumRecords(byNik.get(nik) ?? [], retrievedAt));
      return ok(answers);
    },
  });
}
