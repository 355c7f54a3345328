/**
 * The shared store contracts against the Durable Object stores inside workerd: each port is
 * implemented here by calling the worker's test-only store surface (SIMPUL_ENV=test), which runs
 * the real Workers store clients and their objects.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe } from "vitest";
import { describeAuditStoreContract } from "../gateway/src/stores/audit/contract.ts";
import type { AuditStore } from "../gateway/src/stores/audit/port.ts";
import type { AuditEntry } from "../gateway/src/stores/audit/record.ts";
import { describeRateLimitStoreContract } from "../gateway/src/stores/rate-limit/contract.ts";
import { describeReplayStoreContract } from "../gateway/src/stores/replay/contract.ts";
import { describeSchemaRegistryStoreContract } from "../gateway/src/stores/schema-registry/contract.ts";
import type { SchemaRegistryStore } from "../gateway/src/stores/schema-registry/port.ts";
import type { GatewayTarget } from "./support/target.ts";
import { callTestSurface, overWranglerTarget, workerdSuiteEnabled } from "./support/wrangler.ts";

type AppendOutcome = { entry: AuditEntry } | { error: string };

describe.runIf(workerdSuiteEnabled())("Durable Object stores in workerd", () => {
  let target: GatewayTarget;
  beforeAll(async () => {
    target = await overWranglerTarget();
  }, 150_000);
  afterAll(async () => {
    await target?.close();
  });

  describeRateLimitStoreContract("durable object", async () => {
    const name = randomUUID();
    return {
      store: {
        consume: (key, cost, windows) =>
          callTestSurface(target, "rate-limit", { name, args: [key, cost, windows] }),
      },
      key: (suffix) => suffix,
    };
  });

  describeReplayStoreContract("durable object", async (options = {}) => {
    const name = randomUUID();
    return {
      store: {
        remember: (jti, exp) =>
          callTestSurface(target, "replay", {
            name,
            args: [jti, exp],
            ...(options.now ? { nowMs: options.now() } : {}),
          }),
      },
    };
  });

  describeAuditStoreContract("durable object", async (options = {}) => {
    const name = randomUUID();
    const call = <T>(op: string, args: unknown[] = [], extra: Record<string, unknown> = {}) =>
      callTestSurface<T>(target, "audit", { name, op, args, ...extra });
    // Appends made in one tick travel in one request, in order, like the worker's own group
    // commit; one request per append would let HTTP reorder them.
    let queue: { record: unknown; at?: number; settle: (outcome: AppendOutcome) => void }[] = [];
    const flush = async () => {
      const batch = queue;
      queue = [];
      const times = batch.flatMap((item) => (item.at === undefined ? [] : [item.at]));
      try {
        const outcomes = await call<AppendOutcome[]>(
          "append",
          batch.map((item) => item.record),
          times.length === batch.length ? { times } : {},
        );
        batch.forEach((item, i) => {
          item.settle(outcomes[i] ?? { error: "no outcome" });
        });
      } catch (error) {
        for (const item of batch) item.settle({ error: (error as Error).message });
      }
    };
    const store: AuditStore = {
      append: (record) =>
        new Promise((resolve, reject) => {
          if (queue.length === 0) setTimeout(() => void flush(), 0);
          queue.push({
            record,
            ...(options.now ? { at: options.now() } : {}),
            settle: (outcome) =>
              "entry" in outcome ? resolve(outcome.entry) : reject(new Error(outcome.error)),
          });
        }),
      query: (query) => call("query", [query]),
      async *export(filter = {}) {
        yield* await call<AuditEntry[]>("export", [filter]);
      },
      verify: (range = {}) => call("verify", [range]),
      head: () => call("head"),
    };
    return {
      store,
      tamper: {
        edit: (sequence, changes) => call("tamper", [{ edit: sequence, changes }]),
        remove: (sequence) => call("tamper", [{ remove: sequence }]),
        swap: (a, b) => call("tamper", [{ swap: [a, b] }]),
      },
    };
  });

  describeSchemaRegistryStoreContract("durable object", async (seed = []) => {
    const name = randomUUID();
    const call = <T>(op: string, args: unknown[] = []) =>
      callTestSurface<T>(target, "schema-registry", { name, op, args });
    if (seed.length > 0) await call("seed", [seed]);
    const method =
      (op: keyof SchemaRegistryStore) =>
      (...args: unknown[]) =>
        call(op, args);
    return {
      listSubjects: method("listSubjects"),
      listVersions: method("listVersions"),
      getVersion: method("getVersion"),
      publish: method("publish"),
      setMode: method("setMode"),
      getMode: method("getMode"),
      deprecate: method("deprecate"),
    } as SchemaRegistryStore;
  });
});
