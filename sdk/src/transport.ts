/** One HTTP call to the gateway: headers, timeout, abort, safe retries and typed errors. */
import {
  SimpulError,
  SimpulNetworkError,
  SimpulProblemError,
  SimpulResponseError,
  SimpulTimeoutError,
} from "./errors.ts";
import { backoffDelay, parseRetryAfter, type RetryPolicy, sleep } from "./retry.ts";
import type { Problem } from "./types.ts";

/** The `fetch` the SDK calls; the global one by default, any compatible function in tests. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface TransportConfig {
  readonly baseUrl: string;
  readonly fetch: FetchLike;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly userAgent: string;
  readonly random?: () => number;
}

/** Where a call gets its bearer token, and how it reports one the gateway refused. */
export interface TokenSource {
  get(signal?: AbortSignal): Promise<string>;
  invalidate(token: string): void;
}

export interface SendOptions {
  readonly method: "GET" | "POST" | "PUT";
  readonly path: string;
  readonly headers?: Readonly<Record<string, string | undefined>>;
  /** A function is called for every attempt, e.g. to sign a fresh client assertion. */
  readonly body?: string | (() => Promise<string>);
  readonly accept?: string;
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs?: number | undefined;
  readonly requestId?: string | undefined;
  readonly auth?: TokenSource;
  /**
   * True when repeating the call cannot change the outcome (RFC 9110 §9.2.2): reads, including
   * POSTs that only read, and PUTs. Other calls get an `Idempotency-Key`, the same on every
   * attempt, and are retried only after a 429, which the gateway answers before doing anything.
   */
  readonly idempotent: boolean;
}

/** A response whose headers have arrived; `release` ends its timeout and abort wiring. */
export interface Exchange {
  readonly response: Response;
  readonly requestId: string;
  /** Aborted on timeout or when the caller's signal aborts; its reason is the error to throw. */
  readonly signal: AbortSignal;
  release(): void;
}

const RETRYABLE_STATUS = new Set([429, 503]);
const RATE_LIMITED_ONLY = new Set([429]);

/**
 * A fresh request id the gateway accepts (`[A-Za-z0-9._:-]{8,128}`).
 *
 * @example
 * newRequestId(); // "1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed"
 */
export function newRequestId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // Browsers offer randomUUID only in secure contexts; getRandomValues is everywhere.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Settles with `promise`, or rejects with the signal's reason as soon as it aborts, for
 * `fetch` implementations and bodies that do not watch the signal themselves.
 *
 * @example
 * const text = await raceSignal(response.text(), AbortSignal.timeout(5_000));
 */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** One attempt: the request goes out, and resolves when the response headers are in. */
async function attempt(
  config: TransportConfig,
  options: SendOptions,
  headers: Record<string, string>,
  requestId: string,
): Promise<Exchange> {
  const body = typeof options.body === "function" ? await options.body() : options.body;
  const timeoutMs = options.timeoutMs ?? config.timeoutMs;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new SimpulTimeoutError(timeoutMs)), timeoutMs);
  const onCallerAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onCallerAbort, { once: true });
  const release = () => {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onCallerAbort);
  };
  if (options.signal?.aborted) onCallerAbort();
  try {
    const pending = config.fetch(`${config.baseUrl}${options.path}`, {
      method: options.method,
      headers: { ...headers, "X-Request-Id": requestId },
      ...(body === undefined ? {} : { body }),
      signal: controller.signal,
    });
    const response = await raceSignal(pending, controller.signal);
    return { response, requestId, signal: controller.signal, release };
  } catch (error) {
    release();
    if (controller.signal.aborted) throw controller.signal.reason;
    throw new SimpulNetworkError(`Could not reach Simpul at ${config.baseUrl}.`, { cause: error });
  }
}

function isProblem(value: unknown): value is Problem {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.code === "string" && typeof candidate.status === "number";
}

/**
 * The typed error for a non-2xx response; reads (and so releases) its body.
 *
 * @example
 * if (!exchange.response.ok) throw await errorFrom(exchange);
 */
export async function errorFrom(exchange: Exchange): Promise<SimpulError> {
  const { response } = exchange;
  const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
  const retryAfterSeconds = retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000);
  const requestId = response.headers.get("x-request-id") ?? exchange.requestId;
  let body: unknown;
  try {
    body = JSON.parse(await raceSignal(response.text(), exchange.signal));
  } catch {
    if (exchange.signal.aborted) throw exchange.signal.reason;
    body = undefined;
  } finally {
    exchange.release();
  }
  if (isProblem(body)) {
    return new SimpulProblemError(
      { ...body, requestId: body.requestId ?? requestId },
      retryAfterSeconds,
    );
  }
  return new SimpulResponseError(
    `Simpul answered ${response.status} without a problem document.`,
    response.status,
    requestId,
  );
}

/**
 * Sends a request and returns the first 2xx exchange; throws a typed error otherwise.
 * Retries network failures, 429 and 503 (honouring `Retry-After`) within the policy, and a
 * refused token (401 `INVALID_TOKEN`) once with a fresh token.
 *
 * @example
 * const exchange = await send(config, { method: "GET", path: "/v1/sources", idempotent: true, auth });
 * try {
 *   console.log(await exchange.response.json());
 * } finally {
 *   exchange.release();
 * }
 */
export async function send(config: TransportConfig, options: SendOptions): Promise<Exchange> {
  const policy = config.retry;
  const callId = options.requestId ?? newRequestId();
  const headers: Record<string, string> = { Accept: options.accept ?? "application/json" };
  if (config.userAgent) headers["User-Agent"] = config.userAgent;
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value !== undefined) headers[name] = value;
  }
  if (!options.idempotent) headers["Idempotency-Key"] = newRequestId();
  const retryable = options.idempotent ? RETRYABLE_STATUS : RATE_LIMITED_ONLY;
  let retries = 0;
  let waitedMs = 0;
  let refreshedToken = false;
  for (let attemptNumber = 0; ; attemptNumber++) {
    const token = options.auth ? await options.auth.get(options.signal) : undefined;
    if (token !== undefined) headers.Authorization = `Bearer ${token}`;
    // Retries keep the call's id with a suffix, so the gateway's logs tie the attempts together.
    const requestId = attemptNumber === 0 ? callId : `${callId}.${attemptNumber}`;
    let failure: SimpulError;
    let retryAfterMs: number | undefined;
    try {
      const exchange = await attempt(config, options, headers, requestId);
      if (exchange.response.ok) return exchange;
      retryAfterMs = retryable.has(exchange.response.status)
        ? parseRetryAfter(exchange.response.headers.get("retry-after"))
        : undefined;
      const status = exchange.response.status;
      failure = await errorFrom(exchange);
      if (
        failure instanceof SimpulProblemError &&
        failure.code === "INVALID_TOKEN" &&
        token !== undefined &&
        !refreshedToken
      ) {
        // RFC 6750 §3.1: the token expired or was revoked; one fresh token is worth a try.
        refreshedToken = true;
        options.auth?.invalidate(token);
        continue;
      }
      if (!retryable.has(status)) throw failure;
    } catch (error) {
      // A change whose answer was lost may have been applied: only the caller can tell.
      if (!(error instanceof SimpulNetworkError) || !options.idempotent) throw error;
      failure = error;
    }
    const delayMs = retryAfterMs ?? backoffDelay(retries, policy, config.random);
    const withinBudget =
      retries < policy.maxRetries &&
      delayMs <= policy.maxDelayMs &&
      waitedMs + delayMs <= policy.maxTotalWaitMs;
    if (!withinBudget) throw failure;
    await sleep(delayMs, options.signal);
    retries++;
    waitedMs += delayMs;
  }
}

/**
 * Sends a request and parses its JSON body, typed by the caller.
 *
 * @example
 * const rules = await requestJson<RuleSet>(config, {
 *   method: "GET",
 *   path: "/v1/programs",
 *   idempotent: true,
 * });
 */
export async function requestJson<T>(config: TransportConfig, options: SendOptions): Promise<T> {
  const exchange = await send(config, options);
  try {
    const text = await raceSignal(exchange.response.text(), exchange.signal);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new SimpulResponseError(
        "Simpul answered with a body that is not valid JSON.",
        exchange.response.status,
        exchange.response.headers.get("x-request-id") ?? exchange.requestId,
      );
    }
  } catch (error) {
    if (error instanceof SimpulError || exchange.signal.aborted) throw error;
    throw new SimpulNetworkError("The connection broke while reading the answer.", {
      cause: error,
    });
  } finally {
    exchange.release();
  }
}
