/**
 * The floor the gateway is measured against: node:http plus an undici Pool to the same Dukcapil
 * simulator, with no auth, no limits, no validation beyond JSON.parse, no audit and no logging.
 * It takes the gateway's lookup body (`{"nik": "…"}`), sends CALL_NIK and returns the raw reply.
 * FORWARDER_WORKERS=N runs N processes on the port through node:cluster, as SIMPUL_WORKERS does
 * for the gateway (round-robin, one pool per process), so both are measured with as many.
 * FORWARDER_FRAMEWORK=hono does the same forwarding as one Hono route on @hono/node-server, the
 * gateway's framework, reading the body from Node's message as the gateway's Node entry does:
 * what the framework alone costs, so that the gateway's own share can be told apart from it.
 *
 *   FORWARDER_PORT=8790 DUKCAPIL_URL=… DUKCAPIL_CREDENTIALS='{"user_id":…}' tsx load/bare-forwarder.ts
 */
import cluster from "node:cluster";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { Hono } from "hono";
import { Pool } from "undici";
import { readBody } from "./lib/read-body.ts";

const port = Number(process.env.FORWARDER_PORT ?? 8790);
const connections = Number(process.env.FORWARDER_CONNECTIONS ?? 64);
const workers = Number(process.env.FORWARDER_WORKERS ?? 1);
const framework = process.env.FORWARDER_FRAMEWORK === "hono" ? "hono" : "node:http";
const base = new URL(process.env.DUKCAPIL_URL ?? "");
const credentials = JSON.parse(process.env.DUKCAPIL_CREDENTIALS ?? "{}") as Record<string, string>;
const path = `${base.pathname.replace(/\/$/, "")}/CALL_NIK`;

if (workers > 1 && cluster.isPrimary) supervise();
else serveForwarder();

/** The primary: forks the workers, prints the banner once all listen, forwards SIGTERM/SIGINT. */
function supervise(): void {
  // The gateway's supervisor sets the same policy (gateway/src/node/cluster.ts).
  cluster.schedulingPolicy = cluster.SCHED_RR;
  let listening = 0;
  cluster.on("listening", () => {
    if (++listening === workers) console.log(banner());
  });
  let stopping = false;
  let alive = workers;
  // A floor that lost a process would be measured wrong: fail rather than replace it.
  cluster.on("exit", (worker, code, signal) => {
    if (!stopping) {
      console.error(`bare forwarder worker ${worker.process.pid} died (${code ?? signal})`);
      process.exit(1);
    }
    if (--alive === 0) process.exit(0);
  });
  const forked = Array.from({ length: workers }, () => cluster.fork());
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const worker of forked) worker.process.kill(signal);
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}

function banner(): string {
  const processes = workers > 1 ? ` (${workers} worker processes)` : "";
  return `bare forwarder (${framework}) listening on http://127.0.0.1:${port}${processes} → ${base.origin}${path}`;
}

/** The NIK of a lookup body, or undefined when the body is not JSON. */
function nikOf(body: string): unknown {
  try {
    return (JSON.parse(body) as { nik?: unknown }).nik;
  } catch {
    return undefined;
  }
}

/** The one upstream call both framings make: CALL_NIK with the credentials, reply as bytes. */
async function callNik(pool: Pool, nik: unknown): Promise<{ status: number; reply: Buffer }> {
  const { statusCode, body } = await pool.request({
    method: "POST",
    path,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ NIK: nik, ...credentials }),
  });
  return { status: statusCode, reply: Buffer.from(await body.arrayBuffer()) };
}

function nodeHttpListener(pool: Pool) {
  return (req: IncomingMessage, res: ServerResponse) => {
    readBody(req)
      .then(async (text) => {
        const nik = nikOf(text);
        if (nik === undefined) {
          res.writeHead(400).end();
          return;
        }
        const { status, reply } = await callNik(pool, nik);
        res.writeHead(status, {
          "content-type": "application/json",
          "content-length": reply.length,
        });
        res.end(reply);
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
  };
}

function honoListener(pool: Pool) {
  const app = new Hono<{ Bindings: { incoming: IncomingMessage } }>();
  app.post("/", async (c) => {
    const nik = nikOf(await readBody(c.env.incoming));
    if (nik === undefined) return c.body(null, 400);
    try {
      const { status, reply } = await callNik(pool, nik);
      return c.body(new Uint8Array(reply), status as 200, { "content-type": "application/json" });
    } catch {
      return c.body(null, 502);
    }
  });
  return getRequestListener(app.fetch);
}

function serveForwarder(): void {
  // Same pool shape as the gateway's Dukcapil transport: keep-alive, no pipelining.
  const pool = new Pool(base.origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const server = createServer(framework === "hono" ? honoListener(pool) : nodeHttpListener(pool));
  server.keepAliveTimeout = 65_000;
  server.listen(port, "127.0.0.1", () => {
    if (cluster.isPrimary) console.log(banner());
  });

  const stop = () => server.close(() => void pool.close().then(() => process.exit(0)));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
