/**
 * Sources asked while the rate-limit charge is decided (middleware/known-room.ts): answers stay
 * exact whatever the timing, and sources are asked for a refused request only when another
 * process took the client's last room meanwhile.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { DukcapilAdapter } from "../adapters/dukcapil/adapter.ts";
import { createApp } from "../gateway/src/app.ts";
import { silentLogger } from "../gateway/src/logging/logger.ts";
import { buildNodeServices, type NodeServices } from "../gateway/src/node/build-services.ts";
import { parseNodeConfig } from "../gateway/src/node/config.ts";
import type { AuditEntry } from "../gateway/src/stores/audit/record.ts";
import { devClient } from "./support/dev-clients.ts";
import { clientToken, startEarlyInMinute } from "./support/shared-redis.ts";
import { TEST_WORLD } from "./support/target.ts";

const LOOKUP = "/v1/identity/lookup";
/** Three lookups a minute (gateway/config/dev-clients.json). */
const CLIENT = "demo-trial";
const PURPOSE = "identity-verification";

const opened: NodeServices[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((node) => node.close()));
});

/**
 * Two gateway processes on one set of stores, as two instances on one Redis: `here` counts the
 * civil-registry lookups it makes, `elsewhere` only spends the same client's room.
 */
async function twoProcesses(env: Record<string, string> = {}) {
  const node = await buildNodeServices(
    parseNodeConfig({
      NODE_ENV: "test",
      SIMPUL_WORLD_SEED: String(TEST_WORLD.seed),
      SIMPUL_WORLD_SIZE: String(TEST_WORLD.size),
      SIMPUL_LOG_LEVEL: "error",
      ...env,
    }),
    silentLogger,
    "http://simpul.test",
  );
  opened.push(node);
  const registry = node.services.dukcapil;
  const asked: string[] = [];
  const counted: DukcapilAdapter = {
    ...registry,
    lookup: (nik, ctx) => {
      asked.push(nik);
      return registry.lookup(nik, ctx);
    },
  };
  const here = createApp({ ...node.services, dukcapil: counted });
  const elsewhere = createApp({ ...node.services });
  const token = await clientToken(
    { fetch: async (path, init) => here.request(path, init) },
    CLIENT,
    devClient(CLIENT).secret,
  );
  const nik = node.embedded?.world.examples("CLEAN", 1)[0] ?? "";
  const lookup = (
    app: typeof here,
    requestId: string,
    options: { body?: string; purpose?: string } = {},
  ) =>
    app.request(LOOKUP, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "simpul-purpose": options.purpose ?? PURPOSE,
        "x-request-id": `alongside-${requestId}`,
      },
      body: options.body ?? JSON.stringify({ nik }),
    });
  const auditOf = async (requestId: string): Promise<AuditEntry | undefined> => {
    const page = await node.services.audit.query({ clientId: CLIENT, limit: 100 });
    return page.entries.find((entry) => entry.requestId === `alongside-${requestId}`);
  };
  /** `simpul_rate_limit_refusals_after_sources_total` for the client, as /metrics shows it. */
  const refusedAfterSources = () => {
    const text = node.services.metrics?.registry.render() ?? "";
    const line = text
      .split("\n")
      .find((row) =>
        row.startsWith(`simpul_rate_limit_refusals_after_sources_total{client="${CLIENT}"}`),
      );
    return line === undefined ? 0 : Number(line.split(" ").at(-1));
  };
  return { here, elsewhere, lookup, asked, nik, auditOf, refusedAfterSources };
}

describe("sources asked while the charge is decided", () => {
  it("in one process, asks the sources only for requests the plan admits, however many come at once", async () => {
    const { here, lookup, asked } = await twoProcesses();
    await startEarlyInMinute();
    // The first answer tells this process how much room the client has left (two lookups).
    expect((await lookup(here, "first")).status).toBe(200);
    const statuses = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => (await lookup(here, `burst-${i}`)).status),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(2);
    expect(statuses.filter((status) => status === 429)).toHaveLength(8);
    expect(
      asked,
      "one civil-registry lookup per admitted request, none for a refused one",
    ).toHaveLength(3);
  });

  it("puts the RateLimit headers on an answer whose charge was decided while it was built", async () => {
    const { here, lookup } = await twoProcesses();
    await startEarlyInMinute();
    const first = await lookup(here, "first");
    expect(first.headers.get("ratelimit-remaining")).toBe("2");
    const second = await lookup(here, "second");
    expect(second.status).toBe(200);
    expect(second.headers.get("ratelimit-remaining")).toBe("1");
    expect(second.headers.get("ratelimit-policy")).toBe("3;w=60, 100;w=86400");
    const invalid = await lookup(here, "invalid", {
      body: JSON.stringify({ nik: "3273014501900001", unexpected: true }),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get("ratelimit-remaining"), "charged before the body was refused").toBe(
      "0",
    );
  });

  it("refuses a request that went ahead when another process took the room, releasing nothing and recording it", async () => {
    const { here, elsewhere, lookup, asked, nik, auditOf, refusedAfterSources } =
      await twoProcesses();
    await startEarlyInMinute();
    expect((await lookup(here, "first")).status).toBe(200);
    // Another instance spends the two lookups this process believes are left.
    for (const id of ["other-1", "other-2"]) expect((await lookup(elsewhere, id)).status).toBe(200);
    const raced = await lookup(here, "raced");
    expect(raced.status).toBe(429);
    expect(raced.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(raced.headers.get("ratelimit-remaining")).toBe("0");
    const text = await raced.text();
    expect(JSON.parse(text)).toMatchObject({ code: "RATE_LIMITED" });
    expect(text, "no personal data in the refusal").not.toContain(nik);
    expect(text).not.toContain("fullName");
    expect(asked, "the raced request's source was asked").toHaveLength(2);
    const record = await auditOf("raced");
    expect(record).toMatchObject({
      outcome: "DENIED",
      httpStatus: 429,
      errorCode: "RATE_LIMITED",
      fieldsReleased: [],
      sources: [{ id: "dukcapil", status: "OK" }],
    });
    expect(record?.nikHmac, "oversight can see whose record was fetched").toMatch(/^[0-9a-f]{64}$/);
    expect(refusedAfterSources(), "operators can see what going ahead cost").toBe(1);
    // Told there is no room, this process charges first again: no source is asked.
    expect((await lookup(here, "after")).status).toBe(429);
    expect(asked).toHaveLength(2);
    expect(refusedAfterSources()).toBe(1);
  });

  it("answers a refusal rather than the request's own error when the room was gone", async () => {
    const { here, elsewhere, lookup, asked, refusedAfterSources } = await twoProcesses();
    await startEarlyInMinute();
    expect((await lookup(here, "first")).status).toBe(200);
    for (const id of ["other-1", "other-2"]) expect((await lookup(elsewhere, id)).status).toBe(200);
    const badBody = await lookup(here, "bad-body", { body: "{not json" });
    expect(badBody.status, "the charge decides first, as when it is taken before the body").toBe(
      429,
    );
    expect(((await badBody.json()) as { code: string }).code).toBe("RATE_LIMITED");
    expect(asked).toHaveLength(1);
    expect(refusedAfterSources(), "refused before its sources were asked").toBe(0);
  });

  it("with SIMPUL_ASK_SOURCES_WHILE_CHARGING=false, asks no source for a request refused", async () => {
    const { here, elsewhere, lookup, asked } = await twoProcesses({
      SIMPUL_ASK_SOURCES_WHILE_CHARGING: "false",
    });
    await startEarlyInMinute();
    expect((await lookup(here, "first")).status).toBe(200);
    for (const id of ["other-1", "other-2"]) expect((await lookup(elsewhere, id)).status).toBe(200);
    expect((await lookup(here, "raced")).status).toBe(429);
    expect(asked, "only the admitted request reached the civil registry").toHaveLength(1);
  });
});
