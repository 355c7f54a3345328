/**
 * Identity lookup at a fixed number of connections (64 by default, as in the floors).
 *
 *   k6 run -e VUS=64 -e DURATION=30s load/k6/identity-lookup.ts
 */
import { check } from "k6";
import exec from "k6/execution";
import http from "k6/http";
import type { Options } from "k6/options";
import { BASE, DURATION, headers, nikFor, token } from "./lib.ts";

export const options: Options = {
  scenarios: {
    lookup: {
      executor: "constant-vus",
      vus: Number(__ENV.VUS ?? 64),
      duration: DURATION,
    },
  },
  thresholds: {
    http_req_failed: ["rate<0.01"],
    "http_req_duration{name:identity.lookup}": ["p(99)<250"],
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
