/** One structured line per request: route pattern (never the raw URL), status, time, client. */
import { createMiddleware } from "hono/factory";
import type { GatewayEnv } from "../env.ts";

export const accessLog = () =>
  createMiddleware<GatewayEnv>(async (c, next) => {
    const started = performance.now();
    await next();
    c.get("services").logger.log("info", "request", {
      requestId: c.get("requestId"),
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      client: c.get("client")?.id,
      traceId: c.get("trace")?.traceId,
    });
  });
