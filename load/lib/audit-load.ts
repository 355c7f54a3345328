/** What the audit micro-benchmarks put around each append: a request's own work and its record. */
import type { AuditRecordInput } from "../../gateway/src/stores/audit/record.ts";

/** Busy CPU for `us` microseconds, then a turn of the event loop, like a request's own work. */
export async function requestWork(us: number): Promise<void> {
  const until = performance.now() + us / 1000;
  while (performance.now() < until) {
    // spin
  }
  await new Promise((resolve) => setImmediate(resolve));
}

/** A lookup's audit record, as the gateway writes one for a released answer. */
export function lookupRecord(requestId: string): AuditRecordInput {
  return {
    requestId,
    clientId: "bench-load",
    purpose: "eligibility-verification",
    route: "identity.lookup",
    nikHmac: "ab".repeat(32),
    sources: [{ id: "dukcapil", status: "OK" }],
    outcome: "RELEASED",
    httpStatus: 200,
    fieldsReleased: ["nik", "fullName"],
  };
}
