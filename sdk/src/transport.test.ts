import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeGateway, json, problem } from "../test/fake-gateway.ts";
import { createSimpulClient } from "./client.ts";
import { SimpulNetworkError, SimpulProblemError, SimpulTimeoutError } from "./errors.ts";
import { DEFAULT_RETRY, type RetryOptions } from "./retry.ts";
import { type FetchLike, send, type TransportConfig } from "./transport.ts";

const NIK = "3273014501900001";
const LOOKUP = "/v1/identity/lookup";
const person = { person: { nik: NIK }, source: { id: "dukcapil" }, warnings: [] };

function client(fetch: FetchLike, retries?: number | RetryOptions, timeoutMs?: number) {
  return createSimpulClient({
    baseUrl: "https://simpul.test",
    clientId: "dinsos-bandung",
    clientSecret: "secret",
    purpose: "eligibility-verification",
    fetch,
    ...(retries === undefined ? {} : { retries }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}

/** Times, on the fake clock, at which each lookup request arrived. */
function arrivals(gateway: ReturnType<typeof fakeGateway>, times: number[]): FetchLike {
  return (input, init) => {
    if (input.endsWith(LOOKUP)) times.push(Date.now());
    return gateway.fetch(input, init);
  };
}

/** Time between consecutive arrivals. */
const gaps = (times: readonly number[]) => times.slice(1).map((time, i) => time - (times[i] ?? 0));

afterEach(() => {
  vi.useRealTimers();
});

describe("retries", () => {
  it("waits as long as Retry-After says on a 429, then succeeds", async () => {
    vi.useFakeTimers({ now: 0 });
    const gateway = fakeGateway({
      routes: {
        [LOOKUP]: [() => problem("RATE_LIMITED", 429, { "Retry-After": "2" }), () => json(person)],
      },
    });
    const times: number[] = [];
    const pending = client(arrivals(gateway, times)).identity.lookup({ nik: NIK });
    await vi.advanceTimersByTimeAsync(1_999);
    expect(times, "not retried before Retry-After has passed").toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).person.nik).toBe(NIK);
    expect(times).toEqual([0, 2_000]);
    const ids = gateway.to(LOOKUP).map((request) => request.headers.get("x-request-id"));
    expect(ids[1], "a retry keeps the call's request id, suffixed").toBe(`${ids[0]}.1`);
  });

  it("honours Retry-After given as an HTTP date on a 503", async () => {
    vi.useFakeTimers({ now: Date.parse("2025-01-01T00:00:00Z") });
    const later = new Date(Date.now() + 3_000).toUTCString();
    const gateway = fakeGateway({
      routes: {
        [LOOKUP]: [
          () => problem("SOURCE_UNAVAILABLE", 503, { "Retry-After": later }),
          () => json(person),
        ],
      },
    });
    const times: number[] = [];
    const pending = client(arrivals(gateway, times)).identity.lookup({ nik: NIK });
    await vi.advanceTimersByTimeAsync(3_000);
    await pending;
    expect(gaps(times)).toEqual([3_000]);
  });

  it("throws RATE_LIMITED at once when Retry-After is longer than it may wait", async () => {
    const gateway = fakeGateway({
      routes: { [LOOKUP]: () => problem("RATE_LIMITED", 429, { "Retry-After": "45" }) },
    });
    const started = Date.now();
    const failure = await client(gateway.fetch, { maxDelayMs: 20_000 })
      .identity.lookup({ nik: NIK })
      .catch((error) => error);
    expect(failure).toBeInstanceOf(SimpulProblemError);
    expect(failure).toMatchObject({ code: "RATE_LIMITED", status: 429, retryAfterSeconds: 45 });
    expect(gateway.to(LOOKUP)).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("stops after maxRetries and after the total wait budget", async () => {
    vi.useFakeTimers({ now: 0 });
    const limited = () => problem("RATE_LIMITED", 429, { "Retry-After": "5" });
    const gateway = fakeGateway({ routes: { [LOOKUP]: limited } });
    const outcome = client(gateway.fetch, { maxRetries: 3, maxTotalWaitMs: 12_000 })
      .identity.lookup({ nik: NIK })
      .catch((error) => error);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await outcome).toBeInstanceOf(SimpulProblemError);
    expect(gateway.to(LOOKUP), "5 s + 5 s fit in 12 s, a third wait does not").toHaveLength(3);

    const capped = fakeGateway({ routes: { [LOOKUP]: limited } });
    const second = client(capped.fetch, 1)
      .identity.lookup({ nik: NIK })
      .catch((error) => error);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await second).toMatchObject({ code: "RATE_LIMITED" });
    expect(capped.to(LOOKUP)).toHaveLength(2);
  });

  it("backs off with jitter on a 503 without Retry-After", async () => {
    vi.useFakeTimers({ now: 0 });
    const gateway = fakeGateway({
      routes: {
        [LOOKUP]: [
          () => problem("SERVICE_UNAVAILABLE", 503),
          () => problem("SERVICE_UNAVAILABLE", 503),
          () => json(person),
        ],
      },
    });
    const times: number[] = [];
    const pending = client(arrivals(gateway, times)).identity.lookup({ nik: NIK });
    await vi.advanceTimersByTimeAsync(DEFAULT_RETRY.baseDelayMs * 3);
    await pending;
    expect(times).toHaveLength(3);
    const [first = Number.NaN, second = Number.NaN] = gaps(times);
    expect(first).toBeLessThanOrEqual(DEFAULT_RETRY.baseDelayMs);
    expect(second).toBeLessThanOrEqual(DEFAULT_RETRY.baseDelayMs * 2);
  });

  it("retries network failures, then throws SimpulNetworkError", async () => {
    vi.useFakeTimers({ now: 0 });
    const gateway = fakeGateway();
    let lookups = 0;
    const fetch: FetchLike = async (input, init) => {
      if (!input.endsWith(LOOKUP)) return gateway.fetch(input, init);
      lookups++;
      throw new TypeError("fetch failed");
    };
    const outcome = client(fetch, 2)
      .identity.lookup({ nik: NIK })
      .catch((error) => error);
    await vi.advanceTimersByTimeAsync(10_000);
    const failure = await outcome;
    expect(failure).toBeInstanceOf(SimpulNetworkError);
    expect(failure.cause).toBeInstanceOf(TypeError);
    expect(lookups).toBe(3);
  });
});

describe("timeouts and aborts", () => {
  const hanging: FetchLike = (input, init) =>
    input.endsWith("/oauth/token")
      ? fakeGateway().fetch(input, init)
      : new Promise<Response>(() => {});

  it("throws SimpulTimeoutError when no answer comes in time, and does not retry it", async () => {
    let lookups = 0;
    const counting: FetchLike = (input, init) => {
      if (input.endsWith(LOOKUP)) lookups++;
      return hanging(input, init);
    };
    const failure = await client(counting, 2, 50)
      .identity.lookup({ nik: NIK })
      .catch((error) => error);
    expect(failure).toBeInstanceOf(SimpulTimeoutError);
    expect(failure.timeoutMs).toBe(50);
    expect(lookups).toBe(1);
  });

  it("a per-call timeout overrides the client's", async () => {
    const failure = await client(hanging, 0, 60_000)
      .identity.lookup({ nik: NIK }, { timeoutMs: 20 })
      .catch((error) => error);
    expect(failure).toBeInstanceOf(SimpulTimeoutError);
  });

  it("rejects with the caller's abort reason and aborts the fetch", async () => {
    let fetchSignal: AbortSignal | undefined;
    const fetch: FetchLike = (input, init) => {
      if (input.endsWith(LOOKUP)) fetchSignal = init.signal ?? undefined;
      return hanging(input, init);
    };
    const controller = new AbortController();
    const pending = client(fetch).identity.lookup({ nik: NIK }, { signal: controller.signal });
    await vi.waitFor(() => expect(fetchSignal).toBeDefined());
    const reason = new Error("user left the page");
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(fetchSignal?.aborted).toBe(true);
  });

  it("stops waiting for a retry when the caller aborts", async () => {
    const gateway = fakeGateway({
      routes: { [LOOKUP]: () => problem("RATE_LIMITED", 429, { "Retry-After": "10" }) },
    });
    const controller = new AbortController();
    const pending = client(gateway.fetch)
      .identity.lookup({ nik: NIK }, { signal: controller.signal })
      .catch((error) => error);
    await vi.waitFor(() => expect(gateway.to(LOOKUP)).toHaveLength(1));
    controller.abort();
    expect((await pending).name).toBe("AbortError");
  });
});

describe("calls that change state", () => {
  const configFor = (fetch: FetchLike): TransportConfig => ({
    baseUrl: "https://simpul.test",
    fetch,
    timeoutMs: 1_000,
    retry: DEFAULT_RETRY,
    userAgent: "test",
  });

  it("send the same Idempotency-Key on every attempt, and are retried after a 429", async () => {
    vi.useFakeTimers({ now: 0 });
    const gateway = fakeGateway({
      routes: {
        "/v1/change": [() => problem("RATE_LIMITED", 429, { "Retry-After": "1" }), () => json({})],
      },
    });
    const config = configFor(gateway.fetch);
    const pending = send(config, {
      method: "POST",
      path: "/v1/change",
      body: "{}",
      idempotent: false,
    });
    await vi.advanceTimersByTimeAsync(1_000);
    (await pending).release();
    const keys = gateway.to("/v1/change").map((r) => r.headers.get("idempotency-key"));
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{32,36}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  it("are not retried after a 503 or a lost answer: the change may have been applied", async () => {
    const unavailable = fakeGateway({
      routes: { "/v1/change": () => problem("SERVICE_UNAVAILABLE", 503) },
    });
    const change = { method: "POST", path: "/v1/change", body: "{}", idempotent: false } as const;
    await expect(send(configFor(unavailable.fetch), change)).rejects.toMatchObject({
      code: "SERVICE_UNAVAILABLE",
    });
    expect(unavailable.requests).toHaveLength(1);
    let attempts = 0;
    const lost: FetchLike = async () => {
      attempts++;
      throw new TypeError("socket hang up");
    };
    await expect(send(configFor(lost), change)).rejects.toBeInstanceOf(SimpulNetworkError);
    expect(attempts).toBe(1);
  });
});
