/**
 * Setup for suites that run several gateway processes on one Redis: a clients file of their
 * own, one signing key and issuer for every process (as behind a load balancer), and tokens.
 */
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, generateKeyPair } from "jose";
import { expect } from "vitest";
import type { Simulators } from "../../adapters/simulators/index.ts";
import type { TestRedis } from "./redis.ts";
import { externalSourcesEnv, type GatewayTarget } from "./target.ts";

export interface SharedClient {
  readonly id: string;
  readonly secret: string;
  readonly perMinute: number;
  readonly perDay?: number;
}

/** The environment every process shares: external sources, one Redis prefix, one key. */
export async function sharedRedisEnv(
  simulators: Simulators,
  redis: TestRedis,
  clients: readonly SharedClient[],
): Promise<Record<string, string>> {
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  const clientsFile = join(tmpdir(), `simpul-shared-${crypto.randomUUID()}.json`);
  writeFileSync(
    clientsFile,
    JSON.stringify({
      clients: clients.map(({ id, secret, perMinute, perDay = 1_000_000 }) => ({
        id,
        name: `Test client ${id}`,
        secret,
        scopes: ["identity:lookup"],
        purposes: ["eligibility-verification"],
        fields: ["nik", "fullName"],
        ratePlan: { perMinute, perDay, batchCostPerNik: 1 },
      })),
    }),
  );
  return {
    ...externalSourcesEnv(simulators),
    REDIS_URL: redis.url,
    SIMPUL_REDIS_PREFIX: redis.prefix,
    SIMPUL_CLIENTS_FILE: clientsFile,
    // One key and one issuer for all processes, as behind a load balancer.
    SIMPUL_SIGNING_KEY: JSON.stringify(await exportJWK(privateKey)),
    SIMPUL_PUBLIC_URL: "http://simpul.test",
  };
}

/** A token with `client_secret_basic`; the suite fails here if the gateway refuses it. */
export async function clientToken(
  target: Pick<GatewayTarget, "fetch">,
  clientId: string,
  secret: string,
): Promise<string> {
  const response = await target.fetch("/oauth/token", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${btoa(`${clientId}:${secret}`)}`,
    },
    body: "grant_type=client_credentials",
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Rate windows are fixed minutes: waits, if need be, so a burst cannot straddle two. */
export async function startEarlyInMinute(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 40_000) await new Promise((resolve) => setTimeout(resolve, 60_500 - intoMinute));
}

/**
 * Runs `task(0)` … `task(count - 1)` with `concurrency` of them in flight at any time, as that
 * many clients each sending its next request when the last is answered.
 */
export async function inFlight(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}
