/**
 * A second floor, between the bare forwarder and the gateway: the identity lookup's required work
 * done by the gateway's own components, wired by hand on `node:http`, with no framework, no
 * middleware chain, no schema validation of the request and no metrics. Per request it does what
 * the gateway's lookup must do:
 *
 * - bearer token through the gateway's verifier (its verified-token cache), client, scope, purpose;
 * - the NIK checked with the SDK's `parseNik`;
 * - one unit charged on the client's plan in the Redis rate-limit store;
 * - the Dukcapil adapter (pool, deadline, mapping, canonical check of the person);
 * - the granted fields, region warnings, security and rate-limit headers on the answer;
 * - the NIK's HMAC and the hash-chained record in the Redis audit trail before anything is sent;
 * - one access-log line through the gateway's logger.
 *
 * It answers only that one route (and `/readyz`), so it is a yardstick, never a server to deploy:
 * what the required work costs on this machine, so that a benchmark can tell how much of the gap
 * to the bare forwarder is the work itself and how much the app around it. It is configured like
 * the gateway (SIMPUL_* variables, `parseNodeConfig`); give it the gateway's SIMPUL_SIGNING_KEY and
 * SIMPUL_PUBLIC_URL so the gateway's tokens verify here. HAND_WIRED_OMIT=rate-limit,audit,access-log
 * leaves those steps out, to size what remains without them (not a safe gateway).
 *
 * Run compiled, as the gateway is (`buildHandWired` and `startHandWired` in load/lib/processes.ts,
 * which also watch for its banner).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { auditSource } from "../gateway/src/enrolments/source-statuses.ts";
import { API_SECURITY_HEADERS as SECURITY_HEADERS } from "../gateway/src/http/answer-headers.ts";
import { createJsonLogger } from "../gateway/src/logging/logger.ts";
import { rateLimitHeaders, windowsOf } from "../gateway/src/middleware/rate-limit.ts";
import { buildNodeServices } from "../gateway/src/node/build-services.ts";
import { parseNodeConfig } from "../gateway/src/node/config.ts";
import { createLineWriter } from "../gateway/src/node/line-writer.ts";
import { regionWarnings } from "../gateway/src/regions/region-warnings.ts";
import type { RateLimitDecision } from "../gateway/src/stores/rate-limit/port.ts";
import { parseNik } from "../sdk/src/nik/validate.ts";
import { readBody } from "./lib/read-body.ts";

const OMITTABLE = ["rate-limit", "audit", "access-log"] as const;
const LOOKUP_PATH = "/v1/identity/lookup";
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;
/** What the benchmark's own load client asks for; the hand-wired floor answers nothing else. */
const ONE_ROUTE_ONLY = "The hand-wired lookup answers POST /v1/identity/lookup only.";

const config = parseNodeConfig(process.env);
const omitted = new Set((process.env.HAND_WIRED_OMIT ?? "").split(",").filter(Boolean));
for (const step of omitted) {
  if (!(OMITTABLE as readonly string[]).includes(step)) {
    throw new Error(`HAND_WIRED_OMIT: unknown step ${step}; known: ${OMITTABLE.join(", ")}`);
  }
}
const logger = createJsonLogger(config.SIMPUL_LOG_LEVEL, createLineWriter().write);
const issuer = (config.SIMPUL_PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`).replace(
  /\/$/,
  "",
);
const { services } = await buildNodeServices(config, logger, issuer);
/** Charged when the rate limit is left out: the answer still carries the same headers. */
const UNMETERED: RateLimitDecision = {
  allowed: true,
  limit: 1,
  windowSeconds: 60,
  remaining: 1,
  resetSeconds: 60,
};

function refuse(res: ServerResponse, status: number, detail: string): void {
  const body = JSON.stringify({ status, detail });
  res.writeHead(status, {
    "Content-Type": "application/problem+json",
    "Content-Length": Buffer.byteLength(body),
    ...SECURITY_HEADERS,
  });
  res.end(body);
}

async function lookup(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const requestId = crypto.randomUUID();
  const body = await readBody(req);
  const token = BEARER.exec(req.headers.authorization ?? "")?.[1];
  if (token === undefined) return refuse(res, 401, "Send `Authorization: Bearer <token>`.");
  const verdict = await services.verifyToken(token);
  if (!verdict.ok) return refuse(res, 401, "The token is invalid or expired.");
  const client = await services.clients.get(verdict.claims.clientId);
  if (client === undefined) return refuse(res, 401, "The token's client is not registered.");
  if (!verdict.claims.scopes.includes("identity:lookup")) return refuse(res, 403, "Scope.");
  const purpose = req.headers["simpul-purpose"];
  if (typeof purpose !== "string" || !(client.purposes as readonly string[]).includes(purpose)) {
    return refuse(res, 403, "Declare an allowed purpose in Simpul-Purpose.");
  }
  let nik: unknown;
  try {
    nik = (JSON.parse(body) as { nik?: unknown }).nik;
  } catch {
    return refuse(res, 400, "The body is not JSON.");
  }
  if (typeof nik !== "string" || !parseNik(nik).ok) return refuse(res, 400, "Not a valid NIK.");

  const windows = windowsOf(client.ratePlan);
  const decision = omitted.has("rate-limit")
    ? UNMETERED
    : await services.rateLimits.consume(`client:${client.id}`, 1, windows);
  if (!decision.allowed) return refuse(res, 429, "The limit is used up.");

  const result = await services.dukcapil.lookup(nik, {});
  const person = result.ok && "person" in result.value ? result.value.person : undefined;
  const status = person ? 200 : result.ok ? 404 : 502;
  let answer = "";
  if (person) {
    const granted: Record<string, unknown> = {};
    for (const field of client.fields) granted[field] = person[field];
    answer = JSON.stringify({
      person: granted,
      source: { id: "dukcapil", retrievedAt: new Date().toISOString() },
      warnings: regionWarnings(nik),
    });
  }
  if (!omitted.has("audit")) {
    // Fail closed, as the gateway does: nothing leaves unless the record is in the trail.
    try {
      await services.audit.append({
        requestId,
        clientId: client.id,
        purpose,
        route: "identity.lookup",
        nikHmac: await services.nikHmac(nik),
        sources: [auditSource("dukcapil", result)],
        outcome: person ? "RELEASED" : result.ok ? "NOT_FOUND" : "FAILED",
        httpStatus: status,
        fieldsReleased: person ? [...client.fields] : [],
      });
    } catch {
      return refuse(res, 503, "The audit trail cannot be written; no data was released.");
    }
  }
  if (!person) return refuse(res, status, "No person released.");
  res.writeHead(200, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(answer),
    "X-Request-Id": requestId,
    ...SECURITY_HEADERS,
    ...rateLimitHeaders(decision, windows),
  });
  res.end(answer);
  if (!omitted.has("access-log")) {
    logger.log("info", "request", {
      requestId,
      method: "POST",
      route: LOOKUP_PATH,
      status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      client: client.id,
    });
  }
}

const server = createServer((req, res) => {
  if (req.method === "GET" && req.url === "/readyz") {
    res.end("ok");
    return;
  }
  if (req.method !== "POST" || req.url !== LOOKUP_PATH) return refuse(res, 404, ONE_ROUTE_ONLY);
  lookup(req, res).catch((error: unknown) => {
    logger.log("error", "hand-wired lookup failed", { reason: String(error) });
    if (!res.headersSent) refuse(res, 500, "Internal error.");
  });
});
server.listen(config.PORT, config.HOST, () => {
  const without = omitted.size === 0 ? "" : ` (without ${[...omitted].join(", ")})`;
  console.log(`hand-wired lookup listening on http://${config.HOST}:${config.PORT}${without}`);
});
for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => process.exit(0));
