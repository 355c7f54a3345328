/**
 * Concurrency in workerd: the Durable Object stores keep rate limits exact and the audit chain
 * serial when many requests arrive at once, as they do across isolates in production.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, tokenFor } from "./support/target.ts";
import {
  overWranglerTarget,
  type WranglerTarget,
  workerdSuiteEnabled,
} from "./support/wrangler.ts";

const LIMITED = { id: "limited-app", secret: "limited-app-secret-for-workerd-tests-0001" };
const LIMIT = 37;

/** The demo clients plus one with a small per-minute limit. */
function clientFile(): string {
  const file = JSON.parse(
    readFileSync(new URL("../gateway/config/dev-clients.json", import.meta.url), "utf8"),
  ) as {
    clients: Record<string, unknown>[];
  };
  file.clients.push({
    id: LIMITED.id,
    name: "Rate-limited test client",
    secret: LIMITED.secret,
    scopes: ["identity:lookup"],
    purposes: ["identity-verification"],
    fields: ["nik", "fullName", "lifeStatus"],
    ratePlan: { perMinute: LIMIT, perDay: 10_000 },
  });
  return JSON.stringify(file);
}

/** Waits out the end of a minute, so a burst cannot straddle two fixed windows. */
async function awayFromMinuteBoundary(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 45_000) await new Promise((resolve) => setTimeout(resolve, 60_500 - intoMinute));
}

describe.runIf(workerdSuiteEnabled())("concurrency in workerd", () => {
  let target: WranglerTarget;
  let cleanNik: string;

  beforeAll(async () => {
    target = await overWranglerTarget({ vars: { SIMPUL_CLIENTS: clientFile() } });
    cleanNik = target.world.examples("CLEAN", 1)[0] ?? "";
  }, 150_000);
  afterAll(async () => {
    await target?.close();
  });

  it(`admits exactly ${LIMIT} of 200 concurrent requests from one client`, async () => {
    const response = await target.fetch("/oauth/token", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${btoa(`${LIMITED.id}:${LIMITED.secret}`)}`,
      },
      body: "grant_type=client_credentials",
    });
    expect(response.status, await response.clone().text()).toBe(200);
    const { access_token: token } = (await response.json()) as { access_token: string };
    await awayFromMinuteBoundary();
    const statuses = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const reply = await postJson(
          target,
          "/v1/identity/lookup",
          { nik: cleanNik },
          { token, purpose: "identity-verification" },
        );
        await reply.body?.cancel();
        return reply.status;
      }),
    );
    const admitted = statuses.filter((status) => status === 200).length;
    expect(admitted, `statuses: ${[...new Set(statuses)].join(", ")}`).toBe(LIMIT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(200 - LIMIT);
  }, 90_000);

  it("streams a 2,000-NIK batch check to its last line, one audit record per chunk", async () => {
    const token = await tokenFor(target, "kemensos-app");
    const niks = Array.from({ length: 2_000 }, (_, i) => target.world.person(i).nik);
    const response = await postJson(
      target,
      "/v1/enrolments/check-batch",
      { niks },
      { token, purpose: "eligibility-verification", headers: { "x-request-id": "batch-2000" } },
    );
    expect(response.status, await response.clone().text()).toBe(200);
    const lines = (await response.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.at(-1), "the stream ends with its done line").toMatchObject({
      done: true,
      count: 2_000,
    });
    const oversight = await tokenFor(target, "inspektorat");
    const records = await target.fetch("/v1/audit/records?clientId=kemensos-app&limit=1000", {
      headers: { authorization: `Bearer ${oversight}`, "simpul-purpose": "oversight" },
    });
    const { entries } = (await records.json()) as { entries: { requestId: string }[] };
    expect(entries.filter((entry) => entry.requestId === "batch-2000").length).toBeGreaterThan(0);
  }, 60_000);

  it("keeps one gap-free, verifiable audit chain under 100 concurrent audited requests", async () => {
    const token = await tokenFor(target, "kemensos-app");
    const statuses = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const reply = await postJson(
          target,
          "/v1/identity/lookup",
          { nik: cleanNik },
          {
            token,
            purpose: "eligibility-verification",
            headers: { "x-request-id": `concurrent-${i}` },
          },
        );
        await reply.body?.cancel();
        return reply.status;
      }),
    );
    expect(statuses.every((status) => status === 200)).toBe(true);

    const oversight = await tokenFor(target, "inspektorat");
    const headers = { authorization: `Bearer ${oversight}`, "simpul-purpose": "oversight" };
    const verify = await target.fetch("/v1/audit/verify", { headers });
    expect(verify.status, await verify.clone().text()).toBe(200);
    const verdict = (await verify.json()) as {
      ok: boolean;
      count: number;
      head: { sequence: number };
    };
    expect(verdict.ok, JSON.stringify(verdict)).toBe(true);
    expect(verdict.count, "every entry verifies, from 1 to the head").toBe(verdict.head.sequence);

    const page = await target.fetch("/v1/audit/records?clientId=kemensos-app&limit=1000", {
      headers,
    });
    expect(page.status, await page.clone().text()).toBe(200);
    const { entries } = (await page.json()) as {
      entries: { sequence: number; requestId: string }[];
    };
    const ours = entries.filter((entry) => entry.requestId.startsWith("concurrent-"));
    expect(new Set(ours.map((entry) => entry.requestId)).size, "one entry per request").toBe(100);
    const sequences = entries.map((entry) => entry.sequence);
    expect(new Set(sequences).size, "no sequence number is used twice").toBe(sequences.length);
  }, 60_000);
});
