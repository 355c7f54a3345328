import { describe, expect, it } from "vitest";
import { auditRecord, describeAuditStoreContract } from "./contract.ts";
import { createMemoryAuditStore } from "./memory.ts";
import type { AuditEntry } from "./record.ts";

describeAuditStoreContract("memory", async (options = {}) => {
  const entries = new Map<number, AuditEntry>();
  const stored = (sequence: number) => {
    const entry = entries.get(sequence);
    if (entry === undefined) throw new Error(`no entry ${sequence} to tamper with`);
    return entry;
  };
  return {
    store: createMemoryAuditStore({ ...options, entries }),
    tamper: {
      async edit(sequence, changes) {
        entries.set(sequence, { ...stored(sequence), ...changes } as AuditEntry);
      },
      async remove(sequence) {
        entries.delete(sequence);
      },
      async swap(a, b) {
        const [first, second] = [stored(a), stored(b)];
        entries.set(a, second);
        entries.set(b, first);
      },
    },
  };
});

describe("memory audit store", () => {
  it("hands out entries nobody can change afterwards", async () => {
    const store = createMemoryAuditStore();
    const entry = await store.append(auditRecord());
    expect(() => (entry.fieldsReleased as string[]).push("address")).toThrow(TypeError);
    expect(await store.verify()).toEqual({ ok: true, count: 1 });
  });

  it("keeps appending after a failed append", async () => {
    let calls = 0;
    const store = createMemoryAuditStore({
      now: () => {
        if (++calls === 1) throw new Error("clock broke");
        return 0;
      },
    });
    await expect(store.append(auditRecord())).rejects.toThrow("clock broke");
    expect((await store.append(auditRecord())).sequence).toBe(1);
  });
});
