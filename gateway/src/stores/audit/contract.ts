/** The behaviour every audit store must show; run against memory, Redis and Durable Objects. */
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../crypto/digest.ts";
import { canonicalJson } from "./canonical-json.ts";
import { GENESIS_HASH } from "./chain.ts";
import type { AuditStore } from "./port.ts";
import type { AuditEntry, AuditRecordInput } from "./record.ts";

/** What someone with write access to the backing storage could do, for the tamper tests. */
export interface AuditTamper {
  /** Overwrites fields of the stored entry (the hash is left as it was). */
  edit(sequence: number, changes: Readonly<Record<string, unknown>>): Promise<void>;
  remove(sequence: number): Promise<void>;
  /** Exchanges what is stored at two sequence numbers. */
  swap(a: number, b: number): Promise<void>;
}

export interface AuditHarness {
  readonly store: AuditStore;
  readonly tamper: AuditTamper;
}

export interface AuditHarnessOptions {
  /** The clock the store stamps records with, in ms. */
  readonly now?: () => number;
}

const hmacOf = (n: number) => n.toString(16).padStart(64, "0");

export function auditRecord(overrides: Partial<AuditRecordInput> = {}): AuditRecordInput {
  return {
    requestId: "req-1",
    clientId: "dinsos-bandung",
    purpose: "eligibility-verification",
    route: "identity.lookup",
    nikHmac: hmacOf(1),
    sources: [{ id: "dukcapil", status: "OK" }],
    outcome: "RELEASED",
    httpStatus: 200,
    fieldsReleased: ["nik", "fullName"],
    ...overrides,
  };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

export function describeAuditStoreContract(
  name: string,
  makeStore: (options?: AuditHarnessOptions) => Promise<AuditHarness>,
): void {
  describe(`audit store contract: ${name}`, () => {
    it("starts empty and verifies", async () => {
      const { store } = await makeStore();
      expect(await store.head()).toEqual({ sequence: 0, hash: GENESIS_HASH });
      expect(await store.verify()).toEqual({ ok: true, count: 0 });
      expect((await store.query({ limit: 10 })).entries).toEqual([]);
    });

    it("numbers, timestamps and chains each record, and the chain verifies", async () => {
      const { store } = await makeStore({ now: () => Date.parse("2025-01-02T03:04:05.678Z") });
      const first = await store.append(auditRecord({ requestId: "a" }));
      const second = await store.append(auditRecord({ requestId: "b", nikCount: 3 }));
      expect(first).toMatchObject({
        sequence: 1,
        requestId: "a",
        time: "2025-01-02T03:04:05.678Z",
        previousHash: GENESIS_HASH,
      });
      expect(second.sequence).toBe(2);
      expect(second.previousHash, "each entry must point at the one before").toBe(first.hash);
      const { hash, ...content } = second;
      expect(hash, "hash = SHA-256 of the canonical JSON of the rest").toBe(
        await sha256Hex(canonicalJson(content)),
      );
      expect(await store.head()).toEqual({ sequence: 2, hash: second.hash, time: second.time });
      expect(await store.verify()).toEqual({ ok: true, count: 2 });
      expect((await store.query({ limit: 10 })).entries).toEqual([first, second]);
    });

    it("refuses a malformed record without using up a sequence number", async () => {
      const { store } = await makeStore();
      await expect(store.append(auditRecord({ nikHmac: "1234" }))).rejects.toThrow();
      const bad = { ...auditRecord(), nik: "3273010101900001" } as AuditRecordInput;
      await expect(
        store.append(bad),
        "unknown fields (a raw NIK!) must be refused",
      ).rejects.toThrow();
      expect((await store.append(auditRecord())).sequence).toBe(1);
    });

    it("keeps one gap-free, verifiable chain under 200 concurrent appends", async () => {
      const { store } = await makeStore();
      const entries = await Promise.all(
        Array.from({ length: 200 }, (_, i) => store.append(auditRecord({ requestId: `r${i}` }))),
      );
      entries.forEach((entry, i) => {
        expect(entry.requestId, "each append resolves with its own record").toBe(`r${i}`);
      });
      const sequences = entries.map((entry) => entry.sequence).sort((a, b) => a - b);
      expect(sequences).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      expect(await store.verify()).toEqual({ ok: true, count: 200 });
      expect((await store.head()).sequence).toBe(200);
    });

    it("never lets time run backwards along the chain", async () => {
      const clock = [5_000_000, 4_000_000, 6_000_000];
      const { store } = await makeStore({ now: () => clock.shift() ?? 7_000_000 });
      const times: string[] = [];
      for (let i = 0; i < 3; i++) times.push((await store.append(auditRecord())).time);
      expect(times.map((time) => Date.parse(time))).toEqual([5_000_000, 5_000_000, 6_000_000]);
    });

    it("finds a batch record by any of the NIK digests it lists", async () => {
      const { store } = await makeStore();
      const { nikHmac: _single, ...batch } = auditRecord({
        requestId: "batch-1",
        route: "enrolments.checkBatch",
        nikHmacs: [hmacOf(11), hmacOf(12), hmacOf(13)],
        nikCount: 3,
      });
      await store.append(batch);
      await store.append(auditRecord({ requestId: "single-1", nikHmac: hmacOf(12) }));
      const page = await store.query({ nikHmac: hmacOf(12), limit: 10 });
      expect(page.entries.map((entry) => entry.requestId)).toEqual(["batch-1", "single-1"]);
      expect(
        (await store.query({ nikHmac: hmacOf(13), limit: 10 })).entries.map((e) => e.requestId),
      ).toEqual(["batch-1"]);
      expect(await store.verify()).toMatchObject({ ok: true, count: 2 });
    });

    it("finds records by client, by NIK HMAC, by both and by time range", async () => {
      let now = Date.parse("2025-03-01T00:00:00Z");
      const { store } = await makeStore({ now: () => now });
      for (let i = 0; i < 30; i++) {
        now += 60_000;
        await store.append(
          auditRecord({
            requestId: `q${i}`,
            clientId: i % 3 === 0 ? "kemensos-pusat" : "dinsos-bandung",
            nikHmac: hmacOf(i % 5),
          }),
        );
      }
      const ids = (entries: readonly AuditEntry[]) => entries.map((entry) => entry.requestId);
      const byClient = await store.query({ clientId: "kemensos-pusat", limit: 100 });
      expect(ids(byClient.entries)).toEqual([
        "q0",
        "q3",
        "q6",
        "q9",
        "q12",
        "q15",
        "q18",
        "q21",
        "q24",
        "q27",
      ]);
      expect(byClient.nextCursor).toBeUndefined();
      const byNik = await store.query({ nikHmac: hmacOf(2), limit: 100 });
      expect(ids(byNik.entries)).toEqual(["q2", "q7", "q12", "q17", "q22", "q27"]);
      const both = await store.query({
        clientId: "kemensos-pusat",
        nikHmac: hmacOf(2),
        limit: 100,
      });
      expect(ids(both.entries)).toEqual(["q12", "q27"]);
      // q0 is stamped 00:01, q(i) at 00:(i+1); `from` is inclusive, `to` exclusive.
      const window = await store.query({
        from: "2025-03-01T00:05:00Z",
        to: "2025-03-01T00:09:00Z",
        limit: 100,
      });
      expect(ids(window.entries)).toEqual(["q4", "q5", "q6", "q7"]);
      const clientWindow = await store.query({
        clientId: "kemensos-pusat",
        from: "2025-03-01T00:05:00Z",
        to: "2025-03-01T00:20:00Z",
        limit: 100,
      });
      expect(ids(clientWindow.entries)).toEqual(["q6", "q9", "q12", "q15", "q18"]);
      const none = await store.query({ from: "2026-01-01T00:00:00Z", limit: 10 });
      expect(none.entries).toEqual([]);
      expect((await store.query({ clientId: "nobody", limit: 10 })).entries).toEqual([]);
    });

    it("pages through results with a cursor, without overlap or loss", async () => {
      const { store } = await makeStore();
      for (let i = 0; i < 23; i++) {
        await store.append(auditRecord({ requestId: `p${i}`, clientId: i % 2 ? "odd" : "even" }));
      }
      for (const filter of [{}, { clientId: "even" }]) {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await store.query({ ...filter, limit: 5, ...(cursor ? { cursor } : {}) });
          seen.push(...page.entries.map((entry) => entry.requestId));
          cursor = page.nextCursor;
          pages++;
        } while (cursor !== undefined);
        const expected = Array.from({ length: 23 }, (_, i) => i)
          .filter((i) => !("clientId" in filter) || i % 2 === 0)
          .map((i) => `p${i}`);
        expect(seen).toEqual(expected);
        expect(pages).toBe(Math.ceil(expected.length / 5));
      }
      await expect(store.query({ limit: 0 })).rejects.toThrow(RangeError);
      await expect(store.query({ limit: 5, cursor: "not-a-cursor" })).rejects.toThrow(RangeError);
    });

    it("exports every matching record, oldest first", async () => {
      const { store } = await makeStore();
      for (let i = 0; i < 1_203; i++) {
        void store.append(auditRecord({ requestId: `e${i}`, clientId: i % 4 ? "x" : "y" }));
      }
      await store.append(auditRecord({ requestId: "last", clientId: "y" }));
      const all = await collect(store.export());
      expect(all).toHaveLength(1_204);
      expect(all.map((entry) => entry.sequence)).toEqual(
        Array.from({ length: 1_204 }, (_, i) => i + 1),
      );
      const ys = await collect(store.export({ clientId: "y" }));
      expect(ys).toHaveLength(302);
      expect(ys.at(-1)?.requestId).toBe("last");
    });

    describe("tampering", () => {
      const fill = async () => {
        const harness = await makeStore();
        for (let i = 0; i < 10; i++)
          await harness.store.append(auditRecord({ requestId: `t${i}` }));
        return harness;
      };

      it("names an edited record", async () => {
        const { store, tamper } = await fill();
        await tamper.edit(4, { clientId: "someone-else" });
        expect(await store.verify()).toEqual({
          ok: false,
          firstBadSequence: 4,
          reason: "ALTERED",
          count: 3,
        });
        expect(await store.verify({ to: 3 }), "entries before it still verify").toEqual({
          ok: true,
          count: 3,
        });
      });

      it("names an edit even when the record was rehashed: its successor no longer links", async () => {
        const { store, tamper } = await fill();
        const [original] = (await store.query({ limit: 1, cursor: "5" })).entries;
        if (original === undefined) throw new Error("entry 6 expected");
        const { hash: _hash, ...content } = { ...original, fieldsReleased: ["nik"] };
        await tamper.edit(6, {
          fieldsReleased: ["nik"],
          hash: await sha256Hex(canonicalJson(content)),
        });
        expect(await store.verify()).toMatchObject({
          ok: false,
          firstBadSequence: 7,
          reason: "BROKEN_LINK",
        });
      });

      it("names a deleted record", async () => {
        const { store, tamper } = await fill();
        await tamper.remove(7);
        expect(await store.verify()).toMatchObject({
          ok: false,
          firstBadSequence: 7,
          reason: "MISSING",
        });
        const page = await store.query({ limit: 100 });
        expect(page.entries.map((entry) => entry.sequence)).not.toContain(7);
      });

      it("names the newest record when it is deleted", async () => {
        const { store, tamper } = await fill();
        await tamper.remove(10);
        expect(await store.verify()).toMatchObject({
          ok: false,
          firstBadSequence: 10,
          reason: "MISSING",
        });
      });

      it("names swapped records", async () => {
        const { store, tamper } = await fill();
        await tamper.swap(3, 8);
        expect(await store.verify()).toMatchObject({
          ok: false,
          firstBadSequence: 3,
          reason: "REORDERED",
        });
        expect(await store.verify({ from: 4, to: 7 })).toEqual({ ok: true, count: 4 });
        expect(await store.verify({ from: 8 })).toMatchObject({
          firstBadSequence: 8,
          reason: "REORDERED",
        });
      });
    });
  });
}
