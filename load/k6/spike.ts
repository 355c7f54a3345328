/**
 * A spike: a calm 50 lookups a second, a jump to SPIKE_RATE (default 1,500) for 20 s, then calm
 * again. What to look at: errors during the spike (there should be none, only slower answers),
 * and whether latency is back to its calm level within seconds after it (no lasting backlog).
 *
 *   k6 run -e SPIKE_RATE=1500 load/k6/spike.ts
 */
import { check } from "k6";
import exec from "k6/execution";
import http from "k6/http";
import type { Options } from "k6/options";
import { BASE, headers, nikFor, token } from "./lib.ts";

const SPIKE_RATE = Number(__ENV.SPIKE_RATE ?? 1_500);

export const options: Options = {
  scenarios: {
    spike: {
      executor: "ramping-arrival-rate",
      startRate: 50,
      timeUnit: "1s",
      preAllocatedVUs: 100,
      maxVUs: 2_000,
      stages: [
        { target: 50, duration: "20s" },
        { target: SPIKE_RATE, duration: "5s" },
        { target: SPIKE_RATE, duration: "20s" },
        { target: 50, duration: "5s" },
        { target: 50, duration: "30s" },
      ],
    },
  },
  thresholds: {
    http_req_failed: ["rate<0.01"],
    dropped_iterations: ["count<100"],
  },
  summaryTrendStats: ["avg", "p(50)", "p(90)", "p(99)", "max"],
};

export function setup(): { token: string } {
  return { token: token() };
}

export default function (data: { token: string }): void {
  const nik = nikFor(exec.vu.idInTest, exec.vu.iterationInScenario);
  const response = http.post(`${BASE}/v1/identity/lookup`, JSON.stringify({ nik }), {
    headers: headers(data.token),
    tags: { name: "identity.lookup" },
  });
  check(response, { "200": (r) => r.status === 200 });
}
