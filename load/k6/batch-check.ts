/**
 * One batch check of BATCH_SIZE NIKs (default 100,000; NIKs from NIKS_FILE, repeated if it is
 * shorter), read to its `done` line. Reports NIKs per second end to end. The client's plan must
 * have room for the whole batch (`kemensos-app`: 100,000 a minute).
 *
 *   k6 run -e BATCH_SIZE=100000 load/k6/batch-check.ts
 */
import { check } from "k6";
import http from "k6/http";
import { Trend } from "k6/metrics";
import type { Options } from "k6/options";
import { BASE, headers, NIKS, token } from "./lib.ts";

const BATCH_SIZE = Number(__ENV.BATCH_SIZE ?? 100_000);
const niksPerSecond = new Trend("batch_niks_per_second");

export const options: Options = {
  scenarios: { batch: { executor: "shared-iterations", vus: 1, iterations: 1, maxDuration: "5m" } },
  thresholds: { batch_niks_per_second: ["min>=10000"], checks: ["rate==1"] },
};

export function setup(): { token: string } {
  return { token: token() };
}

export default function (data: { token: string }): void {
  const niks: string[] = [];
  for (let i = 0; i < BATCH_SIZE; i++) niks.push(NIKS[i % NIKS.length] as string);
  const response = http.post(`${BASE}/v1/enrolments/check-batch`, JSON.stringify({ niks }), {
    headers: headers(data.token, __ENV.PURPOSE ?? "data-reconciliation"),
    tags: { name: "enrolments.checkBatch" },
    timeout: "300s",
  });
  const body = typeof response.body === "string" ? response.body : "";
  const lines = body.split("\n").filter((line) => line !== "");
  const last = lines[lines.length - 1] ?? "";
  check(response, {
    "200": (r) => r.status === 200,
    "one line per NIK": () => lines.length === BATCH_SIZE + 1,
    "ends with done": () => last.startsWith('{"done":true'),
  });
  niksPerSecond.add(BATCH_SIZE / (response.timings.duration / 1000));
}
