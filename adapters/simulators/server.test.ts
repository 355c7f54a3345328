import { createConnection } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FaultPlan } from "./faults.ts";
import { type SimulatorServer, startSimulatorServer } from "./server.ts";

let sim: SimulatorServer;
const BODY = { content: [{ NIK: "3273010101900001", AGE: 34, OK: true }], totalElements: 1 };
const hit = (init: RequestInit = {}) =>
  fetch(`${sim.origin}/echo`, { method: "POST", body: "{}", ...init });
const control = (body: unknown) =>
  fetch(`${sim.origin}/__control`, { method: "POST", body: JSON.stringify(body) });

/** Resolves true when a TCP connection to the port is refused. */
const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });

beforeAll(async () => {
  sim = await startSimulatorServer(() => ({ status: 200, body: BODY }));
});
afterEach(() => sim.control.reset());
afterAll(() => sim.close());

describe("fault plan", () => {
  it("samples latency from a seeded log-normal distribution with the asked median and p99", () => {
    const draw = () => {
      const plan = new FaultPlan();
      plan.set({ latency: { kind: "lognormal", medianMs: 50, p99Ms: 500 }, seed: 9 });
      return Array.from({ length: 20_000 }, () => plan.delay());
    };
    const samples = draw();
    expect(draw()).toEqual(samples);
    const sorted = [...samples].sort((a, b) => a - b);
    expect(sorted[10_000]).toBeGreaterThan(45);
    expect(sorted[10_000]).toBeLessThan(55);
    expect(sorted[19_800]).toBeGreaterThan(400);
    expect(sorted[19_800]).toBeLessThan(620);
  });

  it("samples uniform latency within bounds", () => {
    const plan = new FaultPlan();
    plan.set({ latency: { kind: "uniform", minMs: 10, maxMs: 20 } });
    for (let i = 0; i < 1000; i++) {
      const ms = plan.delay();
      expect(ms).toBeGreaterThanOrEqual(10);
      expect(ms).toBeLessThanOrEqual(20);
    }
  });

  it("rejects invalid settings with the problem named", () => {
    const plan = new FaultPlan();
    expect(() => plan.set({ errorRate: 2 })).toThrow(/errorRate/);
    expect(() => plan.set({ latency: { kind: "fixed" } as never })).toThrow(/latency/);
  });

  it("draws error outcomes at about the configured rate", () => {
    const plan = new FaultPlan();
    plan.set({ errorRate: 0.2, seed: 3 });
    let errors = 0;
    for (let i = 0; i < 10_000; i++) if (plan.outcome().kind === "error") errors++;
    expect(errors / 10_000).toBeGreaterThan(0.18);
    expect(errors / 10_000).toBeLessThan(0.22);
  });
});

describe("simulator server", () => {
  it("answers JSON over keep-alive when healthy", async () => {
    const res = await hit();
    expect(res.status).toBe(200);
    expect(res.headers.get("connection")).toBe("keep-alive");
    expect(await res.json()).toEqual(BODY);
  });

  it("delays answers by the configured latency", async () => {
    sim.control.set({ latency: { kind: "fixed", ms: 150 } });
    const started = performance.now();
    await (await hit()).text();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("answers 500 or 503, with Retry-After on 503s when asked", async () => {
    sim.control.set({ errorRate: 1, retryAfterRate: 1, retryAfterSeconds: 7 });
    const statuses = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const res = await hit();
      await res.text();
      statuses.add(res.status);
      if (res.status === 503) expect(res.headers.get("retry-after")).toBe("7");
    }
    expect([...statuses].sort()).toEqual([500, 503]);
    expect(sim.control.stats().faults).toBe(20);
  });

  it("never answers in timeout mode", async () => {
    sim.control.set({ timeoutRate: 1 });
    await expect(hit({ signal: AbortSignal.timeout(300) })).rejects.toThrow(/abort|timeout/i);
  });

  it("sends truncated JSON, wrongly typed JSON and HTML pages", async () => {
    sim.control.set({ malformedRate: 1, malformedKind: "truncated" });
    const truncated = await (await hit()).text();
    expect(() => JSON.parse(truncated)).toThrow();
    expect(JSON.stringify(BODY).startsWith(truncated)).toBe(true);

    sim.control.set({ malformedKind: "wrong-types" });
    const typed = (await (await hit()).json()) as Record<string, unknown>;
    expect(Array.isArray(typed.content)).toBe(false);
    expect(typed.totalElements).toBe("1");
    expect((typed.content as Record<string, Record<string, unknown>>)["0"]?.NIK).toBe(
      3273010101900001,
    );

    sim.control.set({ malformedKind: "html" });
    const html = await hit();
    expect(html.headers.get("content-type")).toBe("text/html");
    expect(await html.text()).toContain("<html>");
  });

  it("streams an oversized valid body without Content-Length", async () => {
    expect(sim.control.settings.oversizedBytes).toBe(20 * 1024 * 1024);
    sim.control.set({ oversizedRate: 1, oversizedBytes: 3 * 1024 * 1024 });
    const res = await hit();
    expect(res.headers.get("content-length")).toBeNull();
    const text = await res.text();
    expect(text.length).toBeGreaterThan(3 * 1024 * 1024);
    expect(() => JSON.parse(text)).not.toThrow();
  });

  it("goes down (connections refused) and comes back on the same port", async () => {
    await (await hit()).text();
    await sim.control.down();
    expect(sim.control.isDown).toBe(true);
    expect(await refused(sim.port)).toBe(true);
    await expect(hit()).rejects.toThrow();
    await sim.control.up();
    expect(await refused(sim.port)).toBe(false);
    expect((await hit()).status).toBe(200);
  });

  it("is controllable over HTTP from loopback, including a timed outage", async () => {
    const set = await control({ errorRate: 1, latency: { kind: "uniform", minMs: 0, maxMs: 5 } });
    expect(set.status).toBe(200);
    expect(((await set.json()) as { settings: { errorRate: number } }).settings.errorRate).toBe(1);
    expect([500, 503]).toContain((await hit()).status);

    expect((await control({ errorRate: 5 })).status).toBe(400);
    expect((await control({ reset: true })).status).toBe(200);
    expect((await hit()).status).toBe(200);

    const down = await control({ downForMs: 300 });
    expect(down.status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await refused(sim.port)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await refused(sim.port)).toBe(false);
    const state = await fetch(`${sim.origin}/__control`);
    expect(((await state.json()) as { down: boolean }).down).toBe(false);
  });

  it("answers 413 for request bodies over the limit", async () => {
    const res = await hit({ body: "x".repeat(5 * 1024 * 1024) });
    expect(res.status).toBe(413);
  });
});
