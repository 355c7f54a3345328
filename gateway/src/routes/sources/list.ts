/** GET /v1/sources — per source: circuit state, recent latency and failures. */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { GatewayEnv } from "../../env.ts";
import { requireScope } from "../../middleware/auth.ts";
import { rateLimit } from "../../middleware/rate-limit.ts";
import { registerOperation } from "../operation.ts";
import { AUTHENTICATED, problemResponses } from "../problems.ts";

const SourceHealth = z
  .object({
    id: z.enum(["dukcapil", "kemensos", "kemnaker", "kemenkopukm"]),
    status: z.enum(["UP", "DEGRADED", "DOWN"]),
    circuit: z.enum(["CLOSED", "OPEN", "HALF_OPEN"]),
    latencyP50Ms: z.number().nullable(),
    latencyP95Ms: z.number().nullable(),
    recentFailures: z.number().int(),
    lastSuccessAt: z.string().nullable(),
    lastFailureAt: z.string().nullable(),
  })
  .strict()
  .openapi("SourceHealth");

export const sourcesRoute = createRoute({
  method: "get",
  path: "/v1/sources",
  operationId: "sources.list",
  tags: ["Sources"],
  summary: "Health of each ministry source as this gateway sees it",
  security: [{ oauth2: ["sources:read"] }],
  middleware: [requireScope("sources:read"), rateLimit()] as const,
  responses: {
    200: {
      description: "One entry per source",
      content: { "application/json": { schema: z.object({ sources: z.array(SourceHealth) }) } },
    },
    ...problemResponses(AUTHENTICATED),
  },
});

export function registerSources(app: OpenAPIHono<GatewayEnv>): void {
  registerOperation(app, sourcesRoute, (c) => {
    const { dukcapil, enrolmentSources } = c.get("services");
    const sources = [dukcapil, ...enrolmentSources].map((adapter) => {
      const health = adapter.health();
      const status =
        health.circuit === "OPEN"
          ? "DOWN"
          : health.circuit === "HALF_OPEN" || health.recentFailures > 0
            ? "DEGRADED"
            : "UP";
      return { ...health, status } as const;
    });
    c.header("Cache-Control", "no-store");
    return c.json({ sources }, 200);
  });
}
