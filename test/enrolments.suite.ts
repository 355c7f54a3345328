/** The enrolment check over the generated world: every anomaly found, clean people left alone. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type GatewayTarget, postJson, tokenFor } from "./support/target.ts";

const CHECK = "/v1/enrolments/check";
const PURPOSE = "eligibility-verification";

interface CheckBody {
  complete: boolean;
  civilRegistry: string;
  programs: { program: string; enrolled: boolean | null; status: string; source: string }[];
  findings: { type: string; ruleId?: string; programs?: string[] }[];
  sources: { id: string; status: string }[];
}

/** Runs against any target whose simulators the test process controls (in-process, workerd). */
export function describeEnrolments(makeTarget: () => Promise<GatewayTarget>): void {
  let target: GatewayTarget;
  let token: string;

  beforeAll(async () => {
    target = await makeTarget();
    token = await tokenFor(target, "kemensos-app");
  });
  afterAll(async () => {
    await target?.close();
  });

  async function check(nik: string, programs?: string[]): Promise<CheckBody> {
    const response = await postJson(
      target,
      CHECK,
      { nik, ...(programs ? { programs } : {}) },
      { token, purpose: PURPOSE },
    );
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as CheckBody;
  }

  const EXPECTED_FINDING = {
    EXCLUSIVE_CONFLICT: "RULE_CONFLICT",
    DECEASED_ACTIVE: "DECEASED_BUT_ACTIVE",
    NOT_IN_CIVIL_REGISTRY: "NOT_IN_CIVIL_REGISTRY",
    DUPLICATE_NIK: "DUPLICATE_NIK",
    OUTSIDE_KTP_REGION: "KTP_REGION_DIFFERS",
  } as const;

  describe("enrolment check over the generated world", () => {
    it.each(Object.entries(EXPECTED_FINDING))("finds every %s example", async (kind, finding) => {
      const examples = target.world.examples(kind as keyof typeof EXPECTED_FINDING, 10);
      expect(examples.length, `the world must hold ${kind} examples`).toBeGreaterThan(0);
      for (const nik of examples) {
        const body = await check(nik);
        expect(body.complete, `${kind}: all sources should answer`).toBe(true);
        expect(
          body.findings.map((f) => f.type),
          `${kind} example must yield ${finding}`,
        ).toContain(finding);
      }
    });

    it("flags nothing for clean persons and closed deaths", async () => {
      for (const kind of ["CLEAN", "DECEASED"] as const) {
        for (const nik of target.world.examples(kind, 15)) {
          const body = await check(nik);
          expect(body.findings, `${kind} person must have no findings`).toEqual([]);
        }
      }
    });

    it("reports per-program status with period, source and as-of time", async () => {
      const [nik] = target.world.examples("CLEAN", 1);
      const body = await check(nik ?? "");
      expect(body.programs.map((p) => p.program).sort()).toEqual(
        ["BPNT", "BPUM", "BSU", "PBI", "PKH", "PRAKERJA", "BST"].sort(),
      );
      const enrolled = body.programs.filter((p) => p.enrolled);
      expect(
        enrolled.length,
        "clean examples are enrolled in at least one program",
      ).toBeGreaterThan(0);
      for (const program of enrolled)
        expect(program).toMatchObject({ period: expect.any(String), asOf: expect.any(String) });
      expect(body.sources.map((s) => s.status)).toEqual(["OK", "OK", "OK", "OK"]);
    });

    it("asks only the sources that own the requested programs", async () => {
      const [nik] = target.world.examples("CLEAN", 1);
      const body = await check(nik ?? "", ["BPUM"]);
      expect(body.programs.map((p) => p.program)).toEqual(["BPUM"]);
      expect(body.sources.map((s) => s.id)).toEqual(["dukcapil", "kemenkopukm"]);
    });
  });

  describe("when a source fails, the answer is partial and says so", () => {
    afterEach(async () => {
      await target.simulators?.resetAll();
    });

    const simulators = () => {
      const sims = target.simulators;
      if (!sims) throw new Error("a target with simulators in the test process expected");
      return sims;
    };

    it.each(["kemensos", "kemnaker", "kemenkopukm"] as const)(
      "%s down → its programs unknown, others answered",
      async (source) => {
        const [nik] = target.world.examples("CLEAN", 1);
        await simulators()[source].control.down();
        const started = performance.now();
        const body = await check(nik ?? "");
        expect(
          performance.now() - started,
          "a down source must not stall the answer past its deadline",
        ).toBeLessThan(3_500);
        expect(body.complete).toBe(false);
        expect(body.sources.find((s) => s.id === source)?.status).toBe("UNAVAILABLE");
        for (const program of body.programs) {
          if (program.source === source)
            expect(program).toMatchObject({ enrolled: null, status: "UNKNOWN" });
          else expect(program.enrolled).not.toBeNull();
        }
      },
    );

    it("a slow source times out within its deadline and the answer says TIMED_OUT", async () => {
      const [nik] = target.world.examples("CLEAN", 1);
      simulators().kemnaker.control.set({ timeoutRate: 1 });
      const started = performance.now();
      const body = await check(nik ?? "");
      const elapsed = performance.now() - started;
      expect(body.sources.find((s) => s.id === "kemnaker")?.status).toBe("TIMED_OUT");
      expect(elapsed, "must give up at the source's 3 s deadline, not hang").toBeLessThan(4_000);
    });

    it("garbage from a source is a partial answer, not a 500", async () => {
      const [nik] = target.world.examples("CLEAN", 1);
      simulators().kemenkopukm.control.set({ malformedRate: 1 });
      const body = await check(nik ?? "");
      expect(body.sources.find((s) => s.id === "kemenkopukm")?.status).toBe("UNAVAILABLE");
      expect(body.complete).toBe(false);
    });

    it("Dukcapil down → civil registry UNKNOWN, programs still answered", async () => {
      const [nik] = target.world.examples("CLEAN", 1);
      await simulators().dukcapil.control.down();
      const body = await check(nik ?? "");
      expect(body.civilRegistry).toBe("UNKNOWN");
      expect(body.sources[0]).toMatchObject({ id: "dukcapil", status: "UNAVAILABLE" });
      expect(body.programs.every((p) => p.enrolled !== null)).toBe(true);
    });
  });
}
