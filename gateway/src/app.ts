/** Builds the Simpul gateway from injected services, with Web-standard APIs only. */
import { OpenAPIHono } from "@hono/zod-openapi";
import { SCOPES } from "./clients/client.ts";
import type { GatewayEnv } from "./env.ts";
import { handleError, problemFromZod } from "./errors/handler.ts";
import { ProblemError } from "./errors/problem.ts";
import { accessLog } from "./middleware/access-log.ts";
import { maintenanceGate } from "./middleware/maintenance.ts";
import { refuseNikInUrl } from "./middleware/nik-in-url.ts";
import { requestId } from "./middleware/request-id.ts";
import { requestMetrics } from "./middleware/request-metrics.ts";
import { securityHeaders } from "./middleware/security-headers.ts";
import { traceContext } from "./middleware/trace-context.ts";
import { registerAudit } from "./routes/audit/index.ts";
import { registerDocs } from "./routes/docs/docs.ts";
import { registerCheck } from "./routes/enrolments/check.ts";
import { registerCheckBatch } from "./routes/enrolments/check-batch.ts";
import { registerLookup } from "./routes/identity/lookup.ts";
import { registerVerify } from "./routes/identity/verify.ts";
import { registerDiscovery } from "./routes/oauth/discovery.ts";
import { registerToken } from "./routes/oauth/token.ts";
import { registerHealth } from "./routes/ops/health.ts";
import { registerMetrics } from "./routes/ops/metrics.ts";
import { registerProblemTypes } from "./routes/ops/problems.ts";
import { registerPrograms } from "./routes/programs/list.ts";
import { registerSchemas } from "./routes/schemas/index.ts";
import { registerSources } from "./routes/sources/list.ts";
import type { Services } from "./services.ts";

export const API_VERSION = "0.1.0";

/**
 * Creates the gateway app. Entries (Node, Workers) build `services` for their runtime.
 *
 * @example
 * const app = createApp(services);
 * const response = await app.request("/healthz");
 */
export function createApp(services: Services): OpenAPIHono<GatewayEnv> {
  const app = new OpenAPIHono<GatewayEnv>({
    // The one validation hook: every schema failure becomes a problem with JSON pointers.
    defaultHook: (result) => {
      if (!result.success) throw problemFromZod(result.error);
    },
  });

  app.use("*", async (c, next) => {
    c.set("services", services);
    await next();
  });
  app.use(
    "*",
    requestId(),
    securityHeaders(),
    requestMetrics(),
    accessLog(),
    traceContext(),
    refuseNikInUrl(),
  );
  app.use("/v1/*", maintenanceGate());
  app.use("/oauth/*", maintenanceGate());
  app.onError(handleError);

  registerToken(app);
  registerDiscovery(app);
  registerLookup(app);
  registerVerify(app);
  registerCheck(app);
  registerCheckBatch(app);
  registerPrograms(app);
  registerSchemas(app);
  registerSources(app);
  registerAudit(app);
  registerHealth(app);
  registerMetrics(app);
  registerDocs(app);
  registerProblemTypes(app);

  app.openAPIRegistry.registerComponent("securitySchemes", "oauth2", {
    type: "oauth2",
    description: "Client credentials; send the token as `Authorization: Bearer <token>`.",
    flows: {
      clientCredentials: {
        tokenUrl: "/oauth/token",
        scopes: Object.fromEntries(SCOPES.map((scope) => [scope, scope])),
      },
    },
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Simpul",
      version: API_VERSION,
      description:
        "Interoperability gateway for Indonesian social-protection data: NIK lookups and verification, cross-program enrolment checks, standard schemas and an audit trail.",
    },
  });

  const routes = app.routes.map((route) => ({
    method: route.method,
    pattern: new RegExp(`^${route.path.replace(/:[^/]+/g, "[^/]+").replace(/\*/g, ".*")}$`),
    wildcard: route.path.includes("*"),
  }));
  app.notFound((c) => {
    const allowed = routes
      .filter((route) => !route.wildcard && route.pattern.test(c.req.path))
      .map((route) => route.method)
      .filter((method) => method !== "ALL");
    if (allowed.length > 0) {
      throw new ProblemError(
        "METHOD_NOT_ALLOWED",
        undefined,
        {},
        { Allow: [...new Set(allowed)].join(", ") },
      );
    }
    throw new ProblemError("NOT_FOUND");
  });
  return app;
}
