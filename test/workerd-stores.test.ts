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
    const store: AuditStore = {
      append: (record) =>
        call<AuditEntry>("append", [record], options.now ? { nowMs: options.now() } : {}),
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
