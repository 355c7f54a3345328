/**
 * Contention on the shared audit chain is visible to operators: a Node gateway on Redis counts
 * each batch it had to reseal because another process appended first.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { silentLogger } from "../gateway/src/logging/logger.ts";
import { buildNodeServices } from "../gateway/src/node/build-services.ts";
import { parseNodeConfig } from "../gateway/src/node/config.ts";
import { auditRecord } from "../gateway/src/stores/audit/contract.ts";
import { createRedisAuditStore } from "../gateway/src/stores/audit/redis.ts";
import { parsePrometheusText, sumOf } from "./support/prometheus.ts";
import { type TestRedis, useTestRedis } from "./support/redis.ts";
import { TEST_WORLD } from "./support/target.ts";

let redis: TestRedis;
beforeAll(async () => {
  redis = await useTestRedis();
});
afterAll(() => redis?.cleanup());

it("counts an audit batch resealed because another process moved the chain's head", async () => {
  const prefix = `${redis.prefix}chain-retries:`;
  const node = await buildNodeServices(
    parseNodeConfig({
      NODE_ENV: "test",
      REDIS_URL: redis.url,
      SIMPUL_REDIS_PREFIX: prefix,
      SIMPUL_WORLD_SEED: String(TEST_WORLD.seed),
      SIMPUL_WORLD_SIZE: String(TEST_WORLD.size),
      SIMPUL_LOG_LEVEL: "error",
    }),
    silentLogger,
    "http://simpul.test",
  );
  try {
    const retries = () =>
      sumOf(
        parsePrometheusText(node.services.metrics?.registry.render() ?? "").samples,
        "simpul_audit_chain_retries_total",
        { reason: "head-moved" },
      );
    await node.services.audit.append(auditRecord({ requestId: "first" }));
    expect(retries(), "no other process yet").toBe(0);

    // Another gateway process appends: this one's idea of the head is now stale.
    const elsewhere = createRedisAuditStore(await redis.newClient(), { prefix });
    await elsewhere.append(auditRecord({ requestId: "from-another-process" }));
    const entry = await node.services.audit.append(auditRecord({ requestId: "after" }));

    expect(entry.sequence).toBe(3);
    expect(retries()).toBe(1);
  } finally {
    await node.close();
  }
});
