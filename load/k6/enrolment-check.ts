/**
 * Enrolment check across the four sources (Dukcapil, Kemensos, Kemnaker, KemenkopUKM).
 *
 *   k6 run -e VUS=16 -e DURATION=30s load/k6/enrolment-check.ts
 */
import { check } from "k6";
import exec from "k6/execution";
import http from "k6/http";
import type { Options } from "k6/options";
import { BASE, DURATION, headers, nikFor, token } from "./lib.ts";

export const options: Options = {
  scenarios: {
    check: { executor: "constant-vus", vus: Number(__ENV.VUS ?? 16), duration: DURATION },
  },
  thresholds: {
    http_req_failed: ["rate<0.01"],
    "http_req_duration{name:enrolments.check}": ["p(99)<500"],
  },
  summaryTrendStats: ["avg", "p(50)", "p(90)", "p(99)", "max"],
};

export function setup(): { token: string } {
  return { token: token() };
}

export default function (data: { token: string }): void {
  const nik = nikFor(exec.vu.idInTest, exec.vu.iterationInScenario);
  const response = http.post(`${BASE}/v1/enrolments/check`, JSON.stringify({ nik }), {
    headers: headers(data.token),
    tags: { name: "enrolments.check" },
  });
  check(response, {
    "200": (r) => r.status === 200,
    complete: (r) => r.status === 200 && (r.json("complete") as boolean) === true,
  });
}
