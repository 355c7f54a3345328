/**
 * `npx tsx load/micro/request-body.ts`: what reading a small JSON body costs a Hono app on
 * @hono/node-server, against plain node:http, in one run (64 connections, autocannon; the
 * servers run in a child process, the load generator in this one, with a warm-up each). It is
 * the measurement behind the gateway's Node request access (gateway/src/node/incoming-request.ts):
 * going through `c.req.json()` makes the adapter build a full Fetch `Request` around a web
 * stream of the socket, which costs several times what the handler does.
 */
import { fork } from "node:child_process";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import autocannon from "autocannon";
import { Hono } from "hono";
import { readBody } from "../lib/read-body.ts";

const SECONDS = Number(process.env.SECONDS ?? 6);
const reply = (nik: unknown) => ({ person: { nik, fullName: "Siti" }, source: { id: "dukcapil" } });

const app = new Hono<{ Bindings: { incoming: IncomingMessage } }>();
// The Fetch way: the adapter materialises a Request and streams the body through it.
app.post("/fetch-body", async (c) => c.json(reply(((await c.req.json()) as { nik: string }).nik)));
// The body read from the socket's message, as the gateway's Node entry does.
app.post("/node-body", async (c) =>
  c.json(reply((JSON.parse(await readBody(c.env.incoming)) as { nik: string }).nik)),
);
// No body read at all: the framework's own floor.
app.post("/no-body", (c) => c.json(reply("-")));

const servers: Record<string, Server> = {
  "node:http, body read, JSON reply": createServer(async (req, res) => {
    const body = JSON.stringify(reply((JSON.parse(await readBody(req)) as { nik: string }).nik));
    res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
    res.end(body);
  }),
  hono: createServer(getRequestListener(app.fetch)),
};

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function measure(url: string, seconds: number): Promise<number> {
  const result = await autocannon({
    url,
    method: "POST",
    connections: 64,
    duration: seconds,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ nik: "3273014501900001" }),
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: failed requests`);
  return Math.round(result.requests.average);
}

if (process.argv[2] === "--serve") {
  // The child: both servers, then their addresses to the parent.
  const raw = await listen(servers["node:http, body read, JSON reply"] as Server);
  const hono = await listen(servers.hono as Server);
  process.send?.({ raw, hono });
} else {
  const child = fork(new URL(import.meta.url).pathname, ["--serve"], {
    execArgv: ["--import", "tsx"],
  });
  const { raw, hono } = await new Promise<{ raw: string; hono: string }>((resolve) =>
    child.once("message", (message) => resolve(message as { raw: string; hono: string })),
  );
  const targets: [string, string][] = [
    ["node:http, body read from the message", raw],
    ["Hono, no body read", `${hono}/no-body`],
    ["Hono, body read from the message (gateway's way)", `${hono}/node-body`],
    ["Hono, body through c.req.json() (Fetch Request)", `${hono}/fetch-body`],
  ];
  const rows: [string, number][] = [];
  for (const [name, url] of targets) {
    await measure(url, 2);
    rows.push([name, await measure(url, SECONDS)]);
  }
  const floor = rows[0]?.[1] ?? 1;
  console.log("| server | requests/s | ÷ node:http |\n| --- | --- | --- |");
  for (const [name, perSecond] of rows) {
    console.log(`| ${name} | ${perSecond.toLocaleString()} | ${(perSecond / floor).toFixed(2)} |`);
  }
  child.kill();
}
