/** Per-source client settings for Node: an undici pool plus the resilience policy. */

import type { SourceId } from "../../../adapters/core/source.ts";
import { createSourceClient, type SourceClient } from "../../../adapters/core/source-client.ts";
import { createUndiciTransport } from "../../../adapters/core/undici-transport.ts";

/** Timeouts and caps per source: Dukcapil answers small records fast; bulk replies are larger. */
const POLICY: Record<
  SourceId,
  { timeoutMs: number; maxResponseBytes: number; maxConcurrent: number }
> = {
  dukcapil: { timeoutMs: 3_000, maxResponseBytes: 256 * 1024, maxConcurrent: 256 },
  kemensos: { timeoutMs: 3_000, maxResponseBytes: 4 * 1024 * 1024, maxConcurrent: 256 },
  kemnaker: { timeoutMs: 3_000, maxResponseBytes: 4 * 1024 * 1024, maxConcurrent: 256 },
  kemenkopukm: { timeoutMs: 3_000, maxResponseBytes: 4 * 1024 * 1024, maxConcurrent: 256 },
};

export function nodeSourceClient(id: SourceId, url: string): SourceClient {
  const policy = POLICY[id];
  return createSourceClient({
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
}
