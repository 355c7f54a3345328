/** The HTTP server every ministry simulator runs on: keep-alive, fault injection, `/__control`. */
import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { FaultPlan, type FaultSettings, scrambleTypes } from "./faults.ts";

/** One request, already read whole (simulators only take small JSON bodies). */
export interface SimulatorRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A reply before faults are applied; `body` is serialised as JSON. */
export interface SimulatorReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export type SimulatorHandler = (request: SimulatorRequest) => SimulatorReply;

/** Counters since start (or the last reset), for tests and benchmarks. */
export interface SimulatorStats {
  readonly requests: number;
  readonly faults: number;
}

/**
 * Controls a running simulator's faults, programmatically. The same is reachable over HTTP from
 * loopback: `GET /__control` shows the state; `POST /__control` with a JSON body merges a
 * `Partial<FaultSettings>` and accepts `"reset": true` and `"downForMs": n` (an HTTP caller
 * cannot bring a closed socket back, so going down over HTTP is always for a while).
 *
 * @example
 * sim.control.set({ latency: { kind: "lognormal", medianMs: 40, p99Ms: 400 }, errorRate: 0.05 });
 * await sim.control.down(); // connections refused
 * await sim.control.up(); // same port again
 * sim.control.reset(); // healthy
 */
export interface SimulatorControl {
  readonly settings: FaultSettings;
  readonly isDown: boolean;
  set(patch: Partial<FaultSettings>): void;
  /** Healthy again: default settings, counters zeroed, and up if it was down. */
  reset(): Promise<void>;
  /** Stops accepting connections and drops open ones; the port stays reserved for `up()`. */
  down(): Promise<void>;
  /** Listens again on the same host and port. */
  up(): Promise<void>;
  stats(): SimulatorStats;
}

export interface SimulatorServerOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: any free port (kept across down/up). */
  readonly port?: number;
  /** Request bodies larger than this are answered 413 (default 4 MiB). */
  readonly maxRequestBytes?: number;
}

export interface SimulatorServer {
  /** `http://host:port`, with no trailing slash. */
  readonly origin: string;
  readonly port: number;
  readonly control: SimulatorControl;
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);
const JSON_TYPE = "application/json";
const HTML_ERROR = (status: number, text: string) =>
  `<html>\r\n<head><title>${status} ${text}</title></head>\r\n<body>\r\n<center><h1>${status} ${text}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

let oversizedCache: { bytes: number; chunk: Buffer } | undefined;
/** A 1 MiB slice of a long valid JSON array, reused for every oversized reply. */
function oversizedChunk(): Buffer {
  if (!oversizedCache) {
    const item = `{"PADDING":"${"x".repeat(1000)}"},`;
    oversizedCache = {
      bytes: 1 << 20,
      chunk: Buffer.from(item.repeat(Math.ceil((1 << 20) / item.length))),
    };
  }
  return oversizedCache.chunk;
}

/** Writes `bytes` of valid JSON without a Content-Length (chunked), honouring backpressure. */
function streamOversized(res: ServerResponse, bytes: number): void {
  res.writeHead(200, { "content-type": JSON_TYPE });
  const chunk = oversizedChunk();
  let sent = 0;
  res.write('{"content":[');
  const pump = () => {
    while (sent < bytes && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once("drain", pump);
        return;
      }
    }
    if (!res.destroyed) res.end('{"PADDING":""}],"totalElements":0}');
  };
  pump();
}

/** Starts a simulator server on loopback. */
export async function startSimulatorServer(
  handler: SimulatorHandler,
  options: SimulatorServerOptions = {},
): Promise<SimulatorServer> {
  const host = options.host ?? "127.0.0.1";
  const maxRequestBytes = options.maxRequestBytes ?? 4 * 1024 * 1024;
  const plan = new FaultPlan();
  let requests = 0;
  let faults = 0;
  let server: Server = createServer();
  let port = options.port ?? 0;
  let isDown = false;
  let closed = false;
  let downTimer: NodeJS.Timeout | undefined;

  const send = (
    res: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body: string,
  ) => {
    if (res.destroyed) return;
    res.writeHead(status, { ...headers, "content-length": String(Buffer.byteLength(body)) });
    res.end(body);
  };
  const sendJson = (res: ServerResponse, status: number, body: unknown) =>
    send(res, status, { "content-type": JSON_TYPE }, JSON.stringify(body));

  const answer = (res: ServerResponse, request: SimulatorRequest) => {
    const outcome = plan.outcome();
    if (outcome.kind === "timeout") {
      faults++;
      return; // never answered; the socket closes when the client gives up or on down/close
    }
    const respond = () => {
      switch (outcome.kind) {
        case "error": {
          faults++;
          const text =
            outcome.status === 500 ? "Internal Server Error" : "Service Temporarily Unavailable";
          const headers: Record<string, string> = { "content-type": "text/html" };
          if (outcome.retryAfter !== undefined) headers["retry-after"] = String(outcome.retryAfter);
          return send(res, outcome.status, headers, HTML_ERROR(outcome.status, text));
        }
        case "oversized":
          faults++;
          return streamOversized(res, outcome.bytes);
        case "malformed": {
          faults++;
          const reply = handler(request);
          if (outcome.how === "html") {
            return send(res, 200, { "content-type": "text/html" }, HTML_ERROR(502, "Bad Gateway"));
          }
          if (outcome.how === "wrong-types") {
            return sendJson(res, reply.status, scrambleTypes(reply.body));
          }
          const text = JSON.stringify(reply.body);
          return send(
            res,
            reply.status,
            { "content-type": JSON_TYPE },
            text.slice(0, Math.max(1, text.length >> 1)),
          );
        }
        case "normal": {
          const reply = handler(request);
          return send(
            res,
            reply.status,
            { "content-type": JSON_TYPE, ...reply.headers },
            JSON.stringify(reply.body),
          );
        }
      }
    };
    const wait = plan.delay();
    if (wait > 0) setTimeout(respond, wait);
    else respond();
  };

  const control: SimulatorControl = {
    get settings() {
      return plan.settings;
    },
    get isDown() {
      return isDown;
    },
    set: (patch) => plan.set(patch),
    async reset() {
      plan.reset();
      requests = 0;
      faults = 0;
      await control.up();
    },
    async down() {
      if (downTimer) clearTimeout(downTimer);
      downTimer = undefined;
      if (isDown) return;
      isDown = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await stopped;
    },
    async up() {
      if (downTimer) clearTimeout(downTimer);
      downTimer = undefined;
      if (!isDown || closed) return;
      server = createServer();
      attach(server);
      await listen(server, port, host);
      isDown = false;
    },
    stats: () => ({ requests, faults }),
  };

  const handleControl = (res: ServerResponse, method: string, body: string, remote: string) => {
    if (!LOOPBACK.has(remote)) return sendJson(res, 403, { error: "control is loopback-only" });
    if (method === "GET") {
      return sendJson(res, 200, { settings: plan.settings, down: isDown, stats: control.stats() });
    }
    if (method !== "POST") return sendJson(res, 405, { error: "GET or POST" });
    let patch: Record<string, unknown>;
    try {
      patch = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      if (patch === null || typeof patch !== "object" || Array.isArray(patch))
        throw new TypeError();
    } catch {
      return sendJson(res, 400, { error: "body must be a JSON object" });
    }
    const { reset, downForMs, ...settings } = patch;
    if (reset === true) {
      plan.reset();
      requests = 0;
      faults = 0;
    }
    try {
      plan.set(settings as Partial<FaultSettings>);
    } catch (error) {
      return sendJson(res, 400, { error: (error as Error).message });
    }
    if (typeof downForMs === "number" && downForMs > 0) {
      const ms = Math.min(downForMs, 600_000);
      sendJson(res, 202, { settings: plan.settings, down: true, upInMs: ms });
      res.once("finish", () => {
        void control.down().then(() => {
          downTimer = setTimeout(() => void control.up(), ms);
          downTimer.unref();
        });
      });
      return;
    }
    sendJson(res, 200, { settings: plan.settings, down: isDown, stats: control.stats() });
  };

  const attach = (target: Server) => {
    // Benchmarks keep connections open; Node's default 5 s would churn sockets needlessly.
    target.keepAliveTimeout = 65_000;
    target.headersTimeout = 66_000;
    target.requestTimeout = 0;
    target.on("request", (req, res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      req.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxRequestBytes) tooLarge = true;
        else chunks.push(chunk);
      });
      req.on("end", () => {
        const url = req.url ?? "/";
        const q = url.indexOf("?");
        const path = q < 0 ? url : url.slice(0, q);
        const body =
          chunks.length === 1
            ? (chunks[0] as Buffer).toString("utf8")
            : Buffer.concat(chunks).toString("utf8");
        if (path === "/__control") {
          return handleControl(res, req.method ?? "GET", body, req.socket.remoteAddress ?? "");
        }
        requests++;
        if (tooLarge) return sendJson(res, 413, { error: "request body too large" });
        answer(res, { method: req.method ?? "GET", path, headers: req.headers, body });
      });
    });
  };

  attach(server);
  await listen(server, port, host);
  port = (server.address() as AddressInfo).port;
  const origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  return {
    origin,
    port,
    control,
    async close() {
      closed = true;
      if (downTimer) clearTimeout(downTimer);
      downTimer = undefined;
      if (isDown) return;
      isDown = true;
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await done;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** Reads a JSON object body; undefined when it is not one. */
export function parseJsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
