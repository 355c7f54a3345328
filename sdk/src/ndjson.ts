/** Reads an NDJSON body one line at a time, pulling bytes only as lines are consumed. */
import { SimpulTimeoutError } from "./errors.ts";
import { raceSignal } from "./transport.ts";

/** A line longer than this is refused instead of buffered without bound. */
export const MAX_LINE_BYTES = 1024 * 1024;

export interface LineReaderOptions {
  /** Aborting it cancels the body; the read rejects with its reason. */
  readonly signal?: AbortSignal;
  /** The longest wait for the next bytes; a quiet stream then fails with `SimpulTimeoutError`. */
  readonly idleTimeoutMs?: number;
}

function idle<T>(promise: Promise<T>, ms: number | undefined): Promise<T> {
  if (ms === undefined) return promise;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SimpulTimeoutError(ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Yields each non-empty line of a UTF-8 byte stream, without its newline. Reading stops when
 * the consumer stops pulling, and breaking out of the loop cancels the stream.
 *
 * @example
 * for await (const line of readLines(response.body!)) console.log(JSON.parse(line));
 */
export async function* readLines(
  body: ReadableStream<Uint8Array>,
  options: LineReaderOptions = {},
): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let buffered = "";
  let finished = false;
  try {
    for (;;) {
      const read = idle(reader.read(), options.idleTimeoutMs);
      const { value, done } = await (options.signal ? raceSignal(read, options.signal) : read);
      if (done) {
        finished = true;
        buffered += decoder.decode();
        if (buffered.trim() !== "") yield buffered;
        return;
      }
      buffered += decoder.decode(value, { stream: true });
      let newline = buffered.indexOf("\n");
      while (newline !== -1) {
        const line = buffered.slice(0, newline).replace(/\r$/, "");
        buffered = buffered.slice(newline + 1);
        if (line.trim() !== "") yield line;
        newline = buffered.indexOf("\n");
      }
      if (buffered.length > MAX_LINE_BYTES) {
        throw new RangeError(`An NDJSON line is longer than ${MAX_LINE_BYTES} bytes.`);
      }
    }
  } finally {
    // Tells the gateway to stop producing lines nobody will read.
    if (!finished) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
