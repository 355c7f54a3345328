import { afterEach, describe, expect, it } from "vitest";
import { createFetchTransport } from "./fetch-transport.ts";
import { startServer } from "./test-server.ts";
import { describeTransportContract } from "./transport-contract.ts";

describeTransportContract("fetch transport", () =>
  createFetchTransport({ fetch: globalThis.fetch }),
);

describe("fetch transport", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("returns a redirect instead of following it with the request body", async () => {
    const server = await startServer((request, response) => {
      if (request.url === "/elsewhere") {
        response.end("followed");
        return;
      }
      response.writeHead(302, { location: "/elsewhere" });
      response.end();
    });
    cleanups.push(() => server.close());
    const result = await createFetchTransport().send({
      method: "POST",
      url: `${server.origin}/start`,
      body: "{}",
      timeoutMs: 2_000,
      maxResponseBytes: 1_024,
    });
    expect(result.ok && result.value.status, "redirect was followed").toBe(302);
    expect(server.requests, "the redirect target was requested").toBe(1);
  });

  it("uses the fetch it was given", async () => {
    const seen: string[] = [];
    const server = await startServer((_request, response) => response.end("ok"));
    cleanups.push(() => server.close());
    const transport = createFetchTransport({
      fetch: (input, init) => {
        seen.push(String(input));
        return fetch(input, init);
      },
    });
    const result = await transport.send({
      method: "GET",
      url: `${server.origin}/x`,
      timeoutMs: 2_000,
      maxResponseBytes: 1_024,
    });
    expect(result.ok, "request through injected fetch failed").toBe(true);
    expect(seen, "injected fetch not used").toEqual([`${server.origin}/x`]);
  });
});
