/** Workers configuration: bindings, vars and secrets, checked once with a schema, at the entry. */
import { z } from "zod";
import { ExternalIssuersSetting } from "../auth/external-issuers.ts";
import type { AuditTrail } from "../stores/audit/cloudflare.ts";
import type { RateLimitCounter } from "../stores/rate-limit/cloudflare.ts";
import type { ReplayGuard } from "../stores/replay/cloudflare.ts";
import type { SchemaRegistry } from "../stores/schema-registry/cloudflare.ts";

/** The bindings wrangler.toml declares; vars and secrets arrive on the same object as strings. */
export interface WorkerEnv {
  readonly RATE_LIMITS: DurableObjectNamespace<RateLimitCounter>;
  readonly AUDIT: DurableObjectNamespace<AuditTrail>;
  readonly REPLAY: DurableObjectNamespace<ReplayGuard>;
  readonly SCHEMAS: DurableObjectNamespace<SchemaRegistry>;
  /** The prepared assets directory (Swagger UI, canonical schemas), read by the worker only. */
  readonly ASSETS: Fetcher;
  /** Optional: the client file under the key `clients.json`, instead of SIMPUL_CLIENTS. */
  readonly CONFIG?: KVNamespace;
  /** Optional, approximate: Cloudflare's Rate Limiting binding (SIMPUL_RATE_LIMIT_MODE). */
  readonly RATE_LIMITER?: RateLimit;
  readonly [name: string]: unknown;
}

/** Published in wrangler.toml for development and test; refused in staging and production. */
export const DEV_SIGNING_KEY_THUMBPRINT = "ZnO3soDWulrZnHUi8XF3JIWbjss49j2_wAs4EqGzAEQ";
export const DEV_AUDIT_KEY = "simpul-development-audit-key-do-not-use-in-production";

const binding = (name: string, method: string) =>
  z.custom<unknown>(
    (value) =>
      typeof value === "object" &&
      value !== null &&
      typeof (value as Record<string, unknown>)[method] === "function",
    { message: `binding ${name} is missing (declare it for this environment in wrangler.toml)` },
  );
const optionalBinding = (name: string, method: string) => binding(name, method).optional();
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const WorkerConfig = z.object({
  RATE_LIMITS: binding("RATE_LIMITS", "idFromName"),
  AUDIT: binding("AUDIT", "idFromName"),
  REPLAY: binding("REPLAY", "idFromName"),
  SCHEMAS: binding("SCHEMAS", "idFromName"),
  ASSETS: binding("ASSETS", "fetch"),
  CONFIG: optionalBinding("CONFIG", "get"),
  RATE_LIMITER: optionalBinding("RATE_LIMITER", "limit"),

  SIMPUL_ENV: z.enum(["development", "test", "staging", "production"]),
  /** Public base URL and token issuer; defaults to the origin of each request. */
  SIMPUL_PUBLIC_URL: z.url().optional(),
  SIMPUL_AUDIENCE: z.string().min(1).default("simpul"),
  SIMPUL_TOKEN_TTL_SECONDS: int(30, 3600).default(300),
  /** Secret: a private EC P-256 JWK (JSON). */
  SIMPUL_SIGNING_KEY: z.string().min(1, "set it with `wrangler secret put SIMPUL_SIGNING_KEY`"),
  /** Secret: the NIK HMAC key of the audit trail (at least 32 bytes, never rotated). */
  SIMPUL_AUDIT_KEY: z.string().min(32, "set it with `wrangler secret put SIMPUL_AUDIT_KEY`"),
  /** Secret: the client file (JSON). Else KV CONFIG `clients.json`; else, in development only, the demo clients. */
  SIMPUL_CLIENTS: z.string().min(1).optional(),
  SIMPUL_EXTERNAL_ISSUERS: ExternalIssuersSetting.default([]),
  SIMPUL_DUKCAPIL_URL: z.url(),
  SIMPUL_DUKCAPIL_USER: z.string().min(1),
  SIMPUL_DUKCAPIL_PASSWORD: z
    .string()
    .min(1, "a secret: `wrangler secret put SIMPUL_DUKCAPIL_PASSWORD`"),
  SIMPUL_DUKCAPIL_IP: z.string().default("127.0.0.1"),
  SIMPUL_KEMENSOS_URL: z.url(),
  SIMPUL_KEMENSOS_API_KEY: z
    .string()
    .min(1, "a secret: `wrangler secret put SIMPUL_KEMENSOS_API_KEY`"),
  SIMPUL_KEMNAKER_URL: z.url(),
  SIMPUL_KEMNAKER_CLIENT_ID: z.string().min(1),
  SIMPUL_KEMNAKER_CLIENT_SECRET: z
    .string()
    .min(1, "a secret: `wrangler secret put SIMPUL_KEMNAKER_CLIENT_SECRET`"),
  SIMPUL_KEMENKOPUKM_URL: z.url(),
  SIMPUL_KEMENKOPUKM_USER: z.string().min(1),
  SIMPUL_KEMENKOPUKM_PASSWORD: z
    .string()
    .min(1, "a secret: `wrangler secret put SIMPUL_KEMENKOPUKM_PASSWORD`"),
  /** `exact` (Durable Objects, the default) or `approximate` (the Rate Limiting binding). */
  SIMPUL_RATE_LIMIT_MODE: z.enum(["exact", "approximate"]).default("exact"),
  SIMPUL_RATE_LIMIT_FAILURE: z.enum(["closed", "open"]).default("closed"),
  /** Ask a request's sources while its charge is decided, for clients known to have room. */
  SIMPUL_ASK_SOURCES_WHILE_CHARGING: z.stringbool().default(true),
  /** NIKs per bulk call to each source in a batch check (see README: subrequest budget). */
  SIMPUL_BATCH_CHUNK_SIZE: int(1, 1000).default(1000),
  /** Chunks in flight at once; Workers open at most 6 connections per request anyway. */
  SIMPUL_BATCH_PARALLEL_CHUNKS: int(1, 16).default(2),
  /** Attempts per idempotent source call, the first included (each one is a subrequest). */
  SIMPUL_SOURCE_ATTEMPTS: int(1, 5).default(2),
  SIMPUL_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export type WorkerConfig = z.infer<typeof WorkerConfig> & {
  readonly bindings: WorkerEnv;
};

export class WorkerConfigError extends Error {
  override readonly name = "WorkerConfigError";
}

/** Parses the bindings and vars; names every missing or invalid one, and refuses dev settings in production. */
export function parseWorkerConfig(env: WorkerEnv): WorkerConfig {
  const parsed = WorkerConfig.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new WorkerConfigError(`Invalid Workers configuration:\n${lines.join("\n")}`);
  }
  const config = parsed.data;
  if (config.SIMPUL_ENV === "staging" || config.SIMPUL_ENV === "production") {
    const refusals = [
      config.SIMPUL_AUDIT_KEY === DEV_AUDIT_KEY &&
        "SIMPUL_AUDIT_KEY is the published development key (audit NIK digests would be reversible)",
      config.SIMPUL_CLIENTS === undefined &&
        env.CONFIG === undefined &&
        "no client registry: set the SIMPUL_CLIENTS secret or bind the CONFIG KV namespace",
      config.SIMPUL_EXTERNAL_ISSUERS.some((entry) => !entry.jwksUrl.startsWith("https:")) &&
        "SIMPUL_EXTERNAL_ISSUERS has a jwksUrl over plain http",
    ].filter((reason): reason is string => typeof reason === "string");
    if (refusals.length > 0) {
      throw new WorkerConfigError(
        `Refusing to serve with SIMPUL_ENV=${config.SIMPUL_ENV} and development settings:\n${refusals
          .map((reason) => `  - ${reason}`)
          .join("\n")}`,
      );
    }
  }
  if (config.SIMPUL_RATE_LIMIT_MODE === "approximate" && env.RATE_LIMITER === undefined) {
    throw new WorkerConfigError(
      "SIMPUL_RATE_LIMIT_MODE=approximate needs a RATE_LIMITER ratelimits binding in wrangler.toml",
    );
  }
  return { ...config, bindings: env };
}
