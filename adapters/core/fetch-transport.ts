/** Web-standard transport over an injected `fetch` (Cloudflare Workers, tests, any runtime). */
import { fail, ok, type Result, type SourceFailure } from "./result.ts";
import type { Transport, TransportRequest, TransportResponse } from "./transport.ts";
import {
  badResponseFailure,
  chunksOf,
  createDeadline,
  declaredLengthExceeds,
  failureFromError,
  hostOf,
  readCapped,
} from "./transport-support.ts";

export interface FetchTransportOptions {
  /** The `fetch` to send with. Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
}

/**
 * A `Transport` over `fetch`: one deadline for the whole exchange, redirects returned rather
 * than followed (a credentialled POST must not be replayed elsewhere), and the body read
 * through its stream reader against a byte cap.
 *
 * @example
 * ```ts
 * const transport = createFetchTransport({ fetch: env.DUKCAPIL.fetch.bind(env.DUKCAPIL) });
 * const result = await transport.send({
 *   method: "GET",
 *   url: "https://dukcapil.example/health",
 *   timeoutMs: 2000,
 *   maxResponseBytes: 4096,
 * });
 * ```
 */
export function createFetchTransport(options: FetchTransportOptions = {}): Transport {
  const fetchImpl = options.fetch ?? globalThis.fetch;

  async function send(
    request: TransportRequest,
  ): Promise<Result<TransportResponse, SourceFailure>> {
    const where = `${request.method} ${hostOf(request.url)}`;
    const deadline = createDeadline(request.timeoutMs, request.signal);
    try {
      const init: RequestInit = {
        method: request.method,
        signal: deadline.signal,
        redirect: "manual",
      };
      if (request.headers !== undefined) init.headers = request.headers;
      if (request.body !== undefined) init.body = request.body;
      const response = await fetchImpl(request.url, init);
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name] = value;
      });
      if (declaredLengthExceeds(headers["content-length"], request.maxResponseBytes)) {
        await response.body?.cancel().catch(() => undefined);
        return fail(
          badResponseFailure(
            `${where}: declared body exceeds ${request.maxResponseBytes} bytes`,
            response.status,
          ),
        );
      }
      let text = "";
      if (response.body !== null) {
        const body = await readCapped(chunksOf(response.body), request.maxResponseBytes);
        if (!body.ok) {
          return fail(
            badResponseFailure(
              `${where}: body exceeds ${request.maxResponseBytes} bytes`,
              response.status,
            ),
          );
        }
        text = body.text;
      }
      return ok({ status: response.status, headers, body: text });
    } catch (error) {
      return fail(failureFromError(error, deadline, where));
    } finally {
      deadline.dispose();
    }
  }

  return {
    send,
    close: async () => undefined,
  };
}
