import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { generateWorld } from "../world/index.ts";
import { type Simulators, startSimulators } from "./index.ts";

const world = generateWorld({ seed: 11, size: 3_000 });
let sims: Simulators;
let kemnakerToken = "";
const nik = world.examples("CLEAN", 1)[0] ?? "";

/** One ordinary lookup per source, with its own credentials. */
const requests: Record<
  "dukcapil" | "kemensos" | "kemnaker" | "kemenkopukm",
  () => Promise<Response>
> = {
  dukcapil: () =>
    fetch(`${sims.dukcapil.url}/CALL_NIK`, {
      method: "POST",
      body: JSON.stringify({ NIK: nik, ...sims.dukcapil.credentials }),
    }),
  kemensos: () =>
    fetch(`${sims.kemensos.url}/api/v1/dtks/nik`, {
      method: "POST",
      headers: { "x-api-key": sims.kemensos.credentials.apiKey },
      body: JSON.stringify({ nik }),
    }),
  kemnaker: () =>
    fetch(`${sims.kemnaker.url}/api/v1/penerima/cek-bulk`, {
      method: "POST",
      headers: { authorization: `Bearer ${kemnakerToken}` },
      body: JSON.stringify({ nik: [nik] }),
    }),
  kemenkopukm: () =>
    fetch(`${sims.kemenkopukm.url}/bpum/v1/inquiry/bulk`, {
      method: "POST",
      headers: {
        authorization: `Basic ${btoa(`${sims.kemenkopukm.credentials.username}:${sims.kemenkopukm.credentials.password}`)}`,
      },
      body: JSON.stringify({ daftar_nik: [nik] }),
    }),
};

beforeAll(async () => {
  sims = await startSimulators({ world });
  const { clientId, clientSecret } = sims.kemnaker.credentials;
  const token = await fetch(`${sims.kemnaker.url}/oauth/token`, {
    method: "POST",
    headers: { authorization: `Basic ${btoa(`${clientId}:${clientSecret}`)}` },
    body: "grant_type=client_credentials",
  });
  kemnakerToken = ((await token.json()) as { access_token: string }).access_token;
});
afterEach(() => sims.resetAll());
afterAll(() => sims.close());

describe.each(Object.keys(requests) as (keyof typeof requests)[])("%s simulator faults", (id) => {
  const send = () => requests[id]();
  const sim = () => sims[id];

  it("answers healthy requests with JSON", async () => {
    const res = await send();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    await res.json();
  });

  it("injects latency", async () => {
    sim().control.set({ latency: { kind: "fixed", ms: 120 } });
    const started = performance.now();
    await (await send()).text();
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it("injects 500/503 errors", async () => {
    sim().control.set({ errorRate: 1 });
    expect([500, 503]).toContain((await send()).status);
  });

  it("injects malformed and oversized bodies", async () => {
    sim().control.set({ malformedRate: 1, malformedKind: "truncated" });
    await expect((await send()).json()).rejects.toThrow();
    sim().control.set({ malformedRate: 0, oversizedRate: 1, oversizedBytes: 1024 * 1024 });
    expect((await (await send()).text()).length).toBeGreaterThan(1024 * 1024);
  });

  it("hangs in timeout mode", async () => {
    sim().control.set({ timeoutRate: 1 });
    await expect(
      fetch(`${sim().origin}/anything`, { method: "POST", signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
  });

  it("goes down and comes back on the same port", async () => {
    const port = new URL(sim().origin).port;
    await sim().control.down();
    await expect(send()).rejects.toThrow();
    await sim().control.up();
    expect(new URL(sim().origin).port).toBe(port);
    expect((await send()).status).toBe(200);
  });
});
