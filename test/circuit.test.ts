/** A failing source opens its circuit (answers stay fast and partial), and it closes on recovery. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayTarget, inProcessTarget, postJson, tokenFor } from "./support/target.ts";

let target: GatewayTarget;
let token: string;

beforeAll(async () => {
  target = await inProcessTarget();
  token = await tokenFor(target, "kemensos-app");
});
afterAll(async () => {
  await target?.close();
});

async function circuitOf(source: string): Promise<string | undefined> {
  const response = await target.fetch("/v1/sources", {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  const { sources } = (await response.json()) as { sources: { id: string; circuit: string }[] };
  return sources.find((s) => s.id === source)?.circuit;
}

const check = async (nik: string) => {
  const response = await postJson(
    target,
    "/v1/enrolments/check",
    { nik, programs: ["BPUM"] },
    {
      token,
      purpose: "eligibility-verification",
    },
  );
  expect(response.status).toBe(200);
  return (await response.json()) as {
    complete: boolean;
    sources: { id: string; status: string }[];
  };
};

describe("circuit breaker", () => {
  it("opens after repeated upstream failures, refuses fast, and recovers", async () => {
    const sims = target.node?.embedded?.simulators;
    if (!sims) throw new Error("embedded simulators expected");
    const [nik] = target.world.examples("CLEAN", 1);
    expect(await circuitOf("kemenkopukm")).toBe("CLOSED");

    sims.kemenkopukm.control.set({ errorRate: 1, retryAfterRate: 0 });
    for (let i = 0; i < 6 && (await circuitOf("kemenkopukm")) !== "OPEN"; i++)
      await check(nik ?? "");
    expect(await circuitOf("kemenkopukm"), "repeated 5xx must open the circuit").toBe("OPEN");

    const before = sims.kemenkopukm.control.stats().requests;
    const started = performance.now();
    const refused = await check(nik ?? "");
    expect(performance.now() - started, "an open circuit answers without waiting").toBeLessThan(
      500,
    );
    expect(refused.complete).toBe(false);
    expect(refused.sources.find((s) => s.id === "kemenkopukm")?.status).toBe("UNAVAILABLE");
    expect(
      sims.kemenkopukm.control.stats().requests,
      "an open circuit does not call the source",
    ).toBe(before);

    await sims.kemenkopukm.control.reset();
    // The Node policy keeps a circuit open for 5 s before letting a probe through.
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    const recovered = await check(nik ?? "");
    expect(recovered.complete).toBe(true);
    expect(await circuitOf("kemenkopukm")).toBe("CLOSED");
  }, 30_000);
});
