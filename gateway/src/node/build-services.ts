/** Wires Node's runtime into the app's services: undici pools, stores, keys, clients, sources. */
import { readFile } from "node:fs/promises";
import { createExternalTokenVerifier } from "../auth/external-issuers.ts";
import { generateSigningKey, importSigningKey } from "../auth/signing-key.ts";
import { createTokenVerifier, routeByIssuer } from "../auth/tokens.ts";
import { parseClientFile } from "../clients/client-file.ts";
import { createMemoryClientRegistry } from "../clients/memory-registry.ts";
import type { Logger } from "../logging/logger.ts";
import { createGatewayMetrics } from "../metrics/gateway-metrics.ts";
import { instrumentAuditStore } from "../metrics/instrument.ts";
import { CURRENT_RULE_SET } from "../programs/rule-set.ts";
import type { Services } from "../services.ts";
import type { NodeConfig } from "./config.ts";
import { useNodeSha256 } from "./digest.ts";
import { loadDocsAssets } from "./docs-assets.ts";
import { type EmbeddedSources, startEmbeddedSources } from "./embedded-sources.ts";
import { nodeRequestAccess } from "./incoming-request.ts";
import { buildSchemaRegistry } from "./schema-registry.ts";
import { buildSourceAdapters } from "./sources.ts";
import { buildNodeStores } from "./stores.ts";

export interface NodeServices {
  readonly services: Services;
  /** Simulators started in-process (embedded mode only), e.g. to list example NIKs. */
  readonly embedded?: EmbeddedSources;
  close(): Promise<void>;
}

export async function buildNodeServices(
  config: NodeConfig,
  logger: Logger,
  issuer: string,
): Promise<NodeServices> {
  useNodeSha256();
  const signingKey = config.SIMPUL_SIGNING_KEY
    ? await importSigningKey(JSON.parse(config.SIMPUL_SIGNING_KEY))
    : await generateSigningKey();
  const clients = await parseClientFile(
    JSON.parse(await readFile(config.SIMPUL_CLIENTS_FILE, "utf8")),
  );

  const embedded =
    config.SIMPUL_SOURCES === "embedded"
      ? await startEmbeddedSources({
          seed: config.SIMPUL_WORLD_SEED,
          size: config.SIMPUL_WORLD_SIZE,
        })
      : undefined;
  let sourceHealth: () => ReturnType<Services["dukcapil"]["health"]>[] = () => [];
  const metrics = createGatewayMetrics(() => sourceHealth());
  const { dukcapil, enrolmentSources } = buildSourceAdapters(config, embedded?.simulators, metrics);
  sourceHealth = () => [dukcapil, ...enrolmentSources].map((adapter) => adapter.health());
  const stores = await buildNodeStores(config, {
    onAuditRetry: (reason) => metrics.auditChainRetries.inc({ reason }),
  });

  const services: Services = {
    settings: {
      issuer,
      audience: config.SIMPUL_AUDIENCE,
      tokenTtlSeconds: config.SIMPUL_TOKEN_TTL_SECONDS,
      rateLimitFailure: config.SIMPUL_RATE_LIMIT_FAILURE,
      askSourcesWhileCharging: config.SIMPUL_ASK_SOURCES_WHILE_CHARGING,
      ...(config.SIMPUL_METRICS_TOKEN ? { metricsToken: config.SIMPUL_METRICS_TOKEN } : {}),
    },
    signingKey,
    verifyToken: routeByIssuer([
      {
        issuer,
        verify: createTokenVerifier([signingKey], { issuer, audience: config.SIMPUL_AUDIENCE }),
      },
      ...config.SIMPUL_EXTERNAL_ISSUERS.map((entry) => createExternalTokenVerifier(entry)),
    ]),
    clients: createMemoryClientRegistry(clients),
    rateLimits: stores.rateLimits,
    replay: stores.replay,
    audit: instrumentAuditStore(stores.audit, metrics),
    nikHmac: stores.nikHmac,
    dukcapil,
    enrolmentSources,
    ruleSet: CURRENT_RULE_SET,
    batch: {
      chunkSize: config.SIMPUL_BATCH_CHUNK_SIZE,
      parallelChunks: config.SIMPUL_BATCH_PARALLEL_CHUNKS,
    },
    schemaRegistry: await buildSchemaRegistry(stores.redis, config.SIMPUL_REDIS_PREFIX),
    docsAssets: loadDocsAssets(),
    requestAccess: nodeRequestAccess,
    logger,
    metrics,
    maintenance: { enabled: config.SIMPUL_MAINTENANCE },
    readinessChecks: {
      signingKey: async () => signingKey.publicJwk.kid !== undefined,
      clients: async () => (await createMemoryClientRegistry(clients).list()).length > 0,
      ...(stores.redis ? { redis: async () => (await stores.redis?.ping()) === "PONG" } : {}),
    },
  };
  return {
    services,
    ...(embedded ? { embedded } : {}),
    async close() {
      await Promise.all([dukcapil, ...enrolmentSources].map((adapter) => adapter.close()));
      await embedded?.close();
      await stores.close();
    },
  };
}
