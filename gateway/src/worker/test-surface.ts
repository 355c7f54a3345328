/**
 * Test environment only (SIMPUL_ENV=test): the Durable Object stores over a tiny HTTP surface, so
 * the shared contract suites run in Node against the real objects inside workerd.
 */
import {
  createCloudflareAuditStore,
  tamperCloudflareAuditTrail,
} from "../stores/audit/cloudflare.ts";
import { createCloudflareRateLimitStore } from "../stores/rate-limit/cloudflare.ts";
import { createCloudflareReplayStore } from "../stores/replay/cloudflare.ts";
import { createCloudflareSchemaRegistryStore } from "../stores/schema-registry/cloudflare.ts";
import type { WorkerEnv } from "./config.ts";

export const TEST_SURFACE_PREFIX = "/__test/stores/";

type Body = Record<string, unknown> & { readonly args?: unknown[] };

const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value ?? null), {
    status,
    headers: { "content-type": "application/json" },
  });

/** Errors travel with their class name, so a client can rethrow TypeError as TypeError. */
const failure = (error: unknown) =>
  json(
    {
      error: {
        name: error instanceof Error ? error.name : "Error",
        code: (error as { code?: unknown }).code,
        message: error instanceof Error ? error.message : String(error),
      },
    },
    400,
  );

const clock = (body: Body) =>
  typeof body.nowMs === "number" ? { now: () => body.nowMs as number } : {};

async function handle(store: string, body: Body, env: WorkerEnv): Promise<unknown> {
  const args = body.args ?? [];
  const name = String(body.name ?? "default");
  switch (store) {
    case "rate-limit": {
      const [key, cost, windows] = args as Parameters<
        ReturnType<typeof createCloudflareRateLimitStore>["consume"]
      >;
      return createCloudflareRateLimitStore(env.RATE_LIMITS).consume(
        `${name}:${key}`,
        cost,
        windows,
      );
    }
    case "replay": {
      const [jti, exp] = args as [string, number];
      return createCloudflareReplayStore(env.REPLAY, {
        prefix: `${name}:`,
        ...clock(body),
      }).remember(jti, exp);
    }
    case "audit": {
      const times = Array.isArray(body.times) ? [...(body.times as number[])] : undefined;
      const audit = createCloudflareAuditStore(env.AUDIT, {
        trail: name,
        ...(times ? { now: () => times.shift() ?? Date.now() } : {}),
      });
      switch (body.op) {
        case "append": {
          // Appended together, in order, as a gateway isolate's concurrent requests would be.
          const settled = await Promise.allSettled(
            (args as never[]).map((record) => audit.append(record)),
          );
          return settled.map((outcome) =>
            outcome.status === "fulfilled"
              ? { entry: outcome.value }
              : { error: (outcome.reason as Error).message },
          );
        }
        case "query":
          return audit.query(args[0] as never);
        case "export": {
          const entries = [];
          for await (const entry of audit.export((args[0] ?? {}) as never)) entries.push(entry);
          return entries;
        }
        case "verify":
          return audit.verify((args[0] ?? {}) as never);
        case "head":
          return audit.head();
        case "tamper":
          return tamperCloudflareAuditTrail(env.AUDIT, name, args[0] as never);
      }
      break;
    }
    case "schema-registry": {
      const registry = createCloudflareSchemaRegistryStore(env.SCHEMAS, { registry: name });
      const op = String(body.op);
      if (op === "seed") {
        return env.SCHEMAS.get(env.SCHEMAS.idFromName(name)).seed(args[0] as never);
      }
      const method = (registry as unknown as Record<string, (...a: unknown[]) => unknown>)[op];
      if (typeof method === "function") return method(...args);
      break;
    }
  }
  throw new Error(`unknown store operation ${store} ${String(body.op)}`);
}

/** `POST /__test/stores/<store>` with `{ name, op, args, nowMs? }`; answers `{ value }`. */
export async function serveTestSurface(request: Request, env: WorkerEnv): Promise<Response> {
  const store = new URL(request.url).pathname.slice(TEST_SURFACE_PREFIX.length);
  try {
    const body = (await request.json()) as Body;
    return json({ value: await handle(store, body, env) });
  } catch (error) {
    return failure(error);
  }
}
