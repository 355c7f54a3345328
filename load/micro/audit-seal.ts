/**
 * `npx tsx load/micro/audit-seal.ts`: what sealing one audit record costs on Node (canonical
 * JSON, SHA-256 through node:crypto as the Node entry wires it, and the record's validation),
 * for a lookup's record. Microseconds per call, median of five rounds of 50,000.
 */
import { useNodeSha256 } from "../../gateway/src/node/digest.ts";
import { canonicalJson } from "../../gateway/src/stores/audit/canonical-json.ts";
import { GENESIS_HASH, parseRecord, sealEntry } from "../../gateway/src/stores/audit/chain.ts";
import type { AuditRecordInput } from "../../gateway/src/stores/audit/record.ts";

useNodeSha256();
const record: AuditRecordInput = {
  requestId: "3f2b6a9e-1c1d-4c55-9a3e-6f3c7c0e9b11",
  clientId: "bench-load",
  purpose: "eligibility-verification",
  route: "identity.lookup",
  nikHmac: "a".repeat(64),
  sources: [{ id: "dukcapil", status: "OK" }],
  outcome: "RELEASED",
  httpStatus: 200,
  fieldsReleased: ["nik", "fullName", "birthDate", "sex", "address", "regencyCode"],
};
const head = { sequence: 41, hash: GENESIS_HASH };
const CALLS = 50_000;

async function microseconds(call: () => unknown): Promise<number> {
  const rounds: number[] = [];
  for (let round = 0; round < 6; round++) {
    const started = performance.now();
    for (let i = 0; i < CALLS; i++) await call();
    // The first round warms the JIT up and is not counted.
    if (round > 0) rounds.push(((performance.now() - started) * 1000) / CALLS);
  }
  return rounds.sort((a, b) => a - b)[2] as number;
}

console.log("| step | µs per call |\n| --- | --- |");
for (const [name, call] of [
  ["validate the record (zod)", () => parseRecord(record)],
  ["canonical JSON", () => canonicalJson(record)],
  ["seal (canonical JSON + SHA-256)", () => sealEntry(record, head, Date.now())],
] as const) {
  console.log(`| ${name} | ${(await microseconds(call)).toFixed(2)} |`);
}
