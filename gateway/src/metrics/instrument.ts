/** Wraps the pieces whose timing operators need, without changing what they do. */
import type { SourceClient } from "../../../adapters/core/source-client.ts";
import type { AuditStore } from "../stores/audit/port.ts";
import type { GatewayMetrics } from "./gateway-metrics.ts";

/** Times every source call as its caller experiences it (retries and waits included). */
export function instrumentSourceClient(
  client: SourceClient,
  metrics: GatewayMetrics,
): SourceClient {
  return {
    ...client,
    health: () => client.health(),
    close: () => client.close(),
    async call(request, options) {
      const started = performance.now();
      const result = await client.call(request, options);
      const outcome = result.ok ? "ok" : result.error.kind.toLowerCase();
      metrics.sourceDuration.observe(
        { source: client.id, outcome },
        (performance.now() - started) / 1000,
      );
      if (!result.ok) metrics.sourceFailures.inc({ source: client.id, kind: result.error.kind });
      return result;
    },
  };
}

/** Times audit appends and counts the ones that fail. */
export function instrumentAuditStore(store: AuditStore, metrics: GatewayMetrics): AuditStore {
  return {
    ...store,
    query: (query) => store.query(query),
    export: (filter) => store.export(filter),
    verify: (range) => store.verify(range),
    head: () => store.head(),
    async append(record) {
      const started = performance.now();
      try {
        return await store.append(record);
      } catch (error) {
        metrics.auditAppendFailures.inc();
        throw error;
      } finally {
        metrics.auditAppendDuration.observe({}, (performance.now() - started) / 1000);
      }
    },
  };
}
