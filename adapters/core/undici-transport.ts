/** Node transport: one keep-alive undici Pool per source origin. */
import { Pool } from "undici";
import { fail, ok, type Result, type SourceFailure } from "./result.ts";
import type { Transport, TransportRequest, TransportResponse } from "./transport.ts";
import {
  badResponseFailure,
  createDeadline,
  type Deadline,
  declaredLengthExceeds,
  failureFromError,
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
 * The path and query of `url` when it lies on `origin`, else undefined. The common case is a
 * string prefix; only other spellings (upper-case host, default port) pay for a URL parse,
 * which showed in the lookup profile when done on every call.
 */
function pathWithin(origin: string, url: string): string | undefined {
  if (url.startsWith(origin)) {
    const rest = url.slice(origin.length);
    if (rest === "") return "/";
    if (rest[0] === "/") return rest;
    if (rest[0] === "?") return `/${rest}`;
  }
  try {
    const parsed = new URL(url);
    return parsed.origin === origin ? `${parsed.pathname}${parsed.search}` : undefined;
  } catch {
    return undefined;
  }
}

type CappedReply =
  | {
      readonly tooLarge: false;
      readonly status: number;
      readonly headers: Record<string, string>;
      readonly body: string;
    }
  | { readonly tooLarge: true; readonly declared: boolean; readonly status: number };

/**
 * One request through undici's dispatcher API, the body gathered as it arrives against the cap.
 * `Pool.request` wraps every reply in a Readable stream read through an async iterator; for the
 * small JSON replies sources send that wrapper cost more than the HTTP exchange itself. A body
 * past the cap (declared or counted) aborts the exchange at once, so it is never held whole.
 */
function dispatchCapped(
  pool: Pool,
  request: TransportRequest,
  path: string,
  deadline: Deadline,
): Promise<CappedReply> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let status = 0;
    let headers: Record<string, string> = {};
    let settled = false;
    let abortExchange: ((reason: unknown) => void) | undefined;
    let abortedBy: { reason: unknown } | undefined;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };
    const refuse = (declared: boolean) => {
      settle(() => resolve({ tooLarge: true, declared, status }));
      abortExchange?.(new Error("response body over the cap"));
    };
    deadline.onAbort((reason) => {
      abortedBy = { reason };
      abortExchange?.(reason);
      settle(() => reject(reason));
    });
    pool.dispatch(
      {
        path,
        method: request.method,
        headers: request.headers ?? {},
        body: request.body ?? null,
        // The overall deadline is the real limit; these make undici give up at the same point
        // even if our timer is delayed by a busy event loop.
        headersTimeout: request.timeoutMs,
        bodyTimeout: request.timeoutMs,
      },
      {
        onRequestStart(controller) {
          abortExchange = (reason) => controller.abort(reason as Error);
          if (abortedBy) controller.abort(abortedBy.reason as Error);
        },
        onResponseStart(_controller, statusCode, responseHeaders) {
          if (statusCode < 200) return; // RFC 9110 §15.2: interim answers precede the real one
          status = statusCode;
          headers = flattenHeaders(responseHeaders);
          if (declaredLengthExceeds(headers["content-length"], request.maxResponseBytes)) {
            refuse(true);
          }
        },
        onResponseData(_controller, chunk) {
          if (settled) return;
          size += chunk.length;
          if (size > request.maxResponseBytes) refuse(false);
          else chunks.push(chunk);
        },
        onResponseEnd() {
          settle(() =>
            resolve({
              tooLarge: false,
              status,
              headers,
              body: Buffer.concat(chunks, size).toString("utf8"),
            }),
          );
        },
        onResponseError(_controller, error) {
          settle(() => reject(error));
        },
      },
    );
  });
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
    const path = pathWithin(origin, request.url);
    if (path === undefined) {
      return fail({
        kind: "REJECTED",
        retryable: false,
        detail: `${host}: request URL is outside this transport's origin`,
      });
    }
    const where = `${request.method} ${host}`;
    const deadline = createDeadline(request.timeoutMs, request.signal);
    try {
      const reply = await dispatchCapped(pool, request, path, deadline);
      if (reply.tooLarge) {
        return fail(
          badResponseFailure(
            `${where}: ${reply.declared ? "declared " : ""}body exceeds ${request.maxResponseBytes} bytes`,
            reply.status,
          ),
        );
      }
      return ok({ status: reply.status, headers: reply.headers, body: reply.body });
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
