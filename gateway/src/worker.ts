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
 * circuit breakers; every store lives in Durable Objects, so isolates agree on everything. No
 * request ever awaits a promise another request created (the runtime would cancel it as hung):
 * until an app is ready, each request builds its own and the first one finished is kept.
 */
const apps = new Map<string, OpenAPIHono<GatewayEnv>>();

function problem(status: number, title: string, detail: string): Response {
  return new Response(JSON.stringify({ type: "about:blank", title, status, detail }), {
    status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store" },
  });
}

/**
 * Local development only: `wrangler dev` forwards requests to workerd over kept-alive
 * connections, and a request body left unread, or abandoned half-read (a refusal before or
 * while parsing), breaks that connection for the next request. The app reads a copy of the
 * body; whatever it leaves is read to the end here (up to a cap) once the response is ready.
 */
function drainedAfterwards(request: Request, maxBytes = 16 * 1024 * 1024) {
  if (request.body === null) return { request, finish: async () => undefined };
  const [forApp, forDrain] = request.body.tee();
  const reader = forDrain.getReader();
  const drained = (async () => {
    let read = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
      if (read > maxBytes) return reader.cancel();
    }
  })().catch(() => undefined);
  return {
    request: new Request(request, { body: forApp }),
    finish: () => drained,
  };
}

async function appFor(env: WorkerEnv, request: Request) {
  const config = parseWorkerConfig(env);
  const issuer = (config.SIMPUL_PUBLIC_URL ?? new URL(request.url).origin).replace(/\/$/, "");
  let app = apps.get(issuer);
  if (app === undefined) {
    const built = createApp(await buildWorkerServices(config, issuer));
    app = apps.get(issuer) ?? built;
    apps.set(issuer, app);
  }
  return { config, app };
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
    const local =
      gateway.config.SIMPUL_ENV === "development" || gateway.config.SIMPUL_ENV === "test";
    if (!local) return gateway.app.fetch(request, env, ctx);
    const guarded = drainedAfterwards(request);
    const response = await gateway.app.fetch(guarded.request, env, ctx);
    await guarded.finish();
    return response;
  },
} satisfies ExportedHandler<WorkerEnv>;
