/** Counts and times every request by route pattern (never the raw URL), method and status. */
import { createMiddleware } from "hono/factory";
import type { GatewayEnv } from "../env.ts";

export const requestMetrics = () =>
  createMiddleware<GatewayEnv>(async (c, next) => {
    const metrics = c.get("services").metrics;
    if (!metrics) return next();
    const started = performance.now();
    await next();
    // Unmatched paths share one label, so scanners cannot explode the series count.
    const route =
      c.req.routePath === "/*" || c.req.routePath === "*" ? "unmatched" : c.req.routePath;
    const labels = { route, method: c.req.method };
    metrics.requests.inc({ route, method: c.req.method, status: String(c.res.status) });
    metrics.requestDuration.observe(labels, (performance.now() - started) / 1000);
  });
