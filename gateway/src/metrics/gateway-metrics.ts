/** The metrics the gateway keeps: requests, sources, rate limits, audit writes and tokens. */

import type { SourceHealth } from "../../../adapters/core/source.ts";
import { Counter, Gauge, Histogram, Registry } from "./registry.ts";

const CIRCUIT_VALUE = { CLOSED: 0, HALF_OPEN: 1, OPEN: 2 } as const;

export interface GatewayMetrics {
  readonly registry: Registry;
  readonly requests: Counter;
  readonly requestDuration: Histogram;
  readonly sourceDuration: Histogram;
  readonly sourceFailures: Counter;
  readonly rateLimitRefusals: Counter;
  /** Refusals that came after the sources were asked (middleware/known-room.ts). */
  readonly rateLimitRefusalsAfterSources: Counter;
  readonly auditAppendDuration: Histogram;
  readonly auditAppendFailures: Counter;
  /** Audit batches the shared chain sent back to be resealed, by reason (stores/audit/redis.ts). */
  readonly auditChainRetries: Counter;
  readonly tokensIssued: Counter;
}

/** Builds the registry; `sources` is read at scrape time for circuit states. */
export function createGatewayMetrics(sources: () => readonly SourceHealth[]): GatewayMetrics {
  const registry = new Registry();
  const metrics: GatewayMetrics = {
    registry,
    requests: registry.register(
      new Counter(
        "simpul_http_requests_total",
        "HTTP requests by route pattern, method and status.",
      ),
    ),
    requestDuration: registry.register(
      new Histogram(
        "simpul_http_request_duration_seconds",
        "Time to answer, by route pattern and method.",
      ),
    ),
    sourceDuration: registry.register(
      new Histogram(
        "simpul_source_call_duration_seconds",
        "Source calls (retries included) by source and outcome.",
      ),
    ),
    sourceFailures: registry.register(
      new Counter(
        "simpul_source_failures_total",
        "Failed source calls by source and failure kind.",
      ),
    ),
    rateLimitRefusals: registry.register(
      new Counter("simpul_rate_limit_refusals_total", "Requests refused with 429, by client."),
    ),
    rateLimitRefusalsAfterSources: registry.register(
      new Counter(
        "simpul_rate_limit_refusals_after_sources_total",
        "Requests refused with 429 after their sources were asked (another process took the client's last room meanwhile), by client.",
      ),
    ),
    auditAppendDuration: registry.register(
      new Histogram("simpul_audit_append_duration_seconds", "Time to append one audit record."),
    ),
    auditAppendFailures: registry.register(
      new Counter("simpul_audit_append_failures_total", "Audit records that could not be written."),
    ),
    auditChainRetries: registry.register(
      new Counter(
        "simpul_audit_chain_retries_total",
        "Audit batches resealed because another gateway process appended first (reason head-moved) or held the turn (reason turn).",
      ),
    ),
    tokensIssued: registry.register(
      new Counter("simpul_tokens_issued_total", "Access tokens issued, by client."),
    ),
  };
  registry.register(
    new Gauge(
      "simpul_source_circuit_state",
      "Circuit breaker per source: 0 closed, 1 half-open, 2 open.",
      () =>
        sources().map((health) => ({
          labels: { source: health.id },
          value: CIRCUIT_VALUE[health.circuit],
        })),
    ),
  );
  return metrics;
}
