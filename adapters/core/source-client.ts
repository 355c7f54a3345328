/** The resilient client every ministry adapter calls its source through. */
import { fullJitterDelay, parseRetryAfter } from "./backoff.ts";
import { type BreakerOutcome, createCircuitBreaker } from "./circuit-breaker.ts";
import { createHealthTracker } from "./health.ts";
import { createLimiter } from "./limiter.ts";
import { fail, ok, type Result, type SourceFailure } from "./result.ts";
import type { CallContext, SourceHealth, SourceId } from "./source.ts";
import type { Transport, TransportRequest, TransportResponse } from "./transport.ts";

export interface RetryOptions {
  /** Attempts in all, the first included; 1 means never retry. */
  readonly attempts: number;
  /** Ceiling of the first retry's jittered delay; doubles per retry. */
  readonly baseDelayMs: number;
  /** Largest jittered delay between attempts. */
  readonly maxDelayMs: number;
  /**
   * Longest `Retry-After` the client will sit out before retrying; a longer one ends the call
   * with `retryAfterSeconds` for the caller to pass on. Default 5000.
   */
  readonly maxRetryAfterMs?: number;
}

export interface BreakerOptions {
  /** Upstream failures that open the circuit: consecutive, or within `windowMs` when set. */
  readonly failureThreshold: number;
  readonly windowMs?: number;
  /** How long the circuit stays open before probing. */
  readonly openMs: number;
  /** Calls admitted at once while half-open. */
  readonly halfOpenProbes: number;
}

export interface SourceClientOptions {
  readonly id: SourceId;
  readonly transport: Transport;
  /** Deadline for a whole call, retries and waits included. */
  readonly timeoutMs: number;
  /** Deadline for one attempt (never beyond what is left of `timeoutMs`). Default `timeoutMs`. */
  readonly attemptTimeoutMs?: number;
  readonly maxResponseBytes: number;
  readonly retries: RetryOptions;
  readonly breaker: BreakerOptions;
  /** Calls to this source in flight at once. */
  readonly maxConcurrent: number;
  /** Calls allowed to wait for a slot; beyond this they fail OVERLOADED at once. Default `maxConcurrent`. */
  readonly maxQueue?: number;
  /** Options for `health()`; see `createHealthTracker`. */
  readonly health?: { readonly sampleSize?: number; readonly failureWindowMs?: number };
  readonly now?: () => number;
  /** A number in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
  /** Waits `ms`, resolving early when `signal` aborts. Default a `setTimeout`. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** What an adapter supplies; the client fills in the deadline, size cap and signal. */
export type SourceRequest = Omit<TransportRequest, "timeoutMs" | "maxResponseBytes" | "signal">;

export interface CallOptions {
  /** True only for requests safe to repeat (reads); nothing else is ever retried. */
  readonly idempotent: boolean;
  readonly ctx: CallContext;
  /** This call's deadline instead of the client's `timeoutMs` (e.g. a quick liveness probe). */
  readonly timeoutMs?: number;
}

export interface SourceClient {
  readonly id: SourceId;
  /** A 2xx answer, or a failure value; never throws for transport or source faults. */
  call(request: SourceRequest, options: CallOptions): Promise<Result<TransportResponse>>;
  health(): SourceHealth;
  /** Closes the transport this client was given. */
  close(): Promise<void>;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** Failures that say something about the source's health. */
function isUpstreamFault(failure: SourceFailure): boolean {
  if (failure.callerAborted) return false;
  return (
    failure.kind === "UNAVAILABLE" || failure.kind === "TIMEOUT" || failure.kind === "BAD_RESPONSE"
  );
}

interface Classified {
  readonly failure: SourceFailure;
  /** Milliseconds from `Retry-After`, kept at full precision for the retry decision. */
  readonly retryAfterMs?: number;
}

/** Turns a non-2xx answer into a failure: RFC 9110 §15 classes, `Retry-After` on 429/503. */
function classifyStatus(response: TransportResponse, nowMs: number): Classified {
  const { status } = response;
  if (status === 429 || status === 503) {
    const retryAfterMs = parseRetryAfter(response.headers["retry-after"], nowMs);
    const base = {
      kind: "UNAVAILABLE",
      retryable: true,
      detail: `HTTP ${status}`,
      status,
    } as const;
    if (retryAfterMs === undefined) return { failure: base };
    return {
      failure: { ...base, retryAfterSeconds: Math.ceil(retryAfterMs / 1000) },
      retryAfterMs,
    };
  }
  if (status >= 500) {
    return { failure: { kind: "UNAVAILABLE", retryable: true, detail: `HTTP ${status}`, status } };
  }
  if (status >= 400) {
    return { failure: { kind: "REJECTED", retryable: false, detail: `HTTP ${status}`, status } };
  }
  // Transports return redirects instead of following them; a source that redirects is misconfigured.
  return {
    failure: {
      kind: "BAD_RESPONSE",
      retryable: false,
      detail: `unexpected HTTP ${status}`,
      status,
    },
  };
}

/**
 * Wraps a `Transport` with everything a call to a ministry source needs: a deadline for the whole
 * call, retries (idempotent requests only) with full-jitter backoff and `Retry-After`, a circuit
 * breaker fed only by the source's own faults, a concurrency limit with a bounded queue, W3C
 * trace propagation and rolling health statistics.
 *
 * @example
 * ```ts
 * const dukcapil = createSourceClient({
 *   id: "dukcapil",
 *   transport: createUndiciTransport({ origin: "http://127.0.0.1:8101" }),
 *   timeoutMs: 5000,
 *   attemptTimeoutMs: 2000,
 *   maxResponseBytes: 256 * 1024,
 *   retries: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
 *   breaker: { failureThreshold: 5, windowMs: 30_000, openMs: 15_000, halfOpenProbes: 1 },
 *   maxConcurrent: 16,
 *   maxQueue: 64,
 * });
 * const result = await dukcapil.call(
 *   { method: "POST", url: "http://127.0.0.1:8101/api/CALL_NIK", body, headers },
 *   { idempotent: true, ctx: { signal: c.req.raw.signal, traceparent } },
 * );
 * if (!result.ok) return problemFor(result.error);
 * ```
 */
export function createSourceClient(options: SourceClientOptions): SourceClient {
  const { id, transport } = options;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? defaultSleep;
  const attempts = Math.max(1, Math.floor(options.retries.attempts));
  const attemptTimeoutMs = Math.min(
    options.attemptTimeoutMs ?? options.timeoutMs,
    options.timeoutMs,
  );
  const maxRetryAfterMs = options.retries.maxRetryAfterMs ?? 5_000;
  const breaker = createCircuitBreaker({ ...options.breaker, now });
  const limiter = createLimiter({
    maxConcurrent: options.maxConcurrent,
    maxQueue: options.maxQueue ?? options.maxConcurrent,
  });
  const health = createHealthTracker({ id, now, ...options.health });

  const callerAborted = (): Result<never> =>
    fail({
      kind: "TIMEOUT",
      retryable: false,
      detail: `${id}: caller aborted`,
      callerAborted: true,
    });

  const circuitOpen = (retryInMs: number): Result<never> =>
    fail({
      kind: "CIRCUIT_OPEN",
      retryable: true,
      detail: `${id}: circuit open`,
      retryAfterSeconds: Math.max(1, Math.ceil(retryInMs / 1000)),
    });

  const finish = (failure: SourceFailure, attempt: number): Result<never> =>
    fail({ ...failure, detail: `${id}: ${failure.detail} (attempt ${attempt} of ${attempts})` });

  async function attemptLoop(
    request: SourceRequest,
    { idempotent, ctx }: CallOptions,
    deadlineAt: number,
  ): Promise<Result<TransportResponse>> {
    // Object.assign, not spreads, for the objects built on every call: V8 takes a slow path for
    // a literal that spreads an object and then sets more members (`{ ...request, headers }`
    // cost about 3 µs here, Object.assign 0.2 µs; load/PROFILE.md, sixth round).
    const headers: Record<string, string> = Object.assign({}, request.headers);
    if (ctx.traceparent !== undefined) headers.traceparent = ctx.traceparent;
    let last: SourceFailure | undefined;

    for (let attempt = 1; ; attempt++) {
      const budget = Math.min(attemptTimeoutMs, deadlineAt - now());
      if (budget <= 0) {
        return finish(
          last ?? { kind: "TIMEOUT", retryable: true, detail: "deadline passed" },
          attempt,
        );
      }
      const admitted = breaker.acquire();
      // A breaker that opened during our own retries ends the call with the fault that opened it.
      if (!admitted.ok) {
        return last === undefined ? circuitOpen(admitted.retryInMs) : finish(last, attempt - 1);
      }

      const startedAt = now();
      const sent = await transport.send(
        Object.assign(
          {},
          request,
          { headers, timeoutMs: budget, maxResponseBytes: options.maxResponseBytes },
          ctx.signal === undefined ? {} : { signal: ctx.signal },
        ),
      );
      if (sent.ok && sent.value.status >= 200 && sent.value.status < 300) {
        breaker.release(admitted.permit, "SUCCESS");
        health.recordSuccess(now() - startedAt);
        return ok(sent.value);
      }
      const { failure, retryAfterMs }: Classified = sent.ok
        ? classifyStatus(sent.value, now())
        : { failure: sent.error };

      // An attempt left with under half its usual time by the call's overall deadline (after
      // queueing or earlier attempts) proves nothing about the source, so the breaker skips it.
      const cutShort = failure.kind === "TIMEOUT" && budget < attemptTimeoutMs / 2;
      const outcome: BreakerOutcome = isUpstreamFault(failure) && !cutShort ? "FAILURE" : "NEUTRAL";
      breaker.release(admitted.permit, outcome);
      if (outcome === "FAILURE") health.recordFailure();
      last = failure;

      if (failure.callerAborted) return finish(failure, attempt);
      if (!idempotent || !failure.retryable || attempt >= attempts) return finish(failure, attempt);

      let delay: number;
      if (retryAfterMs !== undefined) {
        // RFC 9110 §10.2.3: the source said when; waiting less would only be refused again.
        if (retryAfterMs > maxRetryAfterMs) return finish(failure, attempt);
        delay = retryAfterMs;
      } else {
        delay = fullJitterDelay(
          attempt,
          options.retries.baseDelayMs,
          options.retries.maxDelayMs,
          random,
        );
      }
      if (now() + delay >= deadlineAt) return finish(failure, attempt);
      await sleep(delay, ctx.signal);
      if (ctx.signal?.aborted) return callerAborted();
    }
  }

  async function call(
    request: SourceRequest,
    callOptions: CallOptions,
  ): Promise<Result<TransportResponse>> {
    const deadlineAt = now() + (callOptions.timeoutMs ?? options.timeoutMs);
    const { signal } = callOptions.ctx;
    if (signal?.aborted) return callerAborted();
    // Refuse at once while open rather than queueing for a slot we could not use.
    if (breaker.state() === "OPEN") return circuitOpen(breaker.retryInMs());

    const slot = await limiter.acquire(deadlineAt - now(), signal);
    if (!slot.ok) {
      if (slot.reason === "ABORTED") return callerAborted();
      return fail({
        kind: "OVERLOADED",
        retryable: true,
        detail:
          slot.reason === "QUEUE_FULL"
            ? `${id}: concurrency limit and queue full`
            : `${id}: no free slot before the deadline`,
      });
    }
    try {
      return await attemptLoop(request, callOptions, deadlineAt);
    } finally {
      slot.release();
    }
  }

  return {
    id,
    call,
    health: () => health.snapshot(breaker.state()),
    close: () => transport.close(),
  };
}
