import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { Result } from "./result.ts";
import {
  createSourceClient,
  type SourceClient,
  type SourceClientOptions,
} from "./source-client.ts";
import { delay, startServer, type TestServer } from "./test-server.ts";
import type { TransportResponse } from "./transport.ts";
import { createUndiciTransport } from "./undici-transport.ts";

type Step = (response: ServerResponse) => void;

const answer =
  (status: number, headers: Record<string, string> = {}, body = "{}"): Step =>
  (response) => {
    response.writeHead(status, headers);
    response.end(body);
  };
const hang: Step = () => undefined;
const slow =
  (ms: number, step: Step = answer(200)): Step =>
  (response) => {
    setTimeout(() => step(response), ms);
  };

const START = Date.parse("2025-01-06T00:00:00.000Z");

/** A clock that only moves when told to, or when the client sleeps. */
function fakeTime() {
  const clock = {
    t: START,
    sleeps: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.t += ms;
    },
  };
  return clock;
}

const CALL = { method: "GET", url: "/" } as const;

describe("source client", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /**
   * A real server answering with `steps` in order (then the last one forever) and a client
   * over a real undici transport.
   */
  async function setup(steps: Step[], overrides: Partial<SourceClientOptions> = {}) {
    const seen: Array<{ traceparent: string | undefined }> = [];
    const server: TestServer = await startServer((request, response) => {
      seen.push({ traceparent: request.headers.traceparent as string | undefined });
      const step = steps[Math.min(seen.length - 1, steps.length - 1)] ?? answer(200);
      step(response);
    });
    const transport = createUndiciTransport({ origin: server.origin, connections: 8 });
    const client = createSourceClient({
      id: "kemensos",
      transport,
      timeoutMs: 5_000,
      maxResponseBytes: 64 * 1024,
      retries: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
      breaker: { failureThreshold: 3, openMs: 10_000, halfOpenProbes: 1 },
      maxConcurrent: 8,
      ...overrides,
    });
    cleanups.push(
      () => server.close(),
      () => client.close(),
    );
    const get = (idempotent = true, signal?: AbortSignal) =>
      client.call(
        { ...CALL, url: `${server.origin}/dtks` },
        { idempotent, ctx: signal === undefined ? {} : { signal } },
      );
    return { server, client, seen, get };
  }

  const failureOf = (result: Result<TransportResponse>, what: string) => {
    if (result.ok) throw new Error(`${what}: expected a failure, got HTTP ${result.value.status}`);
    return result.error;
  };

  describe("retries", () => {
    it("retries an idempotent call through 503s and returns the success", async () => {
      const clock = fakeTime();
      const { server, get } = await setup([answer(503), answer(503), answer(200, {}, "yes")], {
        now: clock.now,
        sleep: clock.sleep,
      });
      const result = await get(true);
      expect(result.ok && result.value.body, "idempotent call did not recover by retrying").toBe(
        "yes",
      );
      expect(server.requests, "wrong number of attempts").toBe(3);
      expect(clock.sleeps.length, "should back off once between each pair of attempts").toBe(2);
    });

    it("never retries a call that is not idempotent", async () => {
      const clock = fakeTime();
      const { server, get } = await setup([answer(503), answer(200)], {
        now: clock.now,
        sleep: clock.sleep,
      });
      const failure = failureOf(await get(false), "non-idempotent 503");
      expect(failure.kind, "503 mapped wrongly").toBe("UNAVAILABLE");
      expect(failure.status, "status lost").toBe(503);
      expect(server.requests, "a non-idempotent call was retried").toBe(1);
      expect(clock.sleeps, "slept although nothing was retried").toEqual([]);
    });

    it("does not retry a 4xx refusal, and reports it as REJECTED", async () => {
      const clock = fakeTime();
      const { server, get } = await setup([answer(401)], { now: clock.now, sleep: clock.sleep });
      const failure = failureOf(await get(true), "401");
      expect(failure.kind, "401 mapped wrongly").toBe("REJECTED");
      expect(failure.retryable, "a 4xx must not be retryable").toBe(false);
      expect(server.requests, "a 4xx was retried").toBe(1);
    });

    it("gives up after the configured attempts and says how many were made", async () => {
      const clock = fakeTime();
      const { server, get } = await setup([answer(500)], { now: clock.now, sleep: clock.sleep });
      const failure = failureOf(await get(true), "persistent 500");
      expect(server.requests, "attempts not capped at 3").toBe(3);
      expect(failure.detail, "detail does not say how many attempts were made").toContain(
        "attempt 3 of 3",
      );
    });

    it("keeps full-jitter delays within [0, min(maxDelayMs, base · 2^n))", async () => {
      for (const r of [0, 0.5, 0.999_999]) {
        const clock = fakeTime();
        const { get } = await setup([answer(500)], {
          now: clock.now,
          sleep: clock.sleep,
          random: () => r,
          timeoutMs: 60_000,
          breaker: { failureThreshold: 100, openMs: 1_000, halfOpenProbes: 1 },
          retries: { attempts: 6, baseDelayMs: 100, maxDelayMs: 500 },
        });
        await get(true);
        const ceilings = [100, 200, 400, 500, 500];
        expect(clock.sleeps.length, `random=${r}: wrong number of backoffs`).toBe(5);
        clock.sleeps.forEach((ms, i) => {
          const ceiling = ceilings[i] ?? 0;
          expect(ms, `random=${r}: delay ${i + 1} below zero`).toBeGreaterThanOrEqual(0);
          expect(ms, `random=${r}: delay ${i + 1} above its ceiling ${ceiling}`).toBeLessThan(
            ceiling,
          );
          expect(ms, `random=${r}: delay ${i + 1} not scaled by random`).toBe(
            Math.floor(r * ceiling),
          );
        });
      }
    });

    it("waits exactly the Retry-After seconds on a 429", async () => {
      const clock = fakeTime();
      const { server, get } = await setup([answer(429, { "retry-after": "2" }), answer(200)], {
        now: clock.now,
        sleep: clock.sleep,
      });
      const result = await get(true);
      expect(result.ok, "did not retry after the 429").toBe(true);
      expect(clock.sleeps, "Retry-After seconds not honoured").toEqual([2_000]);
      expect(server.requests, "wrong number of attempts").toBe(2);
    });

    it("waits until a Retry-After HTTP-date on a 503", async () => {
      const clock = fakeTime();
      const at = new Date(START + 3_000).toUTCString();
      const { get } = await setup([answer(503, { "retry-after": at }), answer(200)], {
        now: clock.now,
        sleep: clock.sleep,
      });
      const result = await get(true);
      expect(result.ok, "did not retry after the 503").toBe(true);
      expect(clock.sleeps, "Retry-After HTTP-date not honoured").toEqual([3_000]);
    });

    it("does not retry when Retry-After reaches past the call's deadline", async () => {
      const clock = fakeTime();
      const { server, get } = await setup([answer(503, { "retry-after": "4" }), answer(200)], {
        now: clock.now,
        sleep: clock.sleep,
        timeoutMs: 3_000,
        retries: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 60_000 },
      });
      const failure = failureOf(await get(true), "Retry-After past deadline");
      expect(server.requests, "retried although Retry-After exceeds the deadline").toBe(1);
      expect(clock.sleeps, "slept although it could not retry in time").toEqual([]);
      expect(failure.retryAfterSeconds, "Retry-After not passed on to the caller").toBe(4);
    });

    it("does not sit out a Retry-After longer than maxRetryAfterMs", async () => {
      const clock = fakeTime();
      const { server, get } = await setup([answer(429, { "retry-after": "120" }), answer(200)], {
        now: clock.now,
        sleep: clock.sleep,
        timeoutMs: 600_000,
        retries: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 10_000 },
      });
      const failure = failureOf(await get(true), "long Retry-After");
      expect(server.requests, "waited out a Retry-After above the cap").toBe(1);
      expect(failure.retryAfterSeconds, "Retry-After not passed on to the caller").toBe(120);
    });

    it("propagates the caller's traceparent on every attempt", async () => {
      const clock = fakeTime();
      const { server, client, seen } = await setup([answer(503), answer(200)], {
        now: clock.now,
        sleep: clock.sleep,
      });
      const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
      await client.call(
        { method: "GET", url: `${server.origin}/x`, headers: { accept: "application/json" } },
        { idempotent: true, ctx: { traceparent } },
      );
      expect(
        seen.map((s) => s.traceparent),
        "traceparent not sent on each attempt",
      ).toEqual([traceparent, traceparent]);
    });
  });

  describe("deadline", () => {
    it("bounds the whole call, retries and backoff included, with real time", async () => {
      const { server, get } = await setup([answer(503)], {
        timeoutMs: 400,
        retries: { attempts: 100, baseDelayMs: 50, maxDelayMs: 50 },
        breaker: { failureThreshold: 1_000, openMs: 1_000, halfOpenProbes: 1 },
      });
      const started = performance.now();
      const failure = failureOf(await get(true), "persistent 503 under a deadline");
      const elapsed = performance.now() - started;
      expect(failure.kind, "wrong failure after the deadline").toBe("UNAVAILABLE");
      expect(server.requests, "did not retry within the deadline").toBeGreaterThan(1);
      expect(elapsed, "call ran past its 400 ms deadline").toBeLessThan(800);
    });

    it("splits the deadline across hung attempts and returns TIMEOUT on time", async () => {
      const { server, get } = await setup([hang], {
        timeoutMs: 400,
        attemptTimeoutMs: 150,
        retries: { attempts: 10, baseDelayMs: 10, maxDelayMs: 10 },
        breaker: { failureThreshold: 1_000, openMs: 1_000, halfOpenProbes: 1 },
      });
      const started = performance.now();
      const failure = failureOf(await get(true), "hung source");
      const elapsed = performance.now() - started;
      expect(failure.kind, `hung source mapped wrongly (${failure.detail})`).toBe("TIMEOUT");
      expect(server.requests, "hung attempts were not retried").toBeGreaterThanOrEqual(2);
      expect(elapsed, "call ran past its 400 ms deadline").toBeLessThan(800);
    });
  });

  describe("circuit breaker", () => {
    it("opens after the threshold, refuses fast, half-opens after openMs and closes on success", async () => {
      const clock = fakeTime();
      const steps: Step[] = [answer(500), answer(500), answer(500), answer(200)];
      const { server, client, get } = await setup(steps, { now: clock.now, sleep: clock.sleep });
      for (let i = 0; i < 3; i++) await get(false);
      expect(client.health().circuit, "circuit still closed after 3 failures").toBe("OPEN");

      const started = performance.now();
      const refused = failureOf(await get(true), "call while open");
      expect(refused.kind, "open circuit did not refuse").toBe("CIRCUIT_OPEN");
      expect(refused.retryAfterSeconds, "refusal does not say when to come back").toBe(10);
      expect(performance.now() - started, "refusal was not fast").toBeLessThan(200);
      expect(server.requests, "an open circuit let a call through").toBe(3);

      clock.t += 10_000;
      expect(client.health().circuit, "not half-open after openMs").toBe("HALF_OPEN");
      const probe = await get(true);
      expect(probe.ok, "the half-open probe did not reach the recovered source").toBe(true);
      expect(client.health().circuit, "a successful probe did not close the circuit").toBe(
        "CLOSED",
      );
    });

    it("re-opens when the half-open probe fails", async () => {
      const clock = fakeTime();
      const { server, client, get } = await setup([answer(502)], {
        now: clock.now,
        sleep: clock.sleep,
      });
      for (let i = 0; i < 3; i++) await get(false);
      clock.t += 10_000;
      const probe = failureOf(await get(false), "failing probe");
      expect(probe.kind, "probe failure mapped wrongly").toBe("UNAVAILABLE");
      expect(client.health().circuit, "a failed probe did not re-open the circuit").toBe("OPEN");
      const refused = failureOf(await get(false), "call after failed probe");
      expect(refused.kind, "re-opened circuit did not refuse").toBe("CIRCUIT_OPEN");
      expect(server.requests, "calls got through the re-opened circuit").toBe(4);
    });

    it("lets only halfOpenProbes calls through while half-open", async () => {
      const clock = fakeTime();
      const { server, client, get } = await setup(
        [answer(500), answer(500), answer(500), slow(150)],
        { now: clock.now, sleep: clock.sleep },
      );
      for (let i = 0; i < 3; i++) await get(false);
      clock.t += 10_000;
      const [first, second] = await Promise.all([get(false), get(false)]);
      expect(first.ok, "the probe failed").toBe(true);
      expect(!second.ok && second.error.kind, "a second probe was let through").toBe(
        "CIRCUIT_OPEN",
      );
      expect(server.requests, "more than one probe reached the source").toBe(4);
      expect(client.health().circuit, "probe success did not close").toBe("CLOSED");
    });

    it("counts failures in a sliding window when windowMs is set", async () => {
      const clock = fakeTime();
      const { client, get } = await setup([answer(500)], {
        now: clock.now,
        sleep: clock.sleep,
        breaker: { failureThreshold: 3, windowMs: 1_000, openMs: 5_000, halfOpenProbes: 1 },
      });
      await get(false);
      clock.t += 600;
      await get(false);
      clock.t += 600;
      await get(false);
      expect(client.health().circuit, "opened on failures spread beyond the window").toBe("CLOSED");
      await get(false);
      expect(client.health().circuit, "did not open on 3 failures within the window").toBe("OPEN");
    });

    it("is tripped by a source that never answers", async () => {
      const { server, client, get } = await setup([hang], {
        timeoutMs: 200,
        breaker: { failureThreshold: 2, openMs: 10_000, halfOpenProbes: 1 },
      });
      const first = failureOf(await get(false), "first hung call");
      expect(first.kind, "hung call mapped wrongly").toBe("TIMEOUT");
      await get(false);
      expect(client.health().circuit, "timeouts from a hung source did not open the circuit").toBe(
        "OPEN",
      );
      expect(client.health().recentFailures, "timeouts not counted in health").toBe(2);
      const refused = failureOf(await get(false), "call to a hung source while open");
      expect(refused.kind, "open circuit did not refuse").toBe("CIRCUIT_OPEN");
      expect(server.requests, "an open circuit let a call through").toBe(2);
    });

    it("is not tripped by REJECTED (4xx) answers", async () => {
      const clock = fakeTime();
      const { server, client, get } = await setup([answer(403)], {
        now: clock.now,
        sleep: clock.sleep,
      });
      for (let i = 0; i < 10; i++) await get(true);
      expect(client.health().circuit, "4xx answers tripped the breaker").toBe("CLOSED");
      expect(client.health().recentFailures, "4xx counted as source failures").toBe(0);
      expect(server.requests, "some 4xx calls were refused locally").toBe(10);
    });

    it("is not tripped by caller aborts", async () => {
      const { server, client, get } = await setup([hang], {
        breaker: { failureThreshold: 2, openMs: 10_000, halfOpenProbes: 1 },
      });
      for (let i = 0; i < 4; i++) {
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 20);
        const failure = failureOf(await get(true, controller.signal), "aborted call");
        expect(failure.callerAborted, `abort ${i} not reported as a caller abort`).toBe(true);
      }
      expect(client.health().circuit, "caller aborts tripped the breaker").toBe("CLOSED");
      expect(server.requests, "an aborted call was retried").toBe(4);
      const early = failureOf(await get(true, AbortSignal.abort()), "pre-aborted call");
      expect(early.callerAborted, "pre-aborted call not reported as a caller abort").toBe(true);
      expect(server.requests, "a pre-aborted call reached the source").toBe(4);
    });

    it("is not tripped by local OVERLOADED refusals", async () => {
      const { client, get } = await setup([slow(150)], {
        maxConcurrent: 1,
        maxQueue: 0,
        breaker: { failureThreshold: 2, openMs: 10_000, halfOpenProbes: 1 },
      });
      const results = await Promise.all([get(), get(), get(), get(), get()]);
      const overloaded = results.filter((r) => !r.ok && r.error.kind === "OVERLOADED");
      expect(overloaded.length, "extra calls were not refused as OVERLOADED").toBe(4);
      expect(client.health().circuit, "local overload tripped the breaker").toBe("CLOSED");
      expect(client.health().recentFailures, "local overload counted as source failures").toBe(0);
    });
  });

  describe("concurrency limit", () => {
    it("runs at most maxConcurrent, queues up to maxQueue and refuses the rest", async () => {
      const { server, get } = await setup([slow(100)], { maxConcurrent: 2, maxQueue: 1 });
      const results = await Promise.all([get(), get(), get(), get(), get()]);
      const succeeded = results.filter((r) => r.ok).length;
      const overloaded = results.filter((r) => !r.ok && r.error.kind === "OVERLOADED").length;
      expect(succeeded, "running + queued calls did not all succeed").toBe(3);
      expect(overloaded, "calls beyond the queue were not refused").toBe(2);
      expect(server.peakInFlight, "more than maxConcurrent calls reached the source").toBe(2);
    });

    it("gives up a queued call when the caller aborts while it waits", async () => {
      const { get } = await setup([slow(400)], {
        maxConcurrent: 1,
        maxQueue: 5,
        timeoutMs: 1_000,
      });
      const first = get();
      await delay(20);
      const second = await get(true, AbortSignal.timeout(100));
      expect(
        !second.ok && second.error.callerAborted,
        "queued call ignored its caller's deadline",
      ).toBe(true);
      expect((await first).ok, "the running call failed").toBe(true);
    });

    it("refuses with OVERLOADED when the wait for a slot outlasts the call's deadline", async () => {
      const { server, client, get } = await setup([slow(600)], {
        maxConcurrent: 1,
        maxQueue: 5,
        timeoutMs: 2_000,
      });
      const first = get();
      await delay(10);
      const started = performance.now();
      const second = failureOf(
        await client.call(
          { method: "GET", url: `${server.origin}/quick` },
          { idempotent: true, ctx: {}, timeoutMs: 100 },
        ),
        "queued past deadline",
      );
      expect(second.kind, "queue wait past the deadline mapped wrongly").toBe("OVERLOADED");
      expect(performance.now() - started, "queued call outlived its deadline").toBeLessThan(450);
      expect((await first).ok, "the running call failed").toBe(true);
      expect(server.requests, "the refused call reached the source").toBe(1);
    });
  });

  describe("health", () => {
    it("reflects successes, failures, latency and circuit state", async () => {
      const clock = fakeTime();
      let tick = 0;
      // Each reading of the clock moves it 5 ms, so every attempt measures a positive latency.
      const now = () => {
        tick += 5;
        return clock.t + tick;
      };
      const { client, get } = await setup([answer(200), answer(200), answer(200), answer(500)], {
        now,
        sleep: clock.sleep,
      });
      let before: ReturnType<SourceClient["health"]> = client.health();
      expect(before.latencyP50Ms, "latency reported before any call").toBeNull();
      expect(before.lastSuccessAt, "success reported before any call").toBeNull();
      for (let i = 0; i < 3; i++) await get(false);
      await get(false);
      before = client.health();
      expect(before.id, "wrong source id").toBe("kemensos");
      expect(before.circuit, "circuit not closed").toBe("CLOSED");
      expect(before.latencyP50Ms, "no latency after successes").toBeGreaterThan(0);
      expect(before.latencyP95Ms ?? 0, "p95 below p50").toBeGreaterThanOrEqual(
        before.latencyP50Ms ?? 0,
      );
      expect(before.recentFailures, "the 500 was not counted").toBe(1);
      expect(before.lastSuccessAt, "last success time not ISO").toMatch(
        /^2025-01-06T00:00:00\.\d{3}Z$/,
      );
      expect(before.lastFailureAt, "last failure time missing").not.toBeNull();
    });
  });
});
