/** The audit trail end to end: every personal-data request recorded, searchable, verifiable, fail-closed. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../gateway/src/app.ts";
import { createJsonLogger } from "../gateway/src/logging/logger.ts";
import type { AuditStore } from "../gateway/src/stores/audit/port.ts";
import { type GatewayTarget, inProcessTarget, postJson, tokenFor } from "./support/target.ts";

const logLines: string[] = [];
let target: GatewayTarget;
let auditorToken: string;
let appToken: string;
let nik: string;

const OVERSIGHT = { "simpul-purpose": "oversight" };

beforeAll(async () => {
  target = await inProcessTarget({
    logger: createJsonLogger("debug", (line) => logLines.push(line)),
  });
  auditorToken = await tokenFor(target, "inspektorat");
  appToken = await tokenFor(target, "kemensos-app");
  nik = target.world.examples("CLEAN", 1)[0] ?? "";
});
afterAll(async () => {
  await target?.close();
});

const asAuditor = (path: string, init: RequestInit = {}) =>
  target.fetch(path, {
    ...init,
    headers: {
      authorization: `Bearer ${auditorToken}`,
      ...OVERSIGHT,
      ...(init.headers as Record<string, string>),
    },
  });

async function whoRead(subjectNik: string) {
  const response = await postJson(
    target,
    "/v1/audit/subject",
    { nik: subjectNik },
    { token: auditorToken, purpose: "oversight" },
  );
  expect(response.status).toBe(200);
  return ((await response.json()) as { entries: Record<string, unknown>[] }).entries;
}

describe("audit trail", () => {
  it("records a lookup with purpose, case, fields released and a keyed NIK digest", async () => {
    const response = await postJson(
      target,
      "/v1/identity/lookup",
      { nik },
      {
        token: appToken,
        purpose: "complaint-handling",
        headers: {
          "simpul-end-user": "petugas-042",
          "simpul-case-id": "ADU/2026/117",
          "x-request-id": "audit-test-lookup-1",
        },
      },
    );
    expect(response.status).toBe(200);
    const entries = await whoRead(nik);
    const entry = entries.find((e) => e.requestId === "audit-test-lookup-1");
    expect(entry, "the lookup must be found by the person's NIK").toMatchObject({
      clientId: "kemensos-app",
      purpose: "complaint-handling",
      endUserId: "petugas-042",
      caseId: "ADU/2026/117",
      route: "identity.lookup",
      outcome: "RELEASED",
      httpStatus: 200,
      sources: [{ id: "dukcapil", status: "OK" }],
    });
    expect(entry?.fieldsReleased).toContain("fullName");
    expect(entry?.nikHmac).toMatch(/^[0-9a-f]{64}$/);
  });

  it("records denied requests too, with the refusal code", async () => {
    await postJson(
      target,
      "/v1/identity/lookup",
      { nik },
      { token: appToken, purpose: "oversight", headers: { "x-request-id": "audit-test-denied-1" } },
    );
    const response = await asAuditor("/v1/audit/records?clientId=kemensos-app&limit=1000");
    const { entries } = (await response.json()) as { entries: Record<string, unknown>[] };
    expect(entries.find((e) => e.requestId === "audit-test-denied-1")).toMatchObject({
      outcome: "DENIED",
      errorCode: "PURPOSE_NOT_ALLOWED",
      purpose: "oversight",
      fieldsReleased: [],
    });
  });

  it("records each NIK of a batch, so the person can see batch reads too", async () => {
    const niks = target.world.examples("CLEAN", 3);
    const response = await postJson(
      target,
      "/v1/enrolments/check-batch",
      { niks },
      {
        token: appToken,
        purpose: "disbursement-validation",
        headers: { "x-request-id": "audit-test-batch-1" },
      },
    );
    expect(response.status).toBe(200);
    await response.text();
    const entries = await whoRead(niks[2] ?? "");
    expect(
      entries.some(
        (e) => e.requestId === "audit-test-batch-1" && e.route === "enrolments.checkBatch",
      ),
    ).toBe(true);
  });

  it("verifies the chain and exports NDJSON with no raw NIK anywhere", async () => {
    const verdict = await (await asAuditor("/v1/audit/verify")).json();
    expect(verdict).toMatchObject({ ok: true });
    expect((verdict as { count: number }).count).toBeGreaterThan(3);
    const exported = await (await asAuditor("/v1/audit/export")).text();
    const lines = exported.trim().split("\n");
    // The verification request is itself recorded, right after it counted.
    expect(lines.length).toBe((verdict as { count: number }).count + 1);
    expect(exported).not.toContain(nik);
    expect(exported, "no 16-digit run may appear in the trail").not.toMatch(
      /(?<![0-9a-f])\d{16}(?![0-9a-f])/,
    );
  });

  it("is closed to everyone but auditors, and auditors must state the oversight purpose", async () => {
    const asApp = await target.fetch("/v1/audit/records", {
      headers: { authorization: `Bearer ${appToken}`, ...OVERSIGHT },
    });
    expect(asApp.status).toBe(403);
    const noPurpose = await target.fetch("/v1/audit/records", {
      headers: { authorization: `Bearer ${auditorToken}` },
    });
    expect(noPurpose.status).toBe(403);
  });

  it("never writes a raw NIK to the logs, nor leans on the logger's masking", () => {
    expect(logLines.length).toBeGreaterThan(10);
    const log = logLines.join("\n");
    expect(log).not.toContain(nik);
    // The logger masks stray 16-digit runs as a last defence; none should have reached it.
    expect(log).not.toContain(`${nik.slice(0, 6)}**********`);
  });
});

describe("fail closed", () => {
  const unavailable: AuditStore = {
    append: async () => {
      throw new Error("audit store down");
    },
    query: async () => ({ entries: [] }),
    export: async function* () {},
    verify: async () => ({ ok: true, count: 0 }),
    head: async () => ({ sequence: 0, hash: "0".repeat(64) }),
  };

  it("withholds personal data with 503 when the record cannot be written", async () => {
    const services = target.node?.services;
    if (!services) throw new Error("in-process services expected");
    const app = createApp({ ...services, audit: unavailable });
    const response = await app.request("/v1/identity/lookup", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${appToken}`,
        "simpul-purpose": "eligibility-verification",
      },
      body: JSON.stringify({ nik }),
    });
    expect(response.status).toBe(503);
    const body = await response.text();
    expect(JSON.parse(body)).toMatchObject({ code: "AUDIT_UNAVAILABLE" });
    const person = target.world.person(target.world.indexOf(nik));
    expect(body, "no personal data may leak in the refusal").not.toContain(person.fullName);
  });

  it("stops a batch stream before releasing unrecorded lines", async () => {
    const services = target.node?.services;
    if (!services) throw new Error("in-process services expected");
    let appends = 0;
    // The request-level record succeeds; the per-NIK records then fail.
    const failing: AuditStore = {
      ...services.audit,
      append: async (record) => {
        appends++;
        if (appends > 1) throw new Error("audit store down");
        return services.audit.append(record);
      },
    };
    const app = createApp({ ...services, audit: failing });
    const response = await app.request("/v1/enrolments/check-batch", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${appToken}`,
        "simpul-purpose": "disbursement-validation",
      },
      body: JSON.stringify({ niks: target.world.examples("CLEAN", 5) }),
    });
    const lines = (await response.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([{ error: { code: "AUDIT_UNAVAILABLE", detail: expect.any(String) } }]);
  });
});
