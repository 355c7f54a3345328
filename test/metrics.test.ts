/** /metrics parses as Prometheus text exposition and moves as traffic flows. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePrometheusText, type Sample, sumOf } from "./support/prometheus.ts";
import { type GatewayTarget, inProcessTarget, postJson, tokenFor } from "./support/target.ts";

const METRICS_TOKEN = "metrics-test-token-0123456789";

let target: GatewayTarget;

beforeAll(async () => {
  target = await inProcessTarget({ env: { SIMPUL_METRICS_TOKEN: METRICS_TOKEN } });
});
afterAll(async () => {
  await target?.close();
});

async function scrape(): Promise<{ types: Map<string, string>; samples: Sample[] }> {
  const response = await target.fetch("/metrics", {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain; version=0.0.4");
  return parsePrometheusText(await response.text());
}

describe("metrics", () => {
  it("refuses scrapes without the metrics token", async () => {
    expect((await target.fetch("/metrics")).status).toBe(401);
    const wrong = await target.fetch("/metrics", {
      headers: { authorization: "Bearer wrong-token-wrong-token" },
    });
    expect(wrong.status).toBe(401);
  });

  it("parses as Prometheus text and moves with traffic", async () => {
    const before = await scrape();
    expect(before.types.get("simpul_http_requests_total")).toBe("counter");
    expect(before.types.get("simpul_http_request_duration_seconds")).toBe("histogram");
    expect(before.samples.filter((s) => s.name === "simpul_source_circuit_state")).toHaveLength(4);

    const token = await tokenFor(target, "kemensos-app");
    const [nik] = target.world.examples("CLEAN", 1);
    for (let i = 0; i < 3; i++) {
      const response = await postJson(
        target,
        "/v1/identity/lookup",
        { nik },
        {
          token,
          purpose: "eligibility-verification",
        },
      );
      expect(response.status).toBe(200);
    }
    const trial = await tokenFor(target, "demo-trial");
    for (let i = 0; i < 5; i++) {
      await postJson(
        target,
        "/v1/identity/lookup",
        { nik },
        { token: trial, purpose: "identity-verification" },
      );
    }

    const after = await scrape();
    const moved = (name: string, match: Record<string, string> = {}) =>
      sumOf(after.samples, name, match) - sumOf(before.samples, name, match);
    const lookups = { route: "/v1/identity/lookup", method: "POST", status: "200" };
    expect(moved("simpul_http_requests_total", lookups), "3 + 3 admitted lookups").toBe(6);
    expect(
      moved("simpul_source_call_duration_seconds_count", { source: "dukcapil", outcome: "ok" }),
    ).toBe(6);
    expect(moved("simpul_rate_limit_refusals_total", { client: "demo-trial" })).toBe(2);
    expect(moved("simpul_tokens_issued_total", { client: "kemensos-app" })).toBe(1);
    expect(moved("simpul_audit_append_duration_seconds_count"), "8 lookups, 8 records").toBe(8);
  });

  it("labels unmatched paths as one series, so scanners cannot blow up cardinality", async () => {
    for (const path of ["/wp-admin", "/.env", "/x/y/z"]) await target.fetch(path);
    const after = await scrape();
    const routes = new Set(
      after.samples
        .filter((s) => s.name === "simpul_http_requests_total")
        .map((s) => s.labels.route),
    );
    expect(routes.has("/wp-admin")).toBe(false);
    expect(routes.has("unmatched")).toBe(true);
  });
});

describe("Prometheus text reader", () => {
  it("rejects what an exposition must not contain", () => {
    expect(() => parsePrometheusText("# TYPE a counter\nb 1\n")).toThrow(/undeclared/);
    expect(() => parsePrometheusText("# TYPE a counter\na{x=1} 1\n")).toThrow(/labels/);
    expect(() => parsePrometheusText("# TYPE a counter\na one\n")).toThrow(/number/);
  });
});
