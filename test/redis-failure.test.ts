/**
 * The gateway on a real Redis that is paused and then killed mid-traffic: answers stay bounded,
 * personal data fails closed, and every released answer is in the audit trail afterwards.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  hasRedisServerBinary,
  type RedisServerProcess,
  startRedisServer,
} from "./support/redis.ts";
import { type GatewayTarget, inProcessTarget, postJson, tokenFor } from "./support/target.ts";

const PURPOSE = "eligibility-verification";

describe.skipIf(!hasRedisServerBinary())("Redis paused and killed during requests", () => {
  let server: RedisServerProcess;
  let target: GatewayTarget;
  let token: string;
  const released: string[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    target = await inProcessTarget({
      env: {
        REDIS_URL: server.url,
        SIMPUL_REDIS_PREFIX: `simpul-test:${crypto.randomUUID().slice(0, 8)}:`,
      },
    });
    token = await tokenFor(target, "kemensos-app");
  });
  afterAll(async () => {
    await target?.close();
    await server?.stop();
  });

  async function lookup(i: number) {
    const [nik] = target.world.examples("CLEAN", 1);
    const requestId = `redis-failure-${i}-${crypto.randomUUID().slice(0, 8)}`;
    const started = performance.now();
    const response = await postJson(
      target,
      "/v1/identity/lookup",
      { nik },
      { token, purpose: PURPOSE, headers: { "x-request-id": requestId } },
    );
    const elapsed = performance.now() - started;
    const body = await response.text();
    if (response.status === 200) released.push(requestId);
    return { status: response.status, elapsed, body };
  }

  it("serves and audits normally while Redis is up", async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => lookup(i)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
  });

  it("answers 503 within a bounded time while Redis is paused, releasing nothing", async () => {
    const admin = new Redis(server.url);
    await admin.call("CLIENT", "PAUSE", "3000", "ALL");
    try {
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => lookup(100 + i)));
      for (const result of results) {
        expect(
          result.elapsed,
          "a paused store must not stall requests past its command timeout",
        ).toBeLessThan(2_000);
        expect([503]).toContain(result.status);
        expect(JSON.parse(result.body)).toMatchObject({ status: 503 });
      }
    } finally {
      await admin.call("CLIENT", "UNPAUSE").catch(() => undefined);
      admin.disconnect();
    }
  });

  it("after the pause, every released answer is in a verifiable trail", async () => {
    await new Promise((resolve) => setTimeout(resolve, 3_200));
    const audit = target.node?.services.audit;
    if (!audit) throw new Error("services expected");
    const recorded = new Set<string>();
    for await (const entry of audit.export()) recorded.add(entry.requestId);
    for (const requestId of released)
      expect(recorded.has(requestId), `${requestId} was released but not audited`).toBe(true);
    expect(await audit.verify()).toMatchObject({ ok: true });
  });

  it("answers 503 within a bounded time once Redis is gone", async () => {
    await server.stop();
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => lookup(200 + i)));
    for (const result of results) {
      expect(result.elapsed).toBeLessThan(2_000);
      expect(result.status).toBe(503);
    }
  });
});
