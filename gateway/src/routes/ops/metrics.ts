/** GET /metrics — Prometheus text exposition, behind its own bearer token. */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { timingSafeEqual } from "../../crypto/digest.ts";
import type { GatewayEnv } from "../../env.ts";
import { ProblemError } from "../../errors/problem.ts";
import { requestHeader } from "../../http/request-access.ts";

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export function registerMetrics(app: OpenAPIHono<GatewayEnv>): void {
  app.get("/metrics", (c) => {
    const { metrics, settings } = c.get("services");
    // Without a configured token the main port does not serve metrics at all (see SIMPUL_METRICS_PORT).
    if (!metrics || !settings.metricsToken) throw new ProblemError("NOT_FOUND");
    const presented = requestHeader(c, "authorization") ?? "";
    if (!timingSafeEqual(presented, `Bearer ${settings.metricsToken}`)) {
      throw new ProblemError(
        "UNAUTHENTICATED",
        "Send the metrics bearer token.",
        {},
        {
          "WWW-Authenticate": 'Bearer realm="simpul-metrics"',
        },
      );
    }
    c.header("Content-Type", PROMETHEUS_CONTENT_TYPE);
    c.header("Cache-Control", "no-store");
    return c.body(metrics.registry.render());
  });
}
