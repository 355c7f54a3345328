/** Liveness and readiness, for load balancers and orchestrators. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { GatewayEnv } from "../../env.ts";

const Health = z
  .object({
    status: z.enum(["ok", "unavailable"]),
    checks: z.record(z.string(), z.enum(["ok", "failing"])).optional(),
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
  summary: "The gateway can serve: its stores and signing key work",
  responses: {
    200: { description: "Ready", content: { "application/json": { schema: Health } } },
    503: { description: "Not ready", content: { "application/json": { schema: Health } } },
  },
});

export function registerHealth(app: OpenAPIHono<GatewayEnv>): void {
  app.openapi(livenessRoute, (c) => c.json({ status: "ok" as const }, 200));
  app.openapi(readinessRoute, async (c) => {
    const probes = Object.entries(c.var.services.readinessChecks ?? {});
    const results = await Promise.all(
      probes.map(async ([name, probe]) => [name, await probe().catch(() => false)] as const),
    );
    const checks = Object.fromEntries(
      results.map(([name, healthy]) => [name, healthy ? ("ok" as const) : ("failing" as const)]),
    );
    c.header("Cache-Control", "no-store");
    return results.every(([, healthy]) => healthy)
      ? c.json({ status: "ok" as const, checks }, 200)
      : c.json({ status: "unavailable" as const, checks }, 503);
  });
}
