/** Everything the app needs from its runtime, injected once by an entry (Node or Workers). */
import type { EnrolmentAdapter } from "../../adapters/core/enrolment-source.ts";
import type { DukcapilAdapter } from "../../adapters/dukcapil/adapter.ts";
import type { RuleSet } from "../../schemas/src/enrolment.ts";
import type { SigningKey } from "./auth/signing-key.ts";
import type { TokenVerifier } from "./auth/tokens.ts";
import type { ClientRegistry } from "./clients/client.ts";
import type { Logger } from "./logging/logger.ts";
import type { RateLimitStore } from "./stores/rate-limit/port.ts";

export interface GatewaySettings {
  /** This gateway's issuer identifier (RFC 8414), also the `iss` of its tokens. */
  readonly issuer: string;
  readonly audience: string;
  readonly tokenTtlSeconds: number;
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
  readonly dukcapil: DukcapilAdapter;
  readonly enrolmentSources: readonly EnrolmentAdapter[];
  /** The program catalogue and cross-program rules in force. */
  readonly ruleSet: RuleSet;
  readonly docsAssets?: DocsAssets;
  readonly logger: Logger;
  /** Extra readiness probes (Redis, sources); each resolves to a short status. */
  readonly readinessChecks?: Readonly<Record<string, () => Promise<boolean>>>;
}
