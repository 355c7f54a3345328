/** The Kemensos (DTKS / SIKS-NG) adapter: enrolments in PKH, BPNT, PBI and BST. */

import { withCanonicalEnrolments } from "../core/canonical.ts";
import type { EnrolmentAdapter, SourceEnrolments } from "../core/enrolment-source.ts";
import { badReply, isRecord, parseReply } from "../core/json-reply.ts";
import { ok, type Result } from "../core/result.ts";
import type { CallContext } from "../core/source.ts";
import type { SourceClient } from "../core/source-client.ts";
import { isDtksRow, KEMENSOS_PROGRAMS, mapDtksRows } from "./mapping.ts";
import type { DtksRow, KemensosCredentials } from "./native.ts";

export interface KemensosAdapterOptions {
  readonly client: SourceClient;
  /** Origin of the SIKS-NG API, e.g. `https://siks.kemensos.go.id`. */
  readonly baseUrl: string;
  readonly credentials: KemensosCredentials;
  readonly now?: () => Date;
}

const BULK_LIMIT = 1000;

/**
 * Creates the Kemensos adapter.
 *
 * @example
 * const kemensos = createKemensosAdapter({ client, baseUrl, credentials: { apiKey } });
 * const result = await kemensos.enrolments("3273014501900001", {});
 */
export function createKemensosAdapter(options: KemensosAdapterOptions): EnrolmentAdapter {
  const { client, baseUrl, credentials } = options;
  const now = options.now ?? (() => new Date());

  async function post(path: string, body: object, ctx: CallContext): Promise<Result<unknown>> {
    const reply = await client.call(
      {
        method: "POST",
        url: `${baseUrl}${path}`,
        headers: { "content-type": "application/json", "x-api-key": credentials.apiKey },
        body: JSON.stringify(body),
      },
      // Lookups only read, so retrying a POST is safe here.
      { idempotent: true, ctx },
    );
    return reply.ok ? parseReply("kemensos", reply.value.body) : reply;
  }

  const rowsOf = (reply: unknown): DtksRow[] | undefined => {
    if (!isRecord(reply) || !Array.isArray(reply.data)) return undefined;
    return reply.data.every(isDtksRow) ? reply.data : undefined;
  };

  return withCanonicalEnrolments({
    id: "kemensos",
    programs: KEMENSOS_PROGRAMS,
    maxBulk: BULK_LIMIT,
    health: () => client.health(),
    close: () => client.close(),
    async enrolments(nik, ctx) {
      const reply = await post("/api/v1/dtks/nik", { nik }, ctx);
      if (!reply.ok) return reply;
      const rows = rowsOf(reply.value);
      if (rows === undefined) return badReply("kemensos", "reply rows are malformed");
      return ok(
        mapDtksRows(
          rows.filter((row) => row.NIK === nik),
          now(),
        ),
      );
    },
    async enrolmentsBulk(niks, ctx) {
      const reply = await post("/api/v1/dtks/nik/bulk", { nik: niks }, ctx);
      if (!reply.ok) return reply;
      const rows = rowsOf(reply.value);
      if (rows === undefined) return badReply("kemensos", "bulk reply rows are malformed");
      const byNik = new Map<string, DtksRow[]>();
      for (const row of rows) byNik.set(row.NIK, [...(byNik.get(row.NIK) ?? []), row]);
      const retrievedAt = now();
      const answers = new Map<string, SourceEnrolments>();
      for (const nik of niks) answers.set(nik, mapDtksRows(byNik.get(nik) ?? [], retrievedAt));
      return ok(answers);
    },
  });
}
