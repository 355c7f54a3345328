/** Streams audit entries as NDJSON (one JSON object per line), for `GET /v1/audit/export`. */
import type { AuditEntry } from "./record.ts";

export const NDJSON_MEDIA_TYPE = "application/x-ndjson";

/**
 * A byte stream of `entries`, one line each, pulled as the reader consumes it so an export of a
 * large trail never sits in memory. Cancelling the stream stops the underlying iteration.
 *
 * @example
 * return new Response(auditNdjson(store.export({ clientId })), {
 *   headers: { "content-type": NDJSON_MEDIA_TYPE },
 * });
 */
export function auditNdjson(entries: AsyncIterable<AuditEntry>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = entries[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(`${JSON.stringify(next.value)}\n`));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
