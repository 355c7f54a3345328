/** Pieces both transports share: the deadline, the capped body reader and error mapping. */
import type { SourceFailure } from "./result.ts";

/** One request's deadline, merged with the caller's own signal. */
export interface Deadline {
  /** Aborts when the deadline passes or the caller aborts, whichever comes first. */
  readonly signal: AbortSignal;
  /**
   * Calls `listener` once, with the reason, when the deadline passes or the caller aborts (at
   * once if that already happened). Cheaper than `signal` for transports that can cancel
   * directly: no AbortController is made unless `signal` is read.
   */
  onAbort(listener: (reason: unknown) => void): void;
  /** True once the caller's signal (not our deadline) has aborted. */
  callerAborted(): boolean;
  /** True once our own deadline has passed. */
  expired(): boolean;
  /** Clears the timer and the listener on the caller's signal; call it in `finally`. */
  dispose(): void;
}

/**
 * A deadline timer plus the caller's signal. Written by hand rather than with
 * `AbortSignal.any`, whose followers Node 20 keeps alive as long as a long-lived parent signal.
 */
export function createDeadline(timeoutMs: number, callerSignal?: AbortSignal): Deadline {
  let timedOut = false;
  let reason: unknown;
  let aborted = false;
  const listeners: ((reason: unknown) => void)[] = [];
  let controller: AbortController | undefined;
  const abort = (why: unknown) => {
    if (aborted) return;
    aborted = true;
    reason = why;
    controller?.abort(why);
    for (const listener of listeners.splice(0)) listener(why);
  };
  const onCallerAbort = () => abort(callerSignal?.reason);
  const timer = setTimeout(
    () => {
      timedOut = true;
      abort(new DOMException("deadline passed", "TimeoutError"));
    },
    Math.max(0, timeoutMs),
  );
  if (callerSignal?.aborted) {
    abort(callerSignal.reason);
  } else {
    callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
  }
  return {
    get signal() {
      if (controller === undefined) {
        controller = new AbortController();
        if (aborted) controller.abort(reason);
      }
      return controller.signal;
    },
    onAbort(listener) {
      if (aborted) listener(reason);
      else listeners.push(listener);
    },
    callerAborted: () => callerSignal?.aborted === true && !timedOut,
    expired: () => timedOut,
    dispose() {
      clearTimeout(timer);
      listeners.length = 0;
      callerSignal?.removeEventListener("abort", onCallerAbort);
    },
  };
}

export const timeoutFailure = (detail: string): SourceFailure => ({
  kind: "TIMEOUT",
  retryable: true,
  detail,
});

export const callerAbortFailure = (detail: string): SourceFailure => ({
  kind: "TIMEOUT",
  retryable: false,
  detail,
  callerAborted: true,
});

export const unavailableFailure = (detail: string, retryable = true): SourceFailure => ({
  kind: "UNAVAILABLE",
  retryable,
  detail,
});

export const badResponseFailure = (detail: string, status?: number): SourceFailure =>
  status === undefined
    ? { kind: "BAD_RESPONSE", retryable: false, detail }
    : { kind: "BAD_RESPONSE", retryable: false, detail, status };

/** Error codes (undici, Node net/dns) that mean the source could not be reached or hung up. */
const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EHOSTDOWN",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_DESTROYED",
  "UND_ERR_REQ_RETRY",
  "ERR_SSL_WRONG_VERSION_NUMBER",
  "CERT_HAS_EXPIRED",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
]);

const TIMEOUT_CODES = new Set([
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
]);

const MALFORMED_CODES = new Set([
  "UND_ERR_RES_CONTENT_LENGTH_MISMATCH",
  "UND_ERR_HEADERS_OVERFLOW",
  "HPE_INVALID_CONSTANT",
  "HPE_INVALID_HEADER_TOKEN",
  "HPE_INVALID_CHUNK_SIZE",
  "HPE_UNEXPECTED_CONTENT_LENGTH",
]);

/** The first `code` found on an error or along its `cause` chain (fetch wraps undici's). */
export function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * A short description for operators' logs. Error messages from the HTTP stack name addresses
 * and codes, never bodies; the length cap keeps an unexpected one from carrying much.
 */
function describe(error: unknown, code: string | undefined): string {
  const message = error instanceof Error ? error.message : typeof error;
  const cause =
    error instanceof Error && error.cause instanceof Error ? `; ${error.cause.message}` : "";
  return `${code ?? "ERROR"}: ${message}${cause}`.slice(0, 200);
}

/**
 * Maps anything a transport threw to a failure value. The deadline is consulted first because
 * an abort surfaces as a generic AbortError whatever its cause.
 */
export function failureFromError(error: unknown, deadline: Deadline, where: string): SourceFailure {
  if (deadline.callerAborted()) return callerAbortFailure(`${where}: caller aborted`);
  if (deadline.expired()) return timeoutFailure(`${where}: deadline passed`);
  const code = errorCode(error);
  const detail = `${where}: ${describe(error, code)}`;
  if (code !== undefined && TIMEOUT_CODES.has(code)) return timeoutFailure(detail);
  if (code !== undefined && MALFORMED_CODES.has(code)) return badResponseFailure(detail);
  if (code !== undefined && UNREACHABLE_CODES.has(code)) return unavailableFailure(detail);
  // fetch reports every network fault as a bare TypeError (WHATWG Fetch §4.1 "network error").
  if (error instanceof TypeError) return unavailableFailure(detail);
  return unavailableFailure(detail, false);
}

/** `Content-Length` when present and larger than the cap, so we refuse before reading. */
export function declaredLengthExceeds(contentLength: string | undefined, max: number): boolean {
  if (contentLength === undefined) return false;
  const length = Number(contentLength);
  return Number.isFinite(length) && length > max;
}

export type CappedBody = { readonly ok: true; readonly text: string } | { readonly ok: false };

/** A `ReadableStream` reader as an async iterable; leaving early cancels the stream. */
export async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/**
 * Reads a body chunk by chunk and stops as soon as it passes `maxBytes`; leaving the loop early
 * runs the iterator's `return()`, which destroys (undici) or cancels (fetch) the stream, so an
 * oversized body is never held whole.
 */
export async function readCapped(
  chunks: AsyncIterable<Uint8Array>,
  maxBytes: number,
): Promise<CappedBody> {
  const decoder = new TextDecoder();
  let seen = 0;
  let text = "";
  for await (const chunk of chunks) {
    seen += chunk.byteLength;
    if (seen > maxBytes) return { ok: false };
    text += decoder.decode(chunk, { stream: true });
  }
  text += decoder.decode();
  return { ok: true, text };
}

/** The host for log details; the path and query are left out in case they carry anything. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "invalid-url";
  }
}
