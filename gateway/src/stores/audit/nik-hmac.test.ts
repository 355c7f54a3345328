import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../crypto/digest.ts";
import { auditRecord } from "./contract.ts";
import { createMemoryAuditStore } from "./memory.ts";
import { auditNdjson } from "./ndjson.ts";
import { createNikHasher } from "./nik-hmac.ts";

const KEY = "k".repeat(32);

describe("NIK HMAC", () => {
  it("is stable per key, differs across keys and is not a plain hash of the NIK", async () => {
    const hash = createNikHasher(KEY);
    const digest = await hash("3273014107900001");
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(await hash("3273014107900001")).toBe(digest);
    expect(await createNikHasher("z".repeat(32))("3273014107900001")).not.toBe(digest);
    expect(digest).not.toBe(await sha256Hex("3273014107900001"));
  });

  it("agrees with an independent HMAC computation", async () => {
    const { createHmac } = await import("node:crypto");
    const expected = createHmac("sha256", KEY).update("3273014107900001").digest("hex");
    expect(await createNikHasher(KEY)("3273014107900001")).toBe(expected);
  });

  it("refuses short keys and anything but 16 ASCII digits", async () => {
    expect(() => createNikHasher("short")).toThrow(RangeError);
    const hash = createNikHasher(KEY);
    for (const bad of [
      "327301410790000",
      "32730141079000011",
      " 3273014107900001",
      "３２７３014107900001",
    ]) {
      await expect(hash(bad), JSON.stringify(bad)).rejects.toThrow(TypeError);
    }
  });
});

describe("NDJSON export", () => {
  it("writes one entry per line", async () => {
    const store = createMemoryAuditStore();
    await store.append(auditRecord({ requestId: "one" }));
    await store.append(auditRecord({ requestId: "two" }));
    const text = await new Response(auditNdjson(store.export())).text();
    const lines = text.split("\n");
    expect(lines.at(-1), "the body ends with a newline").toBe("");
    expect(lines.slice(0, -1).map((line) => JSON.parse(line).requestId)).toEqual(["one", "two"]);
  });
});
