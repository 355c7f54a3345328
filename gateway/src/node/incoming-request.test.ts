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
const signalIds = new Map<AbortSignal, number>();

/** Sends each request on one keep-alive connection, in turn, and returns each body. */
async function onOneConnection(count: number, path: string, headerLines = ""): Promise<string[]> {
  const socket = connect(port, "127.0.0.1");
  await once(socket, "connect");
  socket.setEncoding("utf8");
  const bodies: string[] = [];
  let buffered = "";
  for (let i = 0; i < count; i++) {
    socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n${headerLines}\r\n`);
    let answer = takeResponse(buffered);
    while (answer === undefined) {
      const [chunk] = (await once(socket, "data")) as [string];
      buffered += chunk;
      answer = takeResponse(buffered);
    }
    bodies.push(answer.body);
    buffered = answer.rest;
  }
  socket.destroy();
  return bodies;
}

/** The first whole response in `buffered` (by Content-Length) and what follows it, if one is in. */
function takeResponse(buffered: string): { body: string; rest: string } | undefined {
  const [head = "", rest = ""] = buffered.split("\r\n\r\n", 2);
  const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? Number.NaN);
  if (!Number.isFinite(length) || Buffer.byteLength(rest) < length) return undefined;
  return { body: rest.slice(0, length), rest: rest.slice(length) };
}

beforeAll(async () => {
  const app = new Hono();
  app.onError((error, c) =>
    error instanceof ProblemError ? c.text(error.code, 400) : c.text("internal", 500),
  );
  app.post("/echo", async (c) => c.text(await nodeRequestAccess.readText(c, MAX)));
  app.get("/header", (c) => c.text(`[${nodeRequestAccess.header(c, "Authorization") ?? "none"}]`));
  app.get("/signal", (c) => {
    const signal = nodeRequestAccess.signal(c);
    let id = signalIds.get(signal);
    if (id === undefined) {
      id = signalIds.size + 1;
      signalIds.set(signal, id);
    }
    return c.text(`${id} ${signal.aborted}`);
  });
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

  it("reads a header by any case and shows every value of a repeated one, as Fetch does", async () => {
    const [single] = await onOneConnection(1, "/header", "authorization: Bearer a.b.c\r\n");
    expect(single).toBe("[Bearer a.b.c]");
    // Node's own `headers` keeps only the first Authorization; a second must not go unseen.
    const [repeated] = await onOneConnection(
      1,
      "/header",
      "Authorization: Bearer a.b.c\r\nAUTHORIZATION: Bearer d.e.f\r\n",
    );
    expect(repeated).toBe("[Bearer a.b.c, Bearer d.e.f]");
    const [absent] = await onOneConnection(1, "/header");
    expect(absent).toBe("[none]");
  });

  it("gives the requests of one connection its signal, left unaborted as each one ends", async () => {
    const first = await onOneConnection(3, "/signal");
    expect(first, "three answers on one connection").toHaveLength(3);
    const [id] = (first[0] ?? "").split(" ");
    expect(first, "one signal per connection, not aborted by a finished request").toEqual([
      `${id} false`,
      `${id} false`,
      `${id} false`,
    ]);
    const [other] = await onOneConnection(1, "/signal");
    expect(other, "another connection has a signal of its own").not.toBe(`${id} false`);
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
