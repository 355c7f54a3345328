/** `enrolments.checkBatch`: any number of NIKs, sent in chunks, read back as one ordered stream. */
import {
  SimpulError,
  SimpulStreamError,
  type SimpulStreamFailure,
  SimpulTimeoutError,
} from "./errors.ts";
import { readLines } from "./ndjson.ts";
import { type SendOptions, send, type TransportConfig } from "./transport.ts";
import type {
  EnrolmentBatchDoneLine,
  EnrolmentBatchLine,
  EnrolmentBatchWireLine,
  ProgramCode,
} from "./types.ts";

/** The most NIKs the gateway accepts in one request. */
export const MAX_BATCH_SIZE = 100_000;
/** NIKs per request unless `chunkSize` says otherwise. */
export const DEFAULT_CHUNK_SIZE = 10_000;

/**
 * Groups any iterable, sync or async, into arrays of at most `size`, pulling lazily.
 *
 * @example
 * for await (const chunk of chunked(["a", "b", "c"], 2)) console.log(chunk); // [a, b] then [c]
 */
export async function* chunked<T>(
  items: Iterable<T> | AsyncIterable<T>,
  size: number,
): AsyncGenerator<T[]> {
  let chunk: T[] = [];
  for await (const item of items) {
    chunk.push(item);
    if (chunk.length >= size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

export interface BatchRequest {
  readonly programs?: readonly ProgramCode[] | undefined;
  readonly chunkSize?: number | undefined;
  /** The request, less its body: method, path, headers, auth, signal. */
  readonly request: Omit<SendOptions, "body">;
}

function isDone(line: EnrolmentBatchWireLine): line is EnrolmentBatchDoneLine {
  return "done" in line && line.done === true;
}

/** Sends one chunk and yields its lines with indices shifted by `offset`. */
async function* checkChunk(
  config: TransportConfig,
  niks: readonly string[],
  offset: number,
  batch: BatchRequest,
): AsyncGenerator<EnrolmentBatchLine> {
  const body = JSON.stringify({
    niks,
    ...(batch.programs === undefined ? {} : { programs: batch.programs }),
  });
  const exchange = await send(config, { ...batch.request, body });
  // The request's timeout covered the wait for headers; from here it bounds each quiet spell.
  exchange.release();
  const { response, requestId } = exchange;
  let expected = 0;
  const fail = (reason: SimpulStreamFailure, message: string, cause?: unknown): never => {
    throw new SimpulStreamError(reason, offset + expected, message, requestId, { cause });
  };
  if (response.body === null) return fail("TRUNCATED", "The batch answer has no body.");
  const lines = readLines(response.body, {
    ...(batch.request.signal === undefined ? {} : { signal: batch.request.signal }),
    idleTimeoutMs: batch.request.timeoutMs ?? config.timeoutMs,
  });
  try {
    for (;;) {
      let next: IteratorResult<string>;
      try {
        next = await lines.next();
      } catch (error) {
        if (batch.request.signal?.aborted) throw error;
        if (error instanceof SimpulTimeoutError) {
          return fail(
            "IDLE_TIMEOUT",
            `The batch stream went quiet for ${error.timeoutMs} ms.`,
            error,
          );
        }
        if (error instanceof RangeError) return fail("MALFORMED_LINE", error.message, error);
        return fail("INTERRUPTED", "The batch stream broke off.", error);
      }
      if (next.done) {
        return fail(
          "TRUNCATED",
          `The batch stream ended after ${expected} of ${niks.length} lines, without its done line.`,
        );
      }
      let line: EnrolmentBatchWireLine;
      try {
        line = JSON.parse(next.value) as EnrolmentBatchWireLine;
      } catch (error) {
        const after = await lines.next().catch(() => ({ done: true }));
        return after.done
          ? fail("TRUNCATED", "The batch stream ended in the middle of a line.", error)
          : fail("MALFORMED_LINE", "The batch stream has a line that is not JSON.", error);
      }
      if (isDone(line)) {
        if (line.count !== expected || expected !== niks.length) {
          fail(
            "COUNT_MISMATCH",
            `The batch stream's done line counts ${line.count} lines; ${expected} arrived for ${niks.length} NIKs.`,
          );
        }
        return;
      }
      if (line.index !== expected) {
        fail("OUT_OF_ORDER", `Expected the line for input ${expected}; got ${line.index}.`);
      }
      const index = offset + expected;
      const nik = niks[expected] as string;
      expected++;
      yield "error" in line ? { ...line, index, nik } : { ...line, index };
    }
  } finally {
    await lines.return(undefined);
  }
}

/**
 * Checks every NIK of `niks`, `chunkSize` per request, and yields one line per input in input
 * order, `index` being the position in the whole input. Pulls input and reads answers only as
 * fast as the consumer iterates.
 *
 * @example
 * for await (const line of checkBatch(config, niks, { request })) console.log(line.index);
 */
export async function* checkBatch(
  config: TransportConfig,
  niks: Iterable<string> | AsyncIterable<string>,
  batch: BatchRequest,
): AsyncGenerator<EnrolmentBatchLine> {
  const size = batch.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_BATCH_SIZE) {
    throw new SimpulError(`chunkSize must be an integer from 1 to ${MAX_BATCH_SIZE}; got ${size}.`);
  }
  let offset = 0;
  for await (const chunk of chunked(niks, size)) {
    yield* checkChunk(config, chunk, offset, batch);
    offset += chunk.length;
  }
}
