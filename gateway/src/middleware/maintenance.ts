/** Maintenance mode: API routes answer 503 with Retry-After while operators work. */
import { createMiddleware } from "hono/factory";
import type { GatewayEnv } from "../env.ts";
import { ProblemError } from "../errors/problem.ts";

export const maintenanceGate = () =>
  createMiddleware<GatewayEnv>(async (c, next) => {
    if (c.get("services").maintenance?.enabled) {
      throw new ProblemError(
        "SERVICE_UNAVAILABLE",
        "The gateway is in maintenance.",
        {},
        { "Retry-After": "30" },
      );
    }
    await next();
  });
