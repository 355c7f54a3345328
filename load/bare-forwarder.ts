/**
 * The floor the gateway is measured against: node:http plus an undici Pool to the same Dukcapil
 * simulator, with no auth, no limits, no validation beyond JSON.parse, no audit and no logging.
 * It takes the gateway's lookup body (`{"nik": "…"}`), sends CALL_NIK and returns the raw reply.
 *
 *   FORWARDER_PORT=8790 DUKCAPIL_URL=… DUKCAPIL_CREDENTIALS='{"user_id":…}' tsx load/bare-forwarder.ts
 */
import { createServer } from "node:http";
import { Pool } from "undici";

const port = Number(process.env.FORWARDER_PORT ?? 8790);
const connections = Number(process.env.FORWARDER_CONNECTIONS ?? 64);
const base = new URL(process.env.DUKCAPIL_URL ?? "");
const credentials = JSON.parse(process.env.DUKCAPIL_CREDENTIALS ?? "{}") as Record<string, string>;
// Same pool shape as the gateway's Dukcapil transport: keep-alive, no pipelining.
const pool = new Pool(base.origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
const path = `${base.pathname.replace(/\/$/, "")}/CALL_NIK`;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    let nik: unknown;
    try {
      nik = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { nik?: unknown }).nik;
    } catch {
      res.writeHead(400).end();
      return;
    }
    pool
      .request({
        method: "POST",
        path,
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ NIK: nik, ...credentials }),
      })
      .then(async ({ statusCode, body }) => {
        const reply = Buffer.from(await body.arrayBuffer());
        res.writeHead(statusCode, {
          "content-type": "application/json",
          "content-length": reply.length,
        });
        res.end(reply);
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, "127.0.0.1", () => {
  console.log(`bare forwarder listening on http://127.0.0.1:${port} → ${base.origin}${path}`);
});

const stop = () => server.close(() => void pool.close().then(() => process.exit(0)));
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
