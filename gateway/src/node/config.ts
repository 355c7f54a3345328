/** Node configuration: read from the environment once, with a schema, at the entry. */
import { availableParallelism } from "node:os";
import { z } from "zod";
import { ExternalIssuersSetting } from "../auth/external-issuers.ts";

export const DEV_CLIENTS_FILE = "gateway/config/dev-clients.json";
/** Development only: a published key makes audit digests reversible by anyone. */
const DEV_AUDIT_KEY = "simpul-development-audit-key-do-not-use-in-production";

const NodeConfig = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65_535).default(8787),
  /** Processes serving PORT (node:cluster); `auto` is one per available core. */
  SIMPUL_WORKERS: z
    .union([z.literal("auto"), z.coerce.number().int().min(1).max(1024)], {
      error: "a whole number of processes from 1 to 1024, or `auto` (one per core)",
    })
    .transform((workers) => (workers === "auto" ? availableParallelism() : workers))
    .default(1),
  /** Public base URL; defaults to http://HOST:PORT. Also the token issuer. */
  SIMPUL_PUBLIC_URL: z.url().optional(),
  SIMPUL_AUDIENCE: z.string().min(1).default("simpul"),
  SIMPUL_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
  SIMPUL_CLIENTS_FILE: z.string().default(DEV_CLIENTS_FILE),
  /** A private EC P-256 JWK (JSON). Without it a key is generated at start-up (development). */
  SIMPUL_SIGNING_KEY: z.string().optional(),
  /** JSON array of external token issuers (see gateway/src/auth/external-issuers.ts). */
  SIMPUL_EXTERNAL_ISSUERS: ExternalIssuersSetting.default([]),
  /** `embedded` starts the simulators in-process; anything else is read from SIMPUL_*_URL. */
  SIMPUL_SOURCES: z.enum(["embedded", "external"]).default("embedded"),
  SIMPUL_WORLD_SEED: z.coerce.number().int().default(20_240_101),
  SIMPUL_WORLD_SIZE: z.coerce.number().int().min(100).max(5_000_000).default(20_000),
  SIMPUL_DUKCAPIL_URL: z.url().optional(),
  SIMPUL_DUKCAPIL_USER: z.string().optional(),
  SIMPUL_DUKCAPIL_PASSWORD: z.string().optional(),
  SIMPUL_DUKCAPIL_IP: z.string().default("127.0.0.1"),
  SIMPUL_KEMENSOS_URL: z.url().optional(),
  SIMPUL_KEMENSOS_API_KEY: z.string().optional(),
  SIMPUL_KEMNAKER_URL: z.url().optional(),
  SIMPUL_KEMNAKER_CLIENT_ID: z.string().optional(),
  SIMPUL_KEMNAKER_CLIENT_SECRET: z.string().optional(),
  SIMPUL_KEMENKOPUKM_URL: z.url().optional(),
  SIMPUL_KEMENKOPUKM_USER: z.string().optional(),
  SIMPUL_KEMENKOPUKM_PASSWORD: z.string().optional(),
  /** Redis for shared stores (rate limits, audit, replay, registries); memory stores without it. */
  REDIS_URL: z.string().optional(),
  SIMPUL_REDIS_PREFIX: z.string().default("simpul:"),
  SIMPUL_REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(50).max(10_000).default(500),
  /** Key of the NIK HMAC in the audit trail (at least 32 bytes); must stay the same across restarts. */
  SIMPUL_AUDIT_KEY: z.string().min(32).default(DEV_AUDIT_KEY),
  /** Opens `GET /metrics` on the main port to holders of this bearer token. */
  SIMPUL_METRICS_TOKEN: z.string().min(16).optional(),
  /** Serves `/metrics` (no token) on this loopback port, for a local Prometheus agent. */
  SIMPUL_METRICS_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  /** Start in maintenance mode (API answers 503); SIGUSR2 toggles it at run time. */
  SIMPUL_MAINTENANCE: z.stringbool().default(false),
  /** After SIGTERM, how long to keep accepting (readiness already failing) before closing. */
  SIMPUL_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  /** How long SIGTERM waits for in-flight requests before closing anyway. */
  SIMPUL_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(25_000),
  SIMPUL_RATE_LIMIT_FAILURE: z.enum(["closed", "open"]).default("closed"),
  /** Ask a request's sources while its charge is decided, for clients known to have room. */
  SIMPUL_ASK_SOURCES_WHILE_CHARGING: z.stringbool().default(true),
  /** NIKs per bulk call to each source in a batch check (capped by each source's bulk limit). */
  SIMPUL_BATCH_CHUNK_SIZE: z.coerce.number().int().min(1).max(1000).default(500),
  /** Chunks of a batch in flight at once: bounds memory and the load put on the sources. */
  SIMPUL_BATCH_PARALLEL_CHUNKS: z.coerce.number().int().min(1).max(16).default(4),
  /**
   * How far V8 lets the old generation grow between full collections, in percent of what survived
   * the last one (gateway/src/node/heap-growth.ts); 0 leaves V8's own choice (up to 300).
   */
  SIMPUL_HEAP_GROWING_PERCENT: z.coerce.number().int().min(0).max(300).default(100),
  SIMPUL_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export type NodeConfig = z.infer<typeof NodeConfig>;

const EXTERNAL_SOURCE_SETTINGS = [
  "SIMPUL_DUKCAPIL_URL",
  "SIMPUL_DUKCAPIL_USER",
  "SIMPUL_DUKCAPIL_PASSWORD",
  "SIMPUL_KEMENSOS_URL",
  "SIMPUL_KEMENSOS_API_KEY",
  "SIMPUL_KEMNAKER_URL",
  "SIMPUL_KEMNAKER_CLIENT_ID",
  "SIMPUL_KEMNAKER_CLIENT_SECRET",
  "SIMPUL_KEMENKOPUKM_URL",
  "SIMPUL_KEMENKOPUKM_USER",
  "SIMPUL_KEMENKOPUKM_PASSWORD",
] as const satisfies readonly (keyof NodeConfig)[];

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Parses the environment; refuses development defaults in production with a clear message. */
export function parseNodeConfig(env: Record<string, string | undefined>): NodeConfig {
  const parsed = NodeConfig.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const config = parsed.data;
  if (config.NODE_ENV === "production") {
    const refusals = [
      config.SIMPUL_CLIENTS_FILE === DEV_CLIENTS_FILE &&
        `SIMPUL_CLIENTS_FILE is the development file (${DEV_CLIENTS_FILE}) whose secrets are public`,
      config.SIMPUL_SIGNING_KEY === undefined &&
        "SIMPUL_SIGNING_KEY is not set (a generated key would change at every restart)",
      config.SIMPUL_SOURCES === "embedded" &&
        "SIMPUL_SOURCES is `embedded` (simulated ministries, not real ones)",
      config.SIMPUL_EXTERNAL_ISSUERS.some((entry) => !entry.jwksUrl.startsWith("https:")) &&
        "SIMPUL_EXTERNAL_ISSUERS has a jwksUrl over plain http (its keys could be swapped in transit)",
      config.SIMPUL_AUDIT_KEY === DEV_AUDIT_KEY &&
        "SIMPUL_AUDIT_KEY is the published development key (audit NIK digests would be reversible)",
      config.REDIS_URL === undefined &&
        "REDIS_URL is not set (an in-memory audit trail is lost at every restart)",
    ].filter((reason): reason is string => typeof reason === "string");
    if (refusals.length > 0) {
      throw new ConfigError(
        `Refusing to start with NODE_ENV=production and development settings:\n${refusals
          .map((reason) => `  - ${reason}`)
          .join("\n")}\nSee README.md, "Deploying".`,
      );
    }
  }
  if (config.SIMPUL_SOURCES === "external") {
    const missing = EXTERNAL_SOURCE_SETTINGS.filter((name) => !config[name]);
    if (missing.length > 0) {
      throw new ConfigError(`SIMPUL_SOURCES=external needs: ${missing.join(", ")}.`);
    }
  }
  if (config.SIMPUL_WORKERS > 1) {
    // Workers share nothing but the listening socket and what they reach over the network.
    const refusals = [
      config.REDIS_URL === undefined &&
        "REDIS_URL is not set (memory stores are per process: rate limits, the audit chain, token replay and the schema registry would split between workers)",
      config.SIMPUL_SOURCES === "embedded" &&
        "SIMPUL_SOURCES is `embedded` (the simulators would start once per worker); use `external`",
      config.SIMPUL_SIGNING_KEY === undefined &&
        "SIMPUL_SIGNING_KEY is not set (each worker would generate its own key and refuse the others' tokens)",
      config.SIMPUL_METRICS_PORT !== undefined &&
        "SIMPUL_METRICS_PORT is set (the side port would answer for one worker at a time, not the gateway)",
    ].filter((reason): reason is string => typeof reason === "string");
    if (refusals.length > 0) {
      const setting = `SIMPUL_WORKERS=${env.SIMPUL_WORKERS}`;
      const named =
        env.SIMPUL_WORKERS === String(config.SIMPUL_WORKERS)
          ? setting
          : `${setting} (${config.SIMPUL_WORKERS} workers)`;
      throw new ConfigError(
        `Refusing to start with ${named}:\n${refusals
          .map((reason) => `  - ${reason}`)
          .join("\n")}\nSee README.md, "Operations".`,
      );
    }
  }
  return config;
}
