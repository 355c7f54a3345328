/**
 * How the app reads a request's headers and body and learns that its client went away. The Fetch
 * `Request` does all of it everywhere; a runtime that can do it cheaper (Node, straight from the
 * socket's message) supplies its own, so a small JSON call never pays for a `Headers` object, a
 * stream and an AbortController.
 */
import type { Context } from "hono";
import {
  chunksOf,
  declaredLengthExceeds,
  readCapped,
} from "../../../adapters/core/transport-support.ts";
import type { GatewayEnv } from "../env.ts";
import { ProblemError } from "../errors/problem.ts";

export interface RequestAccess {
  /**
   * A request header by name (any case): every value of a repeated field joined with ", ", as
   * Fetch's `Headers.get` joins them, so a second Authorization never goes unnoticed.
   */
  header(c: Context, name: string): string | undefined;
  /** The body as UTF-8 text; PAYLOAD_TOO_LARGE past `maxBytes`, declared or counted. */
  readText(c: Context, maxBytes: number): Promise<string>;
  /** Aborts when the client goes away (its connection closes) while the request is served. */
  signal(c: Context): AbortSignal;
}

export const tooLarge = (maxBytes: number) =>
  new ProblemError("PAYLOAD_TOO_LARGE", `The body must be at most ${maxBytes} bytes.`);

/** The Fetch implementation: counts streamed bytes, so a chunked body cannot slip past. */
export const fetchRequestAccess: RequestAccess = {
  header: (c, name) => c.req.header(name),
  async readText(c, maxBytes) {
    const request = c.req.raw;
    // RFC 9110 §8.6: a declared length over the limit is refused before any byte is read.
    if (declaredLengthExceeds(request.headers.get("content-length") ?? undefined, maxBytes)) {
      throw tooLarge(maxBytes);
    }
    if (request.body === null) return "";
    const body = await readCapped(chunksOf(request.body), maxBytes);
    if (!body.ok) throw tooLarge(maxBytes);
    return body.text;
  },
  signal: (c) => c.req.raw.signal,
};

/** The runtime's access, or the Fetch one when the entry supplied none. */
export const requestAccessOf = (c: Context<GatewayEnv>): RequestAccess =>
  c.get("services").requestAccess ?? fetchRequestAccess;

/** A request header through the runtime's access: what every middleware and route reads. */
export const requestHeader = (c: Context<GatewayEnv>, name: string): string | undefined =>
  requestAccessOf(c).header(c, name);
