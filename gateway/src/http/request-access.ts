/**
 * How the app reads a request's body and learns that its client went away. The Fetch `Request`
 * does both everywhere; a runtime that can do it cheaper (Node, straight from the socket's
 * message) supplies its own, so a small JSON call never pays for a stream and an AbortController.
 */
import type { Context } from "hono";
import type { GatewayEnv } from "../env.ts";
import { ProblemError } from "../errors/problem.ts";

export interface RequestAccess {
  /** The body as UTF-8 text; PAYLOAD_TOO_LARGE past `maxBytes`, declared or counted. */
  readText(c: Context, maxBytes: number): Promise<string>;
  /** Aborts when the client disconnects before the response is written. */
  signal(c: Context): AbortSignal;
}

export const tooLarge = (maxBytes: number) =>
  new ProblemError("PAYLOAD_TOO_LARGE", `The body must be at most ${maxBytes} bytes.`);

/** True when a declared Content-Length already exceeds the limit (RFC 9110 §8.6). */
export function declaredTooLarge(contentLength: string | undefined, maxBytes: number): boolean {
  if (contentLength === undefined || contentLength === "") return false;
  const declared = Number(contentLength);
  return !Number.isSafeInteger(declared) || declared > maxBytes;
}

/** The Fetch implementation: counts streamed bytes, so a chunked body cannot slip past. */
export const fetchRequestAccess: RequestAccess = {
  async readText(c, maxBytes) {
    const request = c.req.raw;
    if (declaredTooLarge(request.headers.get("content-length") ?? undefined, maxBytes)) {
      throw tooLarge(maxBytes);
    }
    if (request.body === null) return "";
    const reader = request.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
    const bytes = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return new TextDecoder().decode(bytes);
  },
  signal: (c) => c.req.raw.signal,
};

/** The runtime's access, or the Fetch one when the entry supplied none. */
export const requestAccessOf = (c: Context<GatewayEnv>): RequestAccess =>
  c.get("services").requestAccess ?? fetchRequestAccess;
