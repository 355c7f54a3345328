import { afterEach, describe, expect, it } from "vitest";
import { startServer } from "./test-server.ts";
import { describeTransportContract } from "./transport-contract.ts";
import { createUndiciTransport } from "./undici-transport.ts";

describeTransportContract("undici transport", (origin) =>
  createUndiciTransport({ origin, connections: 4 }),
);

describe("undici transport", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("reuses one kept-alive connection across 50 sequential requests", async () => {
    const server = await startServer((_request, response) => response.end("ok"));
    const transport = createUndiciTransport({ origin: server.origin, connections: 4 });
    cleanups.push(
      () => server.close(),
      () => transport.close(),
    );
    for (let i = 0; i < 50; i++) {
      const result = await transport.send({
        method: "GET",
        url: `${server.origin}/ping/${i}`,
        timeoutMs: 2_000,
        maxResponseBytes: 1_024,
      });
      expect(result.ok, `request ${i} failed`).toBe(true);
    }
    expect(server.requests, "not every request reached the server").toBe(50);
    expect(server.connections, "sockets were not reused (keep-alive broken)").toBeLessThanOrEqual(
      2,
    );
  });

  it("refuses a URL outside its origin instead of sending it elsewhere", async () => {
    const transport = createUndiciTransport({ origin: "http://127.0.0.1:9" });
    cleanups.push(() => transport.close());
    const result = await transport.send({
      method: "GET",
      url: "http://example.invalid/",
      timeoutMs: 100,
      maxResponseBytes: 1,
    });
    expect(!result.ok && result.error.kind, "cross-origin URL was not refused").toBe("REJECTED");
  });
});
