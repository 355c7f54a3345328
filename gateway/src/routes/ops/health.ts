/** Liveness and readiness, modelled on X-Road's health check: cached, with a maintenance mode. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { GatewayEnv } from "../../env.ts";
import type { Services } from "../../services.ts";
import { registerOperation } from "../operation.ts";

const CheckStatus = z.enum(["ok", "failing", "degraded"]);
const Health = z
  .object({
    status: z.enum(["ok", "unavailable", "maintenance"]),
    checks: z.record(z.string(), CheckStatus).optional(),
    checkedAt: z.string().optional(),
  })
  .openapi("Health");

export const livenessRoute = createRoute({
  method: "get",
  path: "/healthz",
  operationId: "ops.liveness",
  tags: ["Operations"],
  summary: "The process is alive",
  responses: { 200: { description: "Alive", content: { "application/json": { schema: Health } } } },
});

export const readinessRoute = createRoute({
  method: "get",
  path: "/readyz",
  operationId: "ops.readiness",
  tags: ["Operations"],
  summary: "The gateway can serve: stores, signing key and configuration work",
  description:
    "Results are cached for a few seconds so probes cannot hammer Redis. Sources are reported (`degraded` when a circuit is open) but do not fail readiness: answers then say they are partial.",
  responses: {
    200: { description: "Ready", content: { "application/json": { schema: Health } } },
    503: {
      description: "Not ready, or in maintenance",
      content: { "application/json": { schema: Health } },
    },
  },
});

const CACHE_MS = 2_000;
type Snapshot = {
  ready: boolean;
  checks: Record<string, z.infer<typeof CheckStatus>>;
  checkedAt: string;
};
const cache = new WeakMap<Services, { at: number; snapshot: Promise<Snapshot> }>();

async function probe(services: Services): Promise<Snapshot> {
  const probes = Object.entries(services.readinessChecks ?? {});
  const results = await Promise.all(
    probes.map(async ([name, check]) => [name, await check().catch(() => false)] as const),
  );
  const checks: Snapshot["checks"] = {};
  for (const [name, healthy] of results) checks[name] = healthy ? "ok" : "failing";
  for (const adapter of [services.dukcapil, ...services.enrolmentSources]) {
    const health = adapter.health();
    checks[`source:${health.id}`] = health.circuit === "CLOSED" ? "ok" : "degraded";
  }
  return {
    ready: results.every(([, healthy]) => healthy),
    checks,
    checkedAt: new Date().toISOString(),
  };
}

function snapshotOf(services: Services): Promise<Snapshot> {
  const cached = cache.get(services);
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.snapshot;
  const snapshot = probe(services);
  cache.set(services, { at: Date.now(), snapshot });
  return snapshot;
}

export function registerHealth(app: OpenAPIHono<GatewayEnv>): void {
  registerOperation(app, livenessRoute, (c) => c.json({ status: "ok" as const }, 200));
  registerOperation(app, readinessRoute, async (c) => {
    const services = c.get("services");
    c.header("Cache-Control", "no-store");
    if (services.maintenance?.enabled) return c.json({ status: "maintenance" as const }, 503);
    if (services.maintenance?.draining) return c.json({ status: "unavailable" as const }, 503);
    const { ready, checks, checkedAt } = await snapshotOf(services);
    return ready
      ? c.json({ status: "ok" as const, checks, checkedAt }, 200)
      : c.json({ status: "unavailable" as const, checks, checkedAt }, 503);
  });
}
