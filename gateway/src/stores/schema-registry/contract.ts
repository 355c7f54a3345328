/** The behaviour every schema-registry store must show; run against memory and Redis. */
import { describe, expect, it } from "vitest";
import { schemaId } from "../../schema-registry/subjects.ts";
import { type SchemaRegistryStore, type SchemaSeed, seedSchemaRegistry } from "./port.ts";

const doc = (subject: string, version: string, extra: Record<string, unknown> = {}) => ({
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: schemaId(subject, version),
  type: "object",
  ...extra,
});

const publication = (subject: string, version: string) => ({
  version,
  document: doc(subject, version),
  publishedBy: "walidata-bps",
  publishedAt: "2025-02-01T08:00:00.000Z",
});

export function describeSchemaRegistryStoreContract(
  name: string,
  makeStore: (seed?: readonly SchemaSeed[]) => Promise<SchemaRegistryStore>,
): void {
  describe(`schema-registry store contract: ${name}`, () => {
    it("publishes versions in order and reads them back exactly", async () => {
      const store = await makeStore();
      expect(await store.publish("person", publication("person", "1.0.0"), null)).toMatchObject({
        ok: true,
        record: { subject: "person", version: "1.0.0", publishedBy: "walidata-bps" },
      });
      await store.publish("person", publication("person", "1.1.0"), "1.0.0");
      const versions = await store.listVersions("person");
      expect(versions.map((record) => record.version)).toEqual(["1.0.0", "1.1.0"]);
      expect(await store.getVersion("person", "1.1.0")).toEqual({
        subject: "person",
        ...publication("person", "1.1.0"),
      });
      expect(await store.getVersion("person", "9.9.9")).toBeUndefined();
      expect(await store.listVersions("nobody")).toEqual([]);
    });

    it("lists subjects by name with their latest version, count and mode", async () => {
      const store = await makeStore();
      await store.publish("region-province", publication("region-province", "1.0.0"), null);
      await store.publish("household", publication("household", "2.0.0"), null);
      await store.publish("household", publication("household", "2.1.0"), "2.0.0");
      await store.setMode("household", "FULL");
      expect(await store.listSubjects()).toEqual([
        { subject: "household", latestVersion: "2.1.0", versionCount: 2, mode: "FULL" },
        { subject: "region-province", latestVersion: "1.0.0", versionCount: 1, mode: "BACKWARD" },
      ]);
    });

    it("refuses a stale expectation, an existing version and a version that is not newer", async () => {
      const store = await makeStore();
      await store.publish("finding", publication("finding", "1.0.0"), null);
      expect(await store.publish("finding", publication("finding", "1.1.0"), null)).toEqual({
        ok: false,
        reason: "STALE",
        latest: "1.0.0",
      });
      expect(await store.publish("finding", publication("finding", "1.0.0"), "1.0.0")).toEqual({
        ok: false,
        reason: "VERSION_EXISTS",
        latest: "1.0.0",
      });
      expect(await store.publish("finding", publication("finding", "1.0.0-rc.1"), "1.0.0")).toEqual(
        { ok: false, reason: "NOT_NEWER", latest: "1.0.0" },
      );
      expect((await store.listVersions("finding")).map((r) => r.version)).toEqual(["1.0.0"]);
    });

    it("lets exactly one of many concurrent publishes win", async () => {
      const store = await makeStore();
      await store.publish("race", publication("race", "1.0.0"), null);
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.publish("race", publication("race", `1.${i + 1}.0`), "1.0.0"),
        ),
      );
      expect(
        outcomes.filter((outcome) => outcome.ok),
        "one publish must win",
      ).toHaveLength(1);
      expect(outcomes.filter((o) => !o.ok && o.reason === "STALE")).toHaveLength(19);
      expect(await store.listVersions("race")).toHaveLength(2);
    });

    it("keeps a mode per subject, BACKWARD by default", async () => {
      const store = await makeStore();
      expect(await store.getMode("program")).toBe("BACKWARD");
      await store.setMode("program", "FULL_TRANSITIVE");
      expect(await store.getMode("program")).toBe("FULL_TRANSITIVE");
      expect(await store.getMode("person")).toBe("BACKWARD");
    });

    it("deprecates a version in favour of a published successor", async () => {
      const store = await makeStore();
      await store.publish("problem", publication("problem", "1.0.0"), null);
      await store.publish("problem", publication("problem", "2.0.0"), "1.0.0");
      const deprecation = {
        successor: "2.0.0",
        deprecatedBy: "walidata-bps",
        deprecatedAt: "2025-03-01T00:00:00.000Z",
      };
      expect(await store.deprecate("problem", "1.0.0", deprecation)).toMatchObject({
        ok: true,
        record: { version: "1.0.0", deprecation },
      });
      expect((await store.getVersion("problem", "1.0.0"))?.deprecation).toEqual(deprecation);
      expect((await store.listVersions("problem"))[0]?.deprecation).toEqual(deprecation);
      expect((await store.getVersion("problem", "2.0.0"))?.deprecation).toBeUndefined();
      expect(
        await store.deprecate("problem", "3.0.0", { ...deprecation, successor: "2.0.0" }),
      ).toEqual({ ok: false, reason: "VERSION_NOT_FOUND" });
      expect(
        await store.deprecate("problem", "1.0.0", { ...deprecation, successor: "4.0.0" }),
      ).toEqual({ ok: false, reason: "SUCCESSOR_NOT_FOUND" });
    });

    it("does not let a caller change a published version through a returned object", async () => {
      const store = await makeStore();
      const outcome = await store.publish("person", publication("person", "1.0.0"), null);
      if (outcome.ok) (outcome.record.document as Record<string, unknown>).type = "string";
      const read = await store.getVersion("person", "1.0.0");
      if (read) (read.document as Record<string, unknown>).type = "array";
      expect((await store.getVersion("person", "1.0.0"))?.document.type).toBe("object");
    });

    it("seeds canonical versions once, keeping what was published after them", async () => {
      const seeds: SchemaSeed[] = [
        { subject: "person", ...publication("person", "1.0.0") },
        { subject: "household", ...publication("household", "1.0.0") },
      ];
      const store = await makeStore(seeds);
      await seedSchemaRegistry(store, seeds);
      await store.publish("person", publication("person", "1.1.0"), "1.0.0");
      await seedSchemaRegistry(store, seeds);
      expect((await store.listVersions("person")).map((r) => r.version)).toEqual([
        "1.0.0",
        "1.1.0",
      ]);
      expect((await store.listSubjects()).map((s) => s.subject)).toEqual(["household", "person"]);
    });
  });
}
