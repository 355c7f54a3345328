import { describe, expect, it } from "vitest";
import {
  batchLines,
  batchRoute,
  fakeGateway,
  ndjsonResponse,
  problem,
  sampleNiks,
} from "../test/fake-gateway.ts";
import { chunked, DEFAULT_CHUNK_SIZE } from "./batch.ts";
import { createSimpulClient } from "./client.ts";
import { SimpulError, SimpulProblemError, SimpulStreamError } from "./errors.ts";
import type { FetchLike } from "./transport.ts";
import type { EnrolmentBatchLine } from "./types.ts";

const BATCH = "/v1/enrolments/check-batch";

function client(fetch: FetchLike, timeoutMs = 5_000) {
  return createSimpulClient({
    baseUrl: "https://simpul.test",
    clientId: "kemensos-app",
    clientSecret: "secret",
    purpose: "data-reconciliation",
    fetch,
    timeoutMs,
    retries: { maxRetries: 2, baseDelayMs: 1 },
  });
}

async function collect(lines: AsyncIterable<EnrolmentBatchLine>): Promise<EnrolmentBatchLine[]> {
  const out: EnrolmentBatchLine[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

const sentNiks = (gateway: ReturnType<typeof fakeGateway>) =>
  gateway.bodies
    .filter((_, i) => gateway.requests[i]?.url.endsWith(BATCH))
    .map((body) => (JSON.parse(body) as { niks: string[] }).niks);

describe("chunked", () => {
  it("groups sync and async iterables lazily", async () => {
    const seen: number[][] = [];
    for await (const chunk of chunked([1, 2, 3, 4, 5], 2)) seen.push(chunk);
    expect(seen).toEqual([[1, 2], [3, 4], [5]]);
    async function* numbers() {
      yield 1;
      yield 2;
    }
    const fromAsync: number[][] = [];
    for await (const chunk of chunked(numbers(), 5)) fromAsync.push(chunk);
    expect(fromAsync).toEqual([[1, 2]]);
  });
});

describe("enrolments.checkBatch", () => {
  it("splits the input into chunks and numbers lines by global input position", async () => {
    const gateway = fakeGateway({ routes: { [BATCH]: batchRoute } });
    const niks = sampleNiks(25);
    niks[13] = "123";
    const lines = await collect(
      client(gateway.fetch).enrolments.checkBatch(niks, { chunkSize: 10, programs: ["PKH"] }),
    );
    expect(sentNiks(gateway).map((chunk) => chunk.length)).toEqual([10, 10, 5]);
    expect(lines.map((line) => line.index)).toEqual(niks.map((_, i) => i));
    const invalid = lines[13];
    expect(invalid && "error" in invalid ? invalid : undefined).toMatchObject({
      index: 13,
      nik: "123",
      error: { code: "NIK_WRONG_LENGTH" },
    });
    expect(lines[24]).toMatchObject({ index: 24, nik: niks[24] });
    const request = gateway.to(BATCH)[0];
    expect(request?.headers.get("accept")).toBe("application/x-ndjson");
    expect(request?.headers.get("simpul-purpose")).toBe("data-reconciliation");
    expect(JSON.parse(gateway.bodies.at(-1) ?? "{}").programs).toEqual(["PKH"]);
  });

  it("pulls input only as fast as results are consumed", async () => {
    const gateway = fakeGateway({ routes: { [BATCH]: batchRoute } });
    let pulled = 0;
    async function* csvLines() {
      for (const nik of sampleNiks(50)) {
        pulled++;
        yield nik;
      }
    }
    const lines = client(gateway.fetch).enrolments.checkBatch(csvLines(), { chunkSize: 10 });
    for await (const line of lines) {
      expect(line.index).toBe(0);
      break;
    }
    expect(pulled, "only the first chunk was read from the input").toBe(10);
    expect(gateway.to(BATCH)).toHaveLength(1);
  });

  it("reads the body incrementally and cancels it when the consumer stops", async () => {
    const niks = sampleNiks(1_000);
    const lines = batchLines(niks).map((line) => `${JSON.stringify(line)}\n`);
    let produced = 0;
    let cancelled = false;
    const encoder = new TextEncoder();
    const gateway = fakeGateway({
      routes: {
        [BATCH]: () =>
          new Response(
            new ReadableStream<Uint8Array>(
              {
                pull(controller) {
                  const line = lines[produced++];
                  if (line === undefined) controller.close();
                  else controller.enqueue(encoder.encode(line));
                },
                cancel() {
                  cancelled = true;
                },
              },
              { highWaterMark: 0 },
            ),
          ),
      },
    });
    let consumed = 0;
    for await (const _line of client(gateway.fetch).enrolments.checkBatch(niks)) {
      if (++consumed === 3) break;
    }
    expect(produced, "the gateway was asked for little more than what was read").toBeLessThan(10);
    expect(cancelled, "breaking out cancels the response body").toBe(true);
  });

  it("throws SimpulStreamError TRUNCATED, with where to resume, when the done line is missing", async () => {
    const gateway = fakeGateway({
      routes: {
        [BATCH]: [
          batchRoute,
          async (request) => {
            const { niks } = (await request.json()) as { niks: string[] };
            return ndjsonResponse(batchLines(niks).slice(0, 4));
          },
        ],
      },
    });
    const received: number[] = [];
    const failure = await (async () => {
      for await (const line of client(gateway.fetch).enrolments.checkBatch(sampleNiks(20), {
        chunkSize: 10,
      })) {
        received.push(line.index);
      }
    })().catch((error) => error);
    expect(failure).toBeInstanceOf(SimpulStreamError);
    expect(failure).toMatchObject({ reason: "TRUNCATED", nextIndex: 14 });
    expect(received).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  });

  it("tells a stream cut in the middle of a line from a malformed one", async () => {
    const niks = sampleNiks(3);
    const good = batchLines(niks).map((line) => `${JSON.stringify(line)}\n`);
    const cut = fakeGateway({
      routes: { [BATCH]: () => ndjsonResponse([good[0], good[1]?.slice(0, 20)], true) },
    });
    await expect(collect(client(cut.fetch).enrolments.checkBatch(niks))).rejects.toMatchObject({
      reason: "TRUNCATED",
      nextIndex: 1,
    });
    const garbled = fakeGateway({
      routes: { [BATCH]: () => ndjsonResponse([good[0], "<html>\n", good[1]], true) },
    });
    await expect(collect(client(garbled.fetch).enrolments.checkBatch(niks))).rejects.toMatchObject({
      reason: "MALFORMED_LINE",
      nextIndex: 1,
    });
  });

  it("refuses a done line whose count disagrees, and lines out of order", async () => {
    const niks = sampleNiks(3);
    const lines = batchLines(niks);
    const miscounted = fakeGateway({
      routes: {
        [BATCH]: () =>
          ndjsonResponse([lines[0], lines[1], { done: true, count: 2, errors: 0, partial: 0 }]),
      },
    });
    await expect(
      collect(client(miscounted.fetch).enrolments.checkBatch(niks)),
    ).rejects.toMatchObject({ reason: "COUNT_MISMATCH" });
    const shuffled = fakeGateway({
      routes: { [BATCH]: () => ndjsonResponse([lines[1], lines[0], lines[2], lines[3]]) },
    });
    await expect(collect(client(shuffled.fetch).enrolments.checkBatch(niks))).rejects.toMatchObject(
      { reason: "OUT_OF_ORDER", nextIndex: 0 },
    );
  });

  it("fails a stream that goes quiet for longer than timeoutMs", async () => {
    const niks = sampleNiks(2);
    const first = `${JSON.stringify(batchLines(niks)[0])}\n`;
    const gateway = fakeGateway({
      routes: {
        [BATCH]: () =>
          new Response(
            new ReadableStream<Uint8Array>({
              start(controller) {
                controller.enqueue(new TextEncoder().encode(first));
              },
            }),
          ),
      },
    });
    await expect(
      collect(client(gateway.fetch, 50).enrolments.checkBatch(niks)),
    ).rejects.toMatchObject({ name: "SimpulStreamError", reason: "IDLE_TIMEOUT", nextIndex: 1 });
  });

  it("retries a chunk refused with 429 before any line was read", async () => {
    const gateway = fakeGateway({
      routes: {
        [BATCH]: [() => problem("RATE_LIMITED", 429, { "Retry-After": "0" }), batchRoute],
      },
    });
    const lines = await collect(client(gateway.fetch).enrolments.checkBatch(sampleNiks(3)));
    expect(lines).toHaveLength(3);
    expect(gateway.to(BATCH)).toHaveLength(2);
  });

  it("surfaces a refused chunk as SimpulProblemError", async () => {
    const gateway = fakeGateway({ routes: { [BATCH]: () => problem("INSUFFICIENT_SCOPE", 403) } });
    await expect(
      collect(client(gateway.fetch).enrolments.checkBatch(sampleNiks(3))),
    ).rejects.toBeInstanceOf(SimpulProblemError);
  });

  it("sends nothing for an empty input and refuses impossible chunk sizes", async () => {
    const gateway = fakeGateway({ routes: { [BATCH]: batchRoute } });
    expect(await collect(client(gateway.fetch).enrolments.checkBatch([]))).toEqual([]);
    expect(gateway.requests).toHaveLength(0);
    for (const chunkSize of [0, 100_001, 2.5]) {
      await expect(
        collect(client(gateway.fetch).enrolments.checkBatch(["1"], { chunkSize })),
      ).rejects.toBeInstanceOf(SimpulError);
    }
    expect(DEFAULT_CHUNK_SIZE).toBe(10_000);
  });
});
