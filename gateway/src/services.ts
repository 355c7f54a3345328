/** Everything the app needs from its runtime, injected once by an entry (Node or Workers). */
import type { EnrolmentAdapter } from "../../adapters/core/enrolment-source.ts";
import type { DukcapilAdapter } from "../../adapters/dukcapil/adapter.ts";
import type { RuleSet } from "../../schemas/src/enrolment.ts";
import type { SigningKey } from "./auth/signing-key.ts";
import type { TokenVerifier } from "./auth/tokens.ts";
import type { ClientRegistry } from "./clients/client.ts";
import type { BatchOptions } from "./enrolments/batch.ts";
import type { RequestAccess } from "./http/request-access.ts";
import type { Logger } from "./logging/logger.ts";
import type { GatewayMetrics } from "./metrics/gateway-metrics.ts";
import type { NikHasher } from "./stores/audit/nik-hmac.ts";
import type { AuditStore } from "./stores/audit/port.ts";
import type { RateLimitStore } from "./stores/rate-limit/port.ts";
import type { ReplayStore } from "./stores/replay/port.ts";
import type { SchemaRegistryStore } from "./stores/schema-registry/port.ts";

export interface GatewaySettings {
  /** This gateway's issuer identifier (RFC 8414), also the `iss` of its tokens. */
  readonly issuer: string;
  readonly audience: string;
  readonly tokenTtlSeconds: number;
  /** Bearer token that opens `GET /metrics` on the main port; unset keeps it closed. */
  readonly metricsToken?: string;
  /** When the rate-limit store cannot answer: refuse with 503 (`closed`) or admit unmetered. */
  readonly rateLimitFailure?: "closed" | "open";
  /**
   * Whether a personal-data route may ask its sources while its charge is being decided, when
   * the client is known to have room (middleware/known-room.ts); on unless set to false.
   */
  readonly askSourcesWhileCharging?: boolean;
}

/** Static files for /docs, served by the gateway itself so the page needs no internet. */
export interface DocsAssets {
  get(name: string): { body: string; contentType: string } | undefined;
}

export interface Services {
  readonly settings: GatewaySettings;
  readonly signingKey: SigningKey;
  readonly verifyToken: TokenVerifier;
  readonly clients: ClientRegistry;
  readonly rateLimits: RateLimitStore;
  /** Token ids (`jti`) already used, e.g. of `private_key_jwt` client assertions. */
  readonly replay: ReplayStore;
  /** The append-only, hash-chained trail; personal data is released only once recorded here. */
  readonly audit: AuditStore;
  /** Keyed digest of a NIK, so the trail never holds a raw NIK yet can be searched by one. */
  readonly nikHmac: NikHasher;
  readonly dukcapil: DukcapilAdapter;
  readonly enrolmentSources: readonly EnrolmentAdapter[];
  /** The program catalogue and cross-program rules in force. */
  readonly ruleSet: RuleSet;
  /** Versioned JSON Schemas that data stewards publish, seeded with the canonical ones. */
  readonly schemaRegistry: SchemaRegistryStore;
  /** How batch checks chunk their NIKs; Workers size it to their subrequest limit. */
  readonly batch?: BatchOptions;
  readonly docsAssets?: DocsAssets;
  /** Reads bodies and client disconnects; the Fetch `Request` when unset. */
  readonly requestAccess?: RequestAccess;
  readonly logger: Logger;
  readonly metrics?: GatewayMetrics;
  /**
   * While `enabled`, every API route answers 503 and readiness fails; while `draining` (on
   * shutdown) requests are still served but readiness fails, so load balancers move away.
   */
  readonly maintenance?: { enabled: boolean; draining?: boolean };
  /** Extra readiness probes (Redis, sources); each resolves to a short status. */
  readonly readinessChecks?: Readonly<Record<string, () => Promise<boolean>>>;
}
