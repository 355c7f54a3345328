/** Wires Workers bindings into the app's services: fetch transports, Durable Object stores, secrets. */

import { createFetchTransport } from "../../../adapters/core/fetch-transport.ts";
import type { SourceId } from "../../../adapters/core/source.ts";
import { createSourceClient, type SourceClient } from "../../../adapters/core/source-client.ts";
import { createDukcapilAdapter } from "../../../adapters/dukcapil/adapter.ts";
import { createKemenkopUkmAdapter } from "../../../adapters/kemenkopukm/adapter.ts";
import { createKemensosAdapter } from "../../../adapters/kemensos/adapter.ts";
import { createKemnakerAdapter } from "../../../adapters/kemnaker/adapter.ts";
import devClients from "../../config/dev-clients.json" with { type: "json" };
import { createExternalTokenVerifier } from "../auth/external-issuers.ts";
import { importSigningKey } from "../auth/signing-key.ts";
import { createTokenVerifier, routeByIssuer } from "../auth/tokens.ts";
import { parseClientFile } from "../clients/client-file.ts";
import { createMemoryClientRegistry } from "../clients/memory-registry.ts";
import { createJsonLogger } from "../logging/logger.ts";
import { CURRENT_RULE_SET } from "../programs/rule-set.ts";
import type { DocsAssets, Services } from "../services.ts";
import { createCloudflareAuditStore } from "../stores/audit/cloudflare.ts";
import { createNikHasher } from "../stores/audit/nik-hmac.ts";
import {
  createApproximateRateLimitStore,
  createCloudflareRateLimitStore,
} from "../stores/rate-limit/cloudflare.ts";
import { createCloudflareReplayStore } from "../stores/replay/cloudflare.ts";
import { createCloudflareSchemaRegistryStore } from "../stores/schema-registry/cloudflare.ts";
import type { SchemaSeed } from "../stores/schema-registry/port.ts";
import { DEV_SIGNING_KEY_THUMBPRINT, type WorkerConfig, WorkerConfigError } from "./config.ts";

/** Per-source caps, as on Node; retries are fewer because every attempt is a subrequest. */
const POLICY: Record<SourceId, { timeoutMs: number; maxResponseBytes: number }> = {
  dukcapil: { timeoutMs: 3_000, maxResponseBytes: 4 * 1024 * 1024 },
  kemensos: { timeoutMs: 3_000, maxResponseBytes: 8 * 1024 * 1024 },
  kemnaker: { timeoutMs: 3_000, maxResponseBytes: 8 * 1024 * 1024 },
  kemenkopukm: { timeoutMs: 3_000, maxResponseBytes: 8 * 1024 * 1024 },
};

function workerSourceClient(id: SourceId, attempts: number): SourceClient {
  const policy = POLICY[id];
  return createSourceClient({
    id,
    transport: createFetchTransport(),
    timeoutMs: policy.timeoutMs,
    attemptTimeoutMs: Math.round(policy.timeoutMs / Math.max(1, attempts - 0.5)),
    maxResponseBytes: policy.maxResponseBytes,
    retries: { attempts, baseDelayMs: 50, maxDelayMs: 1_000 },
    breaker: { failureThreshold: 10, windowMs: 10_000, openMs: 5_000, halfOpenProbes: 2 },
    // No queue: a call waiting for a slot another request holds would wait on that request's
    // I/O, which Workers cancel as hung. Workers cap open connections per request at 6 anyway.
    maxConcurrent: 1_000_000,
    maxQueue: 0,
  });
}

/** Reads a prepared asset (see scripts/prepare-worker-assets.ts) through the ASSETS binding. */
async function readAsset(config: WorkerConfig, path: string): Promise<string> {
  const response = await config.bindings.ASSETS.fetch(new Request(`https://assets.local/${path}`));
  if (!response.ok) {
    throw new WorkerConfigError(
      `asset ${path} is missing (${response.status}); wrangler's build command prepares it`,
    );
  }
  return response.text();
}

async function loadDocsAssets(config: WorkerConfig): Promise<DocsAssets> {
  const files = {
    "swagger-ui.css": "text/css; charset=utf-8",
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  };
  const entries = await Promise.all(
    Object.entries(files).map(
      async ([name, contentType]) =>
        [name, { body: await readAsset(config, `docs/${name}`), contentType }] as const,
    ),
  );
  const assets = new Map(entries);
  return { get: (name) => assets.get(name) };
}

async function loadClients(config: WorkerConfig) {
  if (config.SIMPUL_CLIENTS !== undefined)
    return parseClientFile(JSON.parse(config.SIMPUL_CLIENTS));
  const stored = await config.bindings.CONFIG?.get("clients.json", "json");
  if (stored !== undefined && stored !== null) return parseClientFile(stored);
  if (config.SIMPUL_ENV === "development" || config.SIMPUL_ENV === "test") {
    return parseClientFile(devClients);
  }
  throw new WorkerConfigError("no client registry: set SIMPUL_CLIENTS or KV CONFIG clients.json");
}

/** Everything `createApp` needs, for one isolate; `issuer` is this gateway's public origin. */
export async function buildWorkerServices(config: WorkerConfig, issuer: string): Promise<Services> {
  const { bindings } = config;
  const signingKey = await importSigningKey(JSON.parse(config.SIMPUL_SIGNING_KEY));
  const development = config.SIMPUL_ENV === "development" || config.SIMPUL_ENV === "test";
  if (!development && signingKey.kid === DEV_SIGNING_KEY_THUMBPRINT) {
    throw new WorkerConfigError(
      `SIMPUL_SIGNING_KEY is the development key published in wrangler.toml; refused with SIMPUL_ENV=${config.SIMPUL_ENV}`,
    );
  }
  const [clients, docsAssets] = await Promise.all([loadClients(config), loadDocsAssets(config)]);
  const registry = createMemoryClientRegistry(clients);
  const attempts = config.SIMPUL_SOURCE_ATTEMPTS;
  const audit = createCloudflareAuditStore(bindings.AUDIT);
  const dukcapil = createDukcapilAdapter({
    client: workerSourceClient("dukcapil", attempts),
    baseUrl: config.SIMPUL_DUKCAPIL_URL,
    credentials: {
      user_id: config.SIMPUL_DUKCAPIL_USER,
      password: config.SIMPUL_DUKCAPIL_PASSWORD,
      ip_user: config.SIMPUL_DUKCAPIL_IP,
    },
  });
  return {
    settings: {
      issuer,
      audience: config.SIMPUL_AUDIENCE,
      tokenTtlSeconds: config.SIMPUL_TOKEN_TTL_SECONDS,
      rateLimitFailure: config.SIMPUL_RATE_LIMIT_FAILURE,
      askSourcesWhileCharging: config.SIMPUL_ASK_SOURCES_WHILE_CHARGING,
    },
    signingKey,
    verifyToken: routeByIssuer([
      {
        issuer,
        verify: createTokenVerifier([signingKey], { issuer, audience: config.SIMPUL_AUDIENCE }),
      },
      ...config.SIMPUL_EXTERNAL_ISSUERS.map((entry) => createExternalTokenVerifier(entry)),
    ]),
    clients: registry,
    rateLimits:
      config.SIMPUL_RATE_LIMIT_MODE === "approximate" && bindings.RATE_LIMITER
        ? createApproximateRateLimitStore(bindings.RATE_LIMITER)
        : createCloudflareRateLimitStore(bindings.RATE_LIMITS),
    replay: createCloudflareReplayStore(bindings.REPLAY),
    audit,
    nikHmac: createNikHasher(config.SIMPUL_AUDIT_KEY),
    dukcapil,
    enrolmentSources: [
      createKemensosAdapter({
        client: workerSourceClient("kemensos", attempts),
        baseUrl: config.SIMPUL_KEMENSOS_URL,
        credentials: { apiKey: config.SIMPUL_KEMENSOS_API_KEY },
      }),
      createKemnakerAdapter({
        client: workerSourceClient("kemnaker", attempts),
        baseUrl: config.SIMPUL_KEMNAKER_URL,
        credentials: {
          clientId: config.SIMPUL_KEMNAKER_CLIENT_ID,
          clientSecret: config.SIMPUL_KEMNAKER_CLIENT_SECRET,
        },
        shareTokenRequests: false,
      }),
      createKemenkopUkmAdapter({
        client: workerSourceClient("kemenkopukm", attempts),
        baseUrl: config.SIMPUL_KEMENKOPUKM_URL,
        credentials: {
          username: config.SIMPUL_KEMENKOPUKM_USER,
          password: config.SIMPUL_KEMENKOPUKM_PASSWORD,
        },
      }),
    ],
    ruleSet: CURRENT_RULE_SET,
    schemaRegistry: createCloudflareSchemaRegistryStore(bindings.SCHEMAS, {
      seed: async () =>
        JSON.parse(await readAsset(config, "schemas/canonical.json")) as SchemaSeed[],
    }),
    batch: {
      chunkSize: config.SIMPUL_BATCH_CHUNK_SIZE,
      parallelChunks: config.SIMPUL_BATCH_PARALLEL_CHUNKS,
    },
    docsAssets,
    logger: createJsonLogger(config.SIMPUL_LOG_LEVEL),
    readinessChecks: {
      signingKey: async () => signingKey.publicJwk.kid !== undefined,
      clients: async () => (await registry.list()).length > 0,
      audit: async () => (await audit.head()).sequence >= 0,
    },
  };
}
