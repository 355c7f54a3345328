/** POST /v1/enrolments/check-batch — up to 100,000 NIKs, answered as an NDJSON stream. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { PROGRAM_CODES, ProgramCode } from "../../../../schemas/src/enrolment.ts";
import { type BatchLine as BatchLineValue, checkBatch } from "../../enrolments/batch.ts";
import { auditSources } from "../../enrolments/source-statuses.ts";
import type { GatewayEnv } from "../../env.ts";
import { encodeLines } from "../../http/encode-lines.ts";
import { chargeClient } from "../../middleware/rate-limit.ts";
import type { AuditSource } from "../../stores/audit/record.ts";
import { registerOperation } from "../operation.ts";
import { personalData } from "../personal-data.ts";
import { PERSONAL_DATA, problemResponses } from "../problems.ts";
import { PurposeHeaders } from "../purpose-headers.ts";
import { EnrolmentCheckResult } from "./check.ts";

export const MAX_BATCH = 100_000;
/** 100,000 NIKs of 16 digits with quotes and commas is about 1.9 MB. */
const MAX_BATCH_BODY_BYTES = 4 * 1024 * 1024;

const BatchRequest = z
  .object({
    niks: z
      .array(z.unknown())
      .min(1)
      .max(MAX_BATCH)
      .openapi({
        description: `1 to ${MAX_BATCH} NIKs (strings). An invalid one yields an error line, not a failed batch.`,
        items: { type: "string", pattern: "^[0-9]{16}$" },
      }),
    programs: z.array(ProgramCode).min(1).max(PROGRAM_CODES.length).optional(),
  })
  .strict()
  .openapi("EnrolmentBatchRequest");

export const BatchLine = z
  .union([
    z.object({ index: z.number().int(), nik: z.string(), result: EnrolmentCheckResult }).strict(),
    z
      .object({
        index: z.number().int(),
        error: z.object({ code: z.string(), detail: z.string() }),
      })
      .strict(),
    z
      .object({
        done: z.literal(true),
        count: z.number().int(),
        errors: z.number().int(),
        partial: z.number().int(),
      })
      .strict(),
  ])
  .openapi("EnrolmentBatchLine", {
    description:
      "One line per input, in input order, each with its `index`; then a last line `{done: true, …}`. A stream without that last line was cut short.",
  });

export const checkBatchRoute = createRoute({
  method: "post",
  path: "/v1/enrolments/check-batch",
  operationId: "enrolments.checkBatch",
  tags: ["Enrolments"],
  summary: "Check many people at once, streamed as NDJSON",
  description:
    "Each NIK costs the client's `batchCostPerNik` against its rate limits, charged up front: a batch that does not fit is refused whole with 429. Results stream as they are ready, in input order.",
  security: [{ oauth2: ["enrolments:batch"] }],
  middleware: personalData("enrolments.checkBatch", "enrolments:batch", {
    body: MAX_BATCH_BODY_BYTES,
    charge: "by-handler",
  }),
  request: {
    headers: PurposeHeaders,
    body: { required: true, content: { "application/json": { schema: BatchRequest } } },
  },
  responses: {
    200: {
      description: "NDJSON, one `EnrolmentBatchLine` per line",
      content: { "application/x-ndjson": { schema: BatchLine } },
    },
    ...problemResponses(PERSONAL_DATA),
  },
});

type WireLine = Record<string, unknown>;

/** What one batch line becomes on the wire, with a regional client's batch kept to its region. */
function toWire(line: BatchLineValue, region: string | undefined): WireLine {
  if ("error" in line) return line;
  const { domicileRegency, ...result } = line.result;
  // A regional office checks its own residents in bulk; newcomers are checked one by one.
  if (region && domicileRegency && !domicileRegency.startsWith(region)) {
    return {
      index: line.index,
      error: {
        code: "OUTSIDE_CLIENT_REGION",
        detail: "Registered outside this client's region; check this person individually.",
      },
    };
  }
  return { index: line.index, nik: line.nik, result };
}

/** Records the lines that release data; the chunk is sent only once that record is written. */
type RecordChunk = (
  lines: readonly Extract<BatchLineValue, { result: unknown }>[],
) => Promise<void>;

/** NDJSON lines for a whole batch, ending with the `done` line that proves completeness. */
async function* ndjson(
  chunks: AsyncIterable<BatchLineValue[]>,
  region: string | undefined,
  recordChunk: RecordChunk,
): AsyncGenerator<string[]> {
  const totals = { count: 0, errors: 0, partial: 0 };
  for await (const lines of chunks) {
    const wire = lines.map((line) => toWire(line, region));
    try {
      // Lines turned into errors on the wire (outside the client's region) release nothing.
      const released = lines.filter(
        (line, i): line is Extract<BatchLineValue, { result: unknown }> =>
          "result" in line && "result" in (wire[i] ?? {}),
      );
      await recordChunk(released);
    } catch {
      // Fail closed mid-stream: stop before releasing unrecorded data; no `done` line follows.
      yield [
        `${JSON.stringify({ error: { code: "AUDIT_UNAVAILABLE", detail: "The audit trail cannot be written; the batch stopped here." } })}\n`,
      ];
      return;
    }
    const texts: string[] = new Array(wire.length);
    for (const [i, line] of wire.entries()) {
      totals.count++;
      if ("error" in line) totals.errors++;
      else if (!(lines[i] as { result: { complete: boolean } }).result.complete) totals.partial++;
      texts[i] = `${JSON.stringify(line)}\n`;
    }
    yield texts;
  }
  yield [`${JSON.stringify({ done: true, ...totals })}\n`];
}

/** A byte stream pulled a chunk of lines at a time: nothing is computed faster than the client reads. */
function pullStream(lines: AsyncGenerator<string[]>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await lines.next();
      if (done) controller.close();
      else controller.enqueue(encodeLines(value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
}

export function registerCheckBatch(app: OpenAPIHono<GatewayEnv>): void {
  registerOperation(app, checkBatchRoute, async (c) => {
    const services = c.get("services");
    const client = c.get("client");
    const body = c.req.valid("json");
    // Charged after validation, when the number of NIKs is known; all or nothing.
    await chargeClient(c, body.niks.length * client.ratePlan.batchCostPerNik);
    const ctx = { signal: c.req.raw.signal, traceparent: c.get("trace").traceparent };
    const programs = body.programs ?? PROGRAM_CODES;
    const chunks = checkBatch(body.niks, programs, services, ctx, services.batch);
    c.set("audit", {
      nikCount: body.niks.length,
      fieldsReleased: ["civilRegistry", "programs", "findings"],
    });
    const requestId = c.get("requestId");
    const declared = c.get("declared");
    // One record per chunk, listing each released NIK's digest: every person can still find
    // the read ("who read my data"), at a fraction of the cost of a record per NIK.
    const recordChunk: RecordChunk = async (lines) => {
      const released = lines;
      if (released.length === 0) return;
      const sources = new Map<string, AuditSource>();
      for (const line of released) {
        for (const source of auditSources(line.result.sources)) {
          if (source.status !== "OK" || !sources.has(source.id)) sources.set(source.id, source);
        }
      }
      await services.audit.append({
        requestId,
        clientId: client.id,
        purpose: declared.purpose,
        ...(declared.endUserId ? { endUserId: declared.endUserId } : {}),
        ...(declared.caseId ? { caseId: declared.caseId } : {}),
        route: "enrolments.checkBatch",
        nikHmacs: await Promise.all(released.map((line) => services.nikHmac(line.nik))),
        nikCount: released.length,
        sources: [...sources.values()],
        outcome: "RELEASED",
        httpStatus: 200,
        fieldsReleased: ["civilRegistry", "programs", "findings"],
      });
    };
    c.header("Cache-Control", "no-store");
    const response = c.body(pullStream(ndjson(chunks, client.region, recordChunk)), 200, {
      "Content-Type": "application/x-ndjson; charset=utf-8",
    });
    // zod-openapi types `application/x-ndjson` as a JSON body it cannot produce; it is a stream.
    return response as never;
  });
}
