import { describe, expect, it } from "vitest";
import type { ProgramEnrolment } from "../../schemas/src/enrolment.ts";
import { withCanonicalEnrolments } from "./canonical.ts";
import type { EnrolmentAdapter } from "./enrolment-source.ts";
import { ok } from "./result.ts";

const health = () => ({
  id: "kemensos" as const,
  circuit: "CLOSED" as const,
  latencyP50Ms: null,
  latencyP95Ms: null,
  recentFailures: 0,
  lastSuccessAt: null,
  lastFailureAt: null,
});

function adapterAnswering(enrolment: unknown): EnrolmentAdapter {
  const value = { known: true, enrolments: [enrolment as ProgramEnrolment] };
  return {
    id: "kemensos",
    programs: ["PKH"],
    maxBulk: 10,
    health,
    close: async () => {},
    enrolments: async () => ok(value),
    enrolmentsBulk: async (niks) => ok(new Map(niks.map((nik) => [nik, value]))),
  };
}

const CANONICAL = {
  program: "PKH",
  enrolled: true,
  status: "ACTIVE",
  period: "2024-10",
  source: "kemensos",
  asOf: "2024-11-01T00:00:00.000Z",
};

describe("canonical enrolment check", () => {
  it("lets canonical enrolments through untouched", async () => {
    const result = await withCanonicalEnrolments(adapterAnswering(CANONICAL)).enrolments("x", {});
    expect(result).toMatchObject({ ok: true, value: { enrolments: [CANONICAL] } });
  });

  it.each([
    ["an unknown status", { ...CANONICAL, status: "MAYBE" }],
    ["an unknown program", { ...CANONICAL, program: "KIP" }],
    ["an extra field", { ...CANONICAL, nik: "3273014501900001" }],
  ])("turns %s into a BAD_RESPONSE, single and bulk", async (_name, enrolment) => {
    const adapter = withCanonicalEnrolments(adapterAnswering(enrolment));
    expect(await adapter.enrolments("x", {})).toMatchObject({
      ok: false,
      error: { kind: "BAD_RESPONSE" },
    });
    expect(await adapter.enrolmentsBulk(["x"], {})).toMatchObject({
      ok: false,
      error: { kind: "BAD_RESPONSE" },
    });
  });
});
