/** A regional client checks its own residents in bulk; newcomers only one by one, flagged. */
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayTarget, inProcessTarget, postJson } from "./support/target.ts";

const REGION = "3201"; // Kabupaten Bogor
const SECRET = "regional-test-secret-0123456789abcdef";

let target: GatewayTarget;
let token: string;
let resident: string;
let outsider: string;

beforeAll(async () => {
  const clientsFile = join(tmpdir(), `simpul-regional-${crypto.randomUUID()}.json`);
  writeFileSync(
    clientsFile,
    JSON.stringify({
      clients: [
        {
          id: "dinsos-bogor",
          name: "Dinas Sosial Kabupaten Bogor",
          secret: SECRET,
          scopes: ["enrolments:check", "enrolments:batch"],
          purposes: ["disbursement-validation"],
          fields: ["nik", "fullName"],
          ratePlan: { perMinute: 1000, perDay: 100_000, batchCostPerNik: 1 },
          region: REGION,
        },
      ],
    }),
  );
  target = await inProcessTarget({ env: { SIMPUL_CLIENTS_FILE: clientsFile } });
  const response = await target.fetch("/oauth/token", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${btoa(`dinsos-bogor:${SECRET}`)}`,
    },
    body: "grant_type=client_credentials",
  });
  token = ((await response.json()) as { access_token: string }).access_token;
  const clean = target.world.examples("CLEAN", 2_000);
  const regencyOf = (nik: string) =>
    target.world.person(target.world.indexOf(nik)).address.regency.code;
  resident = clean.find((nik) => regencyOf(nik) === REGION) ?? "";
  outsider = clean.find((nik) => regencyOf(nik) !== REGION && !nik.startsWith(REGION)) ?? "";
  expect(resident, "the test world must hold a clean resident of the region").not.toBe("");
});
afterAll(async () => {
  await target?.close();
});

describe("regional client", () => {
  it("gets results for residents and an error line for outsiders in a batch", async () => {
    const response = await postJson(
      target,
      "/v1/enrolments/check-batch",
      { niks: [resident, outsider] },
      {
        token,
        purpose: "disbursement-validation",
      },
    );
    expect(response.status).toBe(200);
    const lines = (await response.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines[0]).toMatchObject({ index: 0, nik: resident, result: { complete: true } });
    expect(lines[1]).toEqual({
      index: 1,
      error: { code: "OUTSIDE_CLIENT_REGION", detail: expect.any(String) },
    });
    expect(JSON.stringify(lines[1]), "nothing about the outsider is released").not.toContain(
      outsider,
    );
    expect(lines[2]).toMatchObject({ done: true, count: 2, errors: 1 });
  });

  it("may check a newcomer one by one, flagged in the answer", async () => {
    const response = await postJson(
      target,
      "/v1/enrolments/check",
      { nik: outsider },
      {
        token,
        purpose: "disbursement-validation",
      },
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { findings: { type: string }[] };
    expect(body.findings.map((finding) => finding.type)).toContain("OUTSIDE_CLIENT_REGION");
  });
});
