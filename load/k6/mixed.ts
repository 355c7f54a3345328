/**
 * Mixed traffic from several demo clients at once, the small ones close to their limits:
 * `kemensos-app` looks people up without pause (its plan is large), `dinsos-bandung` looks up
 * at 110% of its 600 a minute, `bank-penyalur` verifies at 105% of its 300 a minute and
 * `demo-trial` at twice its 3 a minute. 429 is an expected answer here, not a failure; the
 * thresholds check that refusals stay cheap and that the unbounded client is not slowed.
 *
 *   k6 run -e DURATION=2m load/k6/mixed.ts
 */
import { check } from "k6";
import exec from "k6/execution";
import http from "k6/http";
import type { Options } from "k6/options";
import {
  BASE,
  type ClientCredentials,
  DEMO_CLIENTS,
  DURATION,
  headers,
  nikFor,
  token,
} from "./lib.ts";

http.setResponseCallback(http.expectedStatuses(200, 429));

export const options: Options = {
  scenarios: {
    background: {
      executor: "constant-vus",
      vus: 16,
      duration: DURATION,
      exec: "background",
    },
    dinsos: {
      executor: "constant-arrival-rate",
      rate: 11,
      timeUnit: "1s",
      duration: DURATION,
      preAllocatedVUs: 8,
      exec: "dinsos",
    },
    bank: {
      executor: "constant-arrival-rate",
      rate: 21,
      timeUnit: "4s",
      duration: DURATION,
      preAllocatedVUs: 4,
      exec: "bank",
    },
    trial: {
      executor: "constant-arrival-rate",
      rate: 6,
      timeUnit: "1m",
      duration: DURATION,
      preAllocatedVUs: 1,
      exec: "trial",
    },
  },
  thresholds: {
    http_req_failed: ["rate<0.01"],
    "http_req_duration{scenario:background}": ["p(99)<250"],
    "http_req_duration{status:429}": ["p(99)<50"],
  },
  summaryTrendStats: ["avg", "p(50)", "p(90)", "p(99)", "max"],
};

type Tokens = Record<"background" | "dinsos" | "bank" | "trial", string>;

export function setup(): Tokens {
  const of = (client: ClientCredentials) => token(client);
  return {
    background: of(DEMO_CLIENTS.kemensosApp),
    dinsos: of(DEMO_CLIENTS.dinsosBandung),
    bank: of(DEMO_CLIENTS.bankPenyalur),
    trial: of(DEMO_CLIENTS.demoTrial),
  };
}

function lookup(accessToken: string, purpose?: string): void {
  const nik = nikFor(exec.vu.idInTest, exec.vu.iterationInScenario);
  const response = http.post(`${BASE}/v1/identity/lookup`, JSON.stringify({ nik }), {
    headers: headers(accessToken, purpose),
    tags: { name: "identity.lookup" },
  });
  check(response, { "200 or 429": (r) => r.status === 200 || r.status === 429 });
}

export function background(tokens: Tokens): void {
  lookup(tokens.background);
}

export function dinsos(tokens: Tokens): void {
  lookup(tokens.dinsos);
}

export function trial(tokens: Tokens): void {
  lookup(tokens.trial, "identity-verification");
}

export function bank(tokens: Tokens): void {
  const nik = nikFor(exec.vu.idInTest, exec.vu.iterationInScenario);
  const response = http.post(
    `${BASE}/v1/identity/verify`,
    JSON.stringify({ nik, fullName: "SITI RAHAYU" }),
    { headers: headers(tokens.bank, "identity-verification"), tags: { name: "identity.verify" } },
  );
  check(response, { "200 or 429": (r) => r.status === 200 || r.status === 429 });
}
