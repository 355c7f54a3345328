/** Cloudflare Workers entry: checks the bindings, wires them into services, serves the same app. */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { createApp } from "./app.ts";
import type { GatewayEnv } from "./env.ts";
import { buildWorkerServices } from "./worker/build-services.ts";
import { parseWorkerConfig, type WorkerEnv } from "./worker/config.ts";
import { serveTestSurface, TEST_SURFACE_PREFIX } from "./worker/test-surface.ts";

export { AuditTrail } from "./stores/audit/cloudflare.ts";
export { RateLimitCounter } from "./stores/rate-limit/cloudflare.ts";
export { ReplayGuard } from "./stores/replay/cloudflare.ts";
export { SchemaRegistry } from "./stores/schema-registry/cloudflare.ts";

/*
 * One app per isolate (and per issuer, when SIMPUL_PUBLIC_URL is not set and the origin is taken
 * from the request). Only plain state is shared between requests: keys, the client registry,
 * circuit breakers; every store lives in Durable Objects, so isolates agree on everything.
 */
const apps = new Map<string, Promise<OpenAPIHono<GatewayEnv>>>();

function problem(status: number, title: string, detail: string): Response {
  return new Response(JSON.stringify({ type: "about:blank", title, status, detail }), {
    status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store" },
  });
}

async function appFor(env: WorkerEnv, request: Request) {
  const config = parseWorkerConfig(env);
  const issuer = (config.SIMPUL_PUBLIC_URL ?? new URL(request.url).origin).replace(/\/$/, "");
  let app = apps.get(issuer);
  if (app === undefined) {
    app = buildWorkerServices(config, issuer).then(createApp);
    apps.set(issuer, app);
    // A failed start is retried by the next request rather than cached for the isolate's life.
    app.catch(() => apps.delete(issuer));
  }
  return { config, app: await app };
}

export default {
  async fetch(request, env, ctx): Promise<Response> {
    let gateway: Awaited<ReturnType<typeof appFor>>;
    try {
      gateway = await appFor(env, request);
    } catch (error) {
      // The operator reads the reason in `wrangler tail`; callers learn only that it is not ready.
      console.error(`Simpul cannot serve: ${(error as Error).message}`);
      const development = env.SIMPUL_ENV === "development" || env.SIMPUL_ENV === "test";
      return problem(
        503,
        "The gateway is not configured",
        development ? (error as Error).message : "See the worker's logs.",
      );
    }
    if (
      gateway.config.SIMPUL_ENV === "test" &&
      new URL(request.url).pathname.startsWith(TEST_SURFACE_PREFIX)
    ) {
      return serveTestSurface(request, env);
    }
    return gateway.app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<WorkerEnv>;
