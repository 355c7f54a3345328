/** One behaviour suite every `Transport` implementation must pass, against real local servers. */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Result, SourceFailure } from "./result.ts";
import { delay, refusedOrigin, startServer, type TestServer } from "./test-server.ts";
import type { Transport, TransportRequest, TransportResponse } from "./transport.ts";

/** Sent as the request body and served in response bodies; must never reach a `detail`. */
const SECRET = "s3cr3t-password-3174092301900001";

const KB = 1024;
const MB = 1024 * KB;

function expectFailure(
  result: Result<TransportResponse, SourceFailure>,
  what: string,
): SourceFailure {
  if (result.ok) {
    throw new Error(`${what}: expected a failure, got HTTP ${result.value.status}`);
  }
  expect(result.error.detail, `${what}: detail leaks a request or response body`).not.toContain(
    SECRET,
  );
  return result.error;
}

export function describeTransportContract(
  name: string,
  makeTransport: (origin: string) => Transport,
): void {
  describe(`${name} (transport contract)`, () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    async function setup(handler: Parameters<typeof startServer>[0]) {
      const server = await startServer(handler);
      const transport = makeTransport(server.origin);
      cleanups.push(() => server.close());
      cleanups.push(() => transport.close());
      return { server, transport };
    }

    const post = (server: TestServer, extra: Partial<TransportRequest> = {}): TransportRequest => ({
      method: "POST",
      url: `${server.origin}/api/CALL_NIK?x=1`,
      headers: { "content-type": "application/json", "x-probe": "yes" },
      body: JSON.stringify({ password: SECRET }),
      timeoutMs: 2_000,
      maxResponseBytes: 64 * KB,
      ...extra,
    });

    it("returns status, lower-cased headers and body, and sends method, path, headers and body", async () => {
      const { server, transport } = await setup((request, response, body) => {
        response.writeHead(201, { "Content-Type": "application/json", "X-Echo-Len": "" });
        response.end(
          JSON.stringify({
            method: request.method,
            url: request.url,
            probe: request.headers["x-probe"],
            body,
          }),
        );
      });
      const result = await transport.send(post(server));
      if (!result.ok) throw new Error(`a plain POST failed: ${result.error.detail}`);
      expect(result.value.status, "status not passed through").toBe(201);
      expect(result.value.headers["content-type"], "headers not lower-cased").toBe(
        "application/json",
      );
      expect(JSON.parse(result.value.body), "request not delivered as sent").toEqual({
        method: "POST",
        url: "/api/CALL_NIK?x=1",
        probe: "yes",
        body: JSON.stringify({ password: SECRET }),
      });
      expect(server.requests, "request sent more than once").toBe(1);
    });

    it("returns 4xx and 5xx answers as responses, leaving their meaning to the client", async () => {
      const { server, transport } = await setup((_request, response) => {
        response.writeHead(503, { "retry-after": "7" });
        response.end("down");
      });
      const result = await transport.send(post(server));
      if (!result.ok)
        throw new Error(`a 503 answer became a transport failure: ${result.error.detail}`);
      expect(result.value.status, "status not passed through").toBe(503);
      expect(result.value.headers["retry-after"], "Retry-After lost").toBe("7");
    });

    it("reports a refused connection as UNAVAILABLE and retryable", async () => {
      const origin = await refusedOrigin();
      const transport = makeTransport(origin);
      cleanups.push(() => transport.close());
      const started = performance.now();
      const result = await transport.send({
        method: "POST",
        url: `${origin}/api`,
        body: SECRET,
        timeoutMs: 2_000,
        maxResponseBytes: KB,
      });
      const failure = expectFailure(result, "refused connection");
      expect(failure.kind, `refused connection mapped wrongly (${failure.detail})`).toBe(
        "UNAVAILABLE",
      );
      expect(failure.retryable, "a refused connection should be retryable").toBe(true);
      expect(performance.now() - started, "refusal took as long as a timeout").toBeLessThan(1_500);
    });

    it("reports a server that never answers as TIMEOUT within the deadline", async () => {
      const { server, transport } = await setup(() => {
        // Never respond.
      });
      const started = performance.now();
      const result = await transport.send(post(server, { timeoutMs: 300 }));
      const elapsed = performance.now() - started;
      const failure = expectFailure(result, "hung server");
      expect(failure.kind, `hung server mapped wrongly (${failure.detail})`).toBe("TIMEOUT");
      expect(failure.retryable, "a source timeout should be retryable").toBe(true);
      expect(failure.callerAborted, "our own deadline reported as a caller abort").toBeUndefined();
      expect(elapsed, "gave up before the deadline").toBeGreaterThanOrEqual(250);
      expect(elapsed, "overran the 300 ms deadline").toBeLessThan(1_500);
    });

    it("reports a body that stops arriving as TIMEOUT within the deadline", async () => {
      const { server, transport } = await setup((_request, response) => {
        response.writeHead(200, { "content-type": "application/json" });
        response.write(`{"content":[{"NAMA_LGKP":"${SECRET}"`);
      });
      const started = performance.now();
      const result = await transport.send(post(server, { timeoutMs: 300 }));
      const elapsed = performance.now() - started;
      const failure = expectFailure(result, "stalled body");
      expect(failure.kind, `stalled body mapped wrongly (${failure.detail})`).toBe("TIMEOUT");
      expect(elapsed, "overran the 300 ms deadline on a stalled body").toBeLessThan(1_500);
    });

    it("refuses a streamed 5 MB body against a 64 KB cap early, without reading it all", async () => {
      let written = 0;
      let completed = false;
      const { server, transport } = await setup(async (_request, response) => {
        response.writeHead(200, { "content-type": "application/octet-stream" });
        const chunk = Buffer.alloc(64 * KB, SECRET);
        let closed = false;
        response.on("close", () => {
          closed = true;
        });
        while (written < 5 * MB && !closed) {
          written += chunk.length;
          if (!response.write(chunk)) {
            await new Promise((resolve) => {
              response.once("drain", resolve);
              response.once("close", resolve);
            });
          }
          await delay(20);
        }
        if (!closed) {
          response.end();
          completed = true;
        }
      });
      const started = performance.now();
      const result = await transport.send(post(server));
      const elapsed = performance.now() - started;
      const failure = expectFailure(result, "oversized body");
      expect(failure.kind, `oversized body mapped wrongly (${failure.detail})`).toBe(
        "BAD_RESPONSE",
      );
      expect(failure.retryable, "an oversized body will be oversized again").toBe(false);
      expect(elapsed, "waited for the oversized body instead of stopping at the cap").toBeLessThan(
        1_000,
      );
      await delay(100);
      expect(completed, "the server managed to send the whole 5 MB").toBe(false);
      expect(written, "the client kept reading far past the cap").toBeLessThan(MB);
    });

    it("refuses a declared Content-Length over the cap before reading", async () => {
      const { server, transport } = await setup((_request, response) => {
        response.writeHead(200, { "content-length": String(5 * MB) });
        response.write(Buffer.alloc(64 * KB, SECRET));
      });
      const failure = expectFailure(await transport.send(post(server)), "declared oversize");
      expect(failure.kind, `declared oversize mapped wrongly (${failure.detail})`).toBe(
        "BAD_RESPONSE",
      );
      expect(failure.status, "status of the oversized answer lost").toBe(200);
    });

    it("accepts a body of exactly the cap", async () => {
      const { server, transport } = await setup((_request, response) => {
        response.end("x".repeat(64 * KB));
      });
      const result = await transport.send(post(server));
      expect(result.ok && result.value.body.length, "a body at the cap was refused").toBe(64 * KB);
    });

    it("tells a caller abort apart from a deadline and never retries it", async () => {
      const { server, transport } = await setup(() => {
        // Never respond.
      });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const started = performance.now();
      const result = await transport.send(
        post(server, { timeoutMs: 2_000, signal: controller.signal }),
      );
      const failure = expectFailure(result, "caller abort");
      expect(failure.callerAborted, `caller abort not marked (${failure.detail})`).toBe(true);
      expect(failure.retryable, "a caller abort must not be retryable").toBe(false);
      expect(performance.now() - started, "abort not honoured promptly").toBeLessThan(1_000);
    });

    it("leaves no listener on the caller's signal, answered or timed out", async () => {
      // A server's connection signal outlives many calls: each call must take its listener away.
      const { server, transport } = await setup((request, response) => {
        if (request.url?.includes("slow")) return;
        response.end("ok");
      });
      const connection = new AbortController();
      let listening = 0;
      const add = connection.signal.addEventListener.bind(connection.signal);
      const remove = connection.signal.removeEventListener.bind(connection.signal);
      vi.spyOn(connection.signal, "addEventListener").mockImplementation(
        (type, listener, options) => {
          if (type === "abort") listening++;
          add(type, listener, options);
        },
      );
      vi.spyOn(connection.signal, "removeEventListener").mockImplementation(
        (type, listener, options) => {
          if (type === "abort") listening--;
          remove(type, listener, options);
        },
      );
      for (let i = 0; i < 3; i++) {
        const answered = await transport.send(post(server, { signal: connection.signal }));
        expect(answered.ok, "a plain call failed").toBe(true);
      }
      const late = await transport.send(
        post(server, {
          url: `${server.origin}/api/slow`,
          timeoutMs: 100,
          signal: connection.signal,
        }),
      );
      expect(late.ok, "the slow call was answered").toBe(false);
      expect(listening, "abort listeners left on the caller's signal").toBe(0);
    });

    it("fails at once when the caller's signal is already aborted", async () => {
      const { server, transport } = await setup((_request, response) => response.end("ok"));
      const result = await transport.send(post(server, { signal: AbortSignal.abort() }));
      const failure = expectFailure(result, "pre-aborted signal");
      expect(failure.callerAborted, "pre-aborted signal not treated as caller abort").toBe(true);
    });
  });
}
