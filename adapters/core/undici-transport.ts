/** Node transport: one keep-alive undici Pool per source origin. */
import { Pool } from "undici";
import { fail, ok, type Result, type SourceFailure } from "./result.ts";
import type { Transport, TransportRequest, TransportResponse } from "./transport.ts";
import {
  badResponseFailure,
  createDeadline,
  declaredLengthExceeds,
  failureFromError,
  readCapped,
} from "./transport-support.ts";

export interface UndiciTransportOptions {
  /** Scheme, host and port of the source, e.g. `https://api.dukcapil.example:8443`. */
  readonly origin: string;
  /** Sockets kept open to the source. Default 16. */
  readonly connections?: number;
  /** TCP + TLS handshake limit in milliseconds. Default 3000. */
  readonly connectTimeoutMs?: number;
  /** How long an idle socket is kept for reuse. Default 30000 (the source's hint wins if lower). */
  readonly keepAliveTimeoutMs?: number;
  /** Requests in flight per socket. Default 1: most ministry gateways mishandle pipelining. */
  readonly pipelining?: number;
}

type HeaderValue = string | string[] | undefined;

function flattenHeaders(headers: Record<string, HeaderValue>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

/**
 * A `Transport` over an undici `Pool`: sockets are reused across calls, every request has a
 * deadline covering connect, headers and body, and bodies are streamed against a byte cap.
 *
 * @example
 * ```ts
 * const transport = createUndiciTransport({ origin: "http://127.0.0.1:8101", connections: 8 });
 * const result = await transport.send({
 *   method: "POST",
 *   url: "http://127.0.0.1:8101/dukcapil/api/CALL_NIK",
 *   headers: { "content-type": "application/json" },
 *   body: JSON.stringify({ NIK: "3174...", user_id: "u", password: "p", ip_user: "10.0.0.1" }),
 *   timeoutMs: 3000,
 *   maxResponseBytes: 256 * 1024,
 * });
 * await transport.close();
 * ```
 */
export function createUndiciTransport(options: UndiciTransportOptions): Transport {
  const origin = new URL(options.origin).origin;
  const host = new URL(origin).host;
  const pool = new Pool(origin, {
    connections: options.connections ?? 16,
    connectTimeout: options.connectTimeoutMs ?? 3_000,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
    pipelining: options.pipelining ?? 1,
  });

  async function send(
    request: TransportRequest,
  ): Promise<Result<TransportResponse, SourceFailure>> {
    const url = new URL(request.url);
    if (url.origin !== origin) {
      return fail({
        kind: "REJECTED",
        retryable: false,
        detail: `${host}: request URL is outside this transport's origin`,
      });
    }
    const where = `${request.method} ${host}`;
    const deadline = createDeadline(request.timeoutMs, request.signal);
    try {
      const response = await pool.request({
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers: request.headers ?? {},
        body: request.body,
        signal: deadline.signal,
        // The overall deadline is the real limit; these make undici give up at the same point
        // even if our timer is delayed by a busy event loop.
        headersTimeout: request.timeoutMs,
        bodyTimeout: request.timeoutMs,
      });
      const headers = flattenHeaders(response.headers);
      if (declaredLengthExceeds(headers["content-length"], request.maxResponseBytes)) {
        response.body.destroy();
        return fail(
          badResponseFailure(
            `${where}: declared body exceeds ${request.maxResponseBytes} bytes`,
            response.statusCode,
          ),
        );
      }
      const body = await readCapped(response.body, request.maxResponseBytes);
      if (!body.ok) {
        return fail(
          badResponseFailure(
            `${where}: body exceeds ${request.maxResponseBytes} bytes`,
            response.statusCode,
          ),
        );
      }
      return ok({ status: response.statusCode, headers, body: body.text });
    } catch (error) {
      return fail(failureFromError(error, deadline, where));
    } finally {
      deadline.dispose();
    }
  }

  return {
    send,
    close: () => pool.close(),
  };
}
