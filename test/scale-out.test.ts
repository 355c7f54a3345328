/**
 * Operations on Redis: three gateway processes share one rate limit and one audit chain, and a
 * SIGTERM under load fails no in-flight request and loses no audit record.
 */

import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulators, startSimulators } from "../adapters/simulators/index.ts";
import { generateWorld } from "../adapters/world/index.ts";
import { createRedisAuditStore } from "../gateway/src/stores/audit/redis.ts";
import { type TestRedis, useTestRedis } from "./support/redis.ts";
import {
  clientToken,
  inFlight,
  sharedRedisEnv,
  startEarlyInMinute,
} from "./support/shared-redis.ts";
import { type GatewayTarget, overHttpTarget, TEST_WORLD } from "./support/target.ts";

const LIMIT_PER_MINUTE = 60;
const SECRET = "scale-out-test-secret-0123456789abcdef";
const world = generateWorld(TEST_WORLD);

let redis: TestRedis;
let simulators: Simulators;
let sharedEnv: Record<string, string>;

beforeAll(async () => {
  redis = await useTestRedis();
  simulators = await startSimulators({ world });
  sharedEnv = await sharedRedisEnv(simulators, redis, [
    { id: "scale-test", secret: SECRET, perMinute: LIMIT_PER_MINUTE, perDay: 100_000 },
  ]);
}, 60_000);

afterAll(async () => {
  await simulators?.close();
  await redis?.cleanup();
});

const lookup = (target: GatewayTarget, bearer: string, requestId: string, nik: string) =>
  target.fetch("/v1/identity/lookup", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${bearer}`,
      "simpul-purpose": "eligibility-verification",
      "x-request-id": requestId,
    },
    body: JSON.stringify({ nik }),
  });

async function auditedRequestIds(): Promise<{ ids: Set<string>; verified: unknown }> {
  const audit = createRedisAuditStore(await redis.newClient(), { prefix: redis.prefix });
  const ids = new Set<string>();
  for await (const entry of audit.export()) ids.add(entry.requestId);
  return { ids, verified: await audit.verify() };
}

describe("three gateway processes on one Redis", () => {
  const gateways: GatewayTarget[] = [];
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.close()));
  });

  it("admit exactly the client's limit in total, and keep one verifiable audit chain", async () => {
    gateways.push(...(await Promise.all([0, 1, 2].map(() => overHttpTarget(sharedEnv)))));
    const tokens = await Promise.all(
      gateways.map((gateway) => clientToken(gateway, "scale-test", SECRET)),
    );
    const [nik] = world.examples("CLEAN", 1);
    // Warm each process up (first requests compile code paths) with a request that costs nothing.
    await Promise.all(gateways.map((gateway) => gateway.fetch("/readyz")));
    await startEarlyInMinute();
    const attempts = LIMIT_PER_MINUTE * 3;
    const statuses: number[] = [];
    // 30 requests in flight at any time, spread over the three processes.
    await inFlight(attempts, 30, async (i) => {
      const which = i % 3;
      const response = await lookup(
        gateways[which] as GatewayTarget,
        tokens[which] as string,
        `scale-out-${i}`,
        nik ?? "",
      );
      await response.arrayBuffer();
      statuses.push(response.status);
    });
    const admitted = statuses.filter((status) => status === 200).length;
    const refused = statuses.filter((status) => status === 429).length;
    expect(admitted, "the limit is global across processes, not per process").toBe(
      LIMIT_PER_MINUTE,
    );
    expect(refused).toBe(attempts - LIMIT_PER_MINUTE);

    const { ids, verified } = await auditedRequestIds();
    for (let i = 0; i < attempts; i++)
      expect(ids.has(`scale-out-${i}`), `scale-out-${i} must be audited`).toBe(true);
    expect(verified).toMatchObject({ ok: true });
  }, 180_000);
});

describe("SIGTERM under load", () => {
  it("finishes every in-flight request and loses no audit record", async () => {
    const gateway = await overHttpTarget({
      ...sharedEnv,
      SIMPUL_REDIS_PREFIX: `${redis.prefix}drain:`,
    });
    try {
      const bearer = await clientToken(gateway, "scale-test", SECRET);
      // Slow Dukcapil down so requests are genuinely in flight when the signal lands.
      simulators.dukcapil.control.set({ latency: { kind: "fixed", ms: 400 } });
      const [nik] = world.examples("CLEAN", 1);
      const inFlight = Array.from({ length: 30 }, (_, i) =>
        lookup(gateway, bearer, `drain-req-${i}`, nik ?? "").then(async (response) => ({
          status: response.status,
          body: await response.text(),
        })),
      );
      await new Promise((resolve) => setTimeout(resolve, 150));
      gateway.child?.kill("SIGTERM");
      const results = await Promise.all(inFlight);
      expect(
        results.map((r) => r.status),
        "no in-flight request may fail",
      ).toEqual(Array(30).fill(200));
      if (gateway.child && gateway.child.exitCode === null) await once(gateway.child, "exit");
      expect(gateway.child?.exitCode, gateway.output?.()).toBe(0);

      const audit = createRedisAuditStore(await redis.newClient(), {
        prefix: `${redis.prefix}drain:`,
      });
      const ids = new Set<string>();
      for await (const entry of audit.export()) ids.add(entry.requestId);
      for (let i = 0; i < 30; i++)
        expect(ids.has(`drain-req-${i}`), `drain-req-${i} must be audited`).toBe(true);
      expect(await audit.verify()).toMatchObject({ ok: true, count: 30 });
    } finally {
      simulators.dukcapil.control.set({ latency: { kind: "none" } });
      await gateway.close();
    }
  }, 60_000);
});
