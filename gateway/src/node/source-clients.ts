/** Per-source client settings for Node: an undici pool plus the resilience policy. */

import type { SourceId } from "../../../adapters/core/source.ts";
import { createSourceClient, type SourceClient } from "../../../adapters/core/source-client.ts";
import { createUndiciTransport } from "../../../adapters/core/undici-transport.ts";
import type { GatewayMetrics } from "../metrics/gateway-metrics.ts";
import { instrumentSourceClient } from "../metrics/instrument.ts";

/** Timeouts and caps per source: Dukcapil answers small records fast; bulk replies are larger. */
const POLICY: Record<
  SourceId,
  { timeoutMs: number; maxResponseBytes: number; maxConcurrent: number }
> = {
  // A CALL_NIK_BULK reply of 1,000 records is about 0.8 MB.
  dukcapil: { timeoutMs: 3_000, maxResponseBytes: 2 * 1024 * 1024, maxConcurrent: 256 },
  kemensos: { timeoutMs: 3_000, maxResponseBytes: 4 * 1024 * 1024, maxConcurrent: 256 },
  kemnaker: { timeoutMs: 3_000, maxResponseBytes: 4 * 1024 * 1024, maxConcurrent: 256 },
  kemenkopukm: { timeoutMs: 3_000, maxResponseBytes: 4 * 1024 * 1024, maxConcurrent: 256 },
};

export function nodeSourceClient(
  id: SourceId,
  url: string,
  metrics?: GatewayMetrics,
): SourceClient {
  const policy = POLICY[id];
  const client = createSourceClient({
    id,
    transport: createUndiciTransport({ origin: url, connections: 64 }),
    timeoutMs: policy.timeoutMs,
    // Two or three attempts fit inside the deadline when the first one hangs.
    attemptTimeoutMs: Math.round(policy.timeoutMs / 2.5),
    maxResponseBytes: policy.maxResponseBytes,
    retries: { attempts: 3, baseDelayMs: 50, maxDelayMs: 1_000 },
    breaker: { failureThreshold: 10, windowMs: 10_000, openMs: 5_000, halfOpenProbes: 2 },
    maxConcurrent: policy.maxConcurrent,
    maxQueue: policy.maxConcurrent * 8,
  });
  return metrics ? instrumentSourceClient(client, metrics) : client;
}
