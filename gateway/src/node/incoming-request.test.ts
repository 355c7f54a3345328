import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProblemError } from "../errors/problem.ts";
import { nodeRequestAccess } from "./incoming-request.ts";

const MAX = 1_000;
let base: string;
let port: number;
let server: ReturnType<typeof serve>;
let lastAbort: Promise<unknown> = Promise.resolve();

beforeAll(async () => {
  const app = new Hono();
  app.onError((error, c) =>
    error instanceof ProblemError ? c.text(error.code, 400) : c.text("internal", 500),
  );
  app.post("/echo", async (c) => c.text(await nodeRequestAccess.readText(c, MAX)));
  app.post("/hang", async (c) => {
    const signal = nodeRequestAccess.signal(c);
    lastAbort = once(signal, "abort").then(() => signal.reason);
    await lastAbort;
    return c.text("too late");
  });
  server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 });
  await once(server, "listening");
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("Node request access (bodies read from the socket's message)", () => {
  it("reads a body as UTF-8 text, byte for byte", async () => {
    const text = '{"nama":"Siti Nurhaliza","kota":"Bandung","é":"ü"}';
    const response = await fetch(`${base}/echo`, { method: "POST", body: text });
    expect(await response.text()).toBe(text);
  });

  it("refuses a declared Content-Length over the limit before reading", async () => {
    const response = await fetch(`${base}/echo`, { method: "POST", body: "x".repeat(MAX + 1) });
    expect(await response.text()).toBe("PAYLOAD_TOO_LARGE");
  });

  it("counts a chunked body as it arrives and refuses it past the limit", async () => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 5) controller.enqueue(new TextEncoder().encode("y".repeat(400)));
        else controller.close();
      },
    });
    const response = await fetch(`${base}/echo`, {
      method: "POST",
      body,
      duplex: "half",
    } as RequestInit);
    expect(await response.text()).toBe("PAYLOAD_TOO_LARGE");
  });

  it("accepts a chunked body exactly at the limit", async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("z".repeat(MAX)));
        controller.close();
      },
    });
    const response = await fetch(`${base}/echo`, {
      method: "POST",
      body,
      duplex: "half",
    } as RequestInit);
    expect((await response.text()).length).toBe(MAX);
  });

  it("aborts the request's signal when the client goes away mid-request", async () => {
    const socket = connect(port, "127.0.0.1");
    await once(socket, "connect");
    socket.write("POST /hang HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    const reason = await Promise.race([
      lastAbort,
      new Promise((resolve) => setTimeout(() => resolve("not aborted"), 2_000)),
    ]);
    expect(String(reason)).toContain("client connection closed");
  });
});
