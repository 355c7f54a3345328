import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { ConfigError, parseNodeConfig } from "./config.ts";

/** What several workers need: external sources, Redis and one signing key. */
const MULTI_PROCESS_ENV = {
  SIMPUL_SOURCES: "external",
  ...Object.fromEntries(
    ["DUKCAPIL", "KEMENSOS", "KEMNAKER", "KEMENKOPUKM"].map((source) => [
      `SIMPUL_${source}_URL`,
      `http://127.0.0.1:9/${source.toLowerCase()}`,
    ]),
  ),
  SIMPUL_DUKCAPIL_USER: "user",
  SIMPUL_DUKCAPIL_PASSWORD: "password",
  SIMPUL_KEMENSOS_API_KEY: "key",
  SIMPUL_KEMNAKER_CLIENT_ID: "client",
  SIMPUL_KEMNAKER_CLIENT_SECRET: "secret",
  SIMPUL_KEMENKOPUKM_USER: "user",
  SIMPUL_KEMENKOPUKM_PASSWORD: "password",
  REDIS_URL: "redis://127.0.0.1:6379",
  SIMPUL_SIGNING_KEY: "{}",
};

describe("Node configuration", () => {
  it("starts with the embedded development defaults", () => {
    const config = parseNodeConfig({});
    expect(config).toMatchObject({ PORT: 8787, HOST: "127.0.0.1", SIMPUL_SOURCES: "embedded" });
  });

  it("names every development setting it refuses in production", () => {
    let error: unknown;
    try {
      parseNodeConfig({ NODE_ENV: "production" });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const setting of [
      "SIMPUL_CLIENTS_FILE",
      "SIMPUL_SIGNING_KEY",
      "SIMPUL_SOURCES",
      "SIMPUL_AUDIT_KEY",
      "REDIS_URL",
    ]) {
      expect(message).toContain(setting);
    }
  });

  it("reports a bad value by name", () => {
    expect(() => parseNodeConfig({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => parseNodeConfig({ SIMPUL_AUDIT_KEY: "short" })).toThrow(/SIMPUL_AUDIT_KEY/);
  });

  it("takes the batch tuning settings, within bounds, by name", () => {
    expect(parseNodeConfig({})).toMatchObject({
      SIMPUL_BATCH_CHUNK_SIZE: 500,
      SIMPUL_BATCH_PARALLEL_CHUNKS: 4,
    });
    const tuned = { SIMPUL_BATCH_CHUNK_SIZE: "200", SIMPUL_BATCH_PARALLEL_CHUNKS: "8" };
    expect(parseNodeConfig(tuned)).toMatchObject({
      SIMPUL_BATCH_CHUNK_SIZE: 200,
      SIMPUL_BATCH_PARALLEL_CHUNKS: 8,
    });
    for (const bad of ["0", "1001", "2.5", "many"]) {
      expect(() => parseNodeConfig({ SIMPUL_BATCH_CHUNK_SIZE: bad }), bad).toThrow(
        /SIMPUL_BATCH_CHUNK_SIZE/,
      );
    }
    expect(() => parseNodeConfig({ SIMPUL_BATCH_PARALLEL_CHUNKS: "17" })).toThrow(
      /SIMPUL_BATCH_PARALLEL_CHUNKS/,
    );
  });

  it("asks sources while charging unless told not to, and refuses anything but a boolean", () => {
    expect(parseNodeConfig({}).SIMPUL_ASK_SOURCES_WHILE_CHARGING).toBe(true);
    expect(
      parseNodeConfig({ SIMPUL_ASK_SOURCES_WHILE_CHARGING: "false" })
        .SIMPUL_ASK_SOURCES_WHILE_CHARGING,
    ).toBe(false);
    expect(() => parseNodeConfig({ SIMPUL_ASK_SOURCES_WHILE_CHARGING: "sometimes" })).toThrow(
      /SIMPUL_ASK_SOURCES_WHILE_CHARGING/,
    );
  });

  it("bounds the heap's growth between full collections unless told otherwise", () => {
    expect(parseNodeConfig({}).SIMPUL_HEAP_GROWING_PERCENT).toBe(100);
    expect(parseNodeConfig({ SIMPUL_HEAP_GROWING_PERCENT: "0" }).SIMPUL_HEAP_GROWING_PERCENT).toBe(
      0,
    );
    for (const bad of ["-1", "301", "1.5", "lots"]) {
      expect(() => parseNodeConfig({ SIMPUL_HEAP_GROWING_PERCENT: bad }), bad).toThrow(
        /SIMPUL_HEAP_GROWING_PERCENT/,
      );
    }
  });

  it("needs every source's URL and credentials in external mode", () => {
    expect(() => parseNodeConfig({ SIMPUL_SOURCES: "external" })).toThrow(/SIMPUL_KEMENSOS_URL/);
  });

  it("runs one process unless SIMPUL_WORKERS says otherwise; `auto` is one per core", () => {
    expect(parseNodeConfig({}).SIMPUL_WORKERS).toBe(1);
    expect(parseNodeConfig({ SIMPUL_WORKERS: "1" }).SIMPUL_WORKERS).toBe(1);
    expect(parseNodeConfig({ ...MULTI_PROCESS_ENV, SIMPUL_WORKERS: "3" }).SIMPUL_WORKERS).toBe(3);
    const cores = availableParallelism();
    const auto =
      cores > 1 ? { ...MULTI_PROCESS_ENV, SIMPUL_WORKERS: "auto" } : { SIMPUL_WORKERS: "auto" };
    expect(parseNodeConfig(auto).SIMPUL_WORKERS).toBe(cores);
    for (const bad of ["0", "-2", "1.5", "two", "auto2", "1025"]) {
      expect(() => parseNodeConfig({ SIMPUL_WORKERS: bad }), bad).toThrow(/SIMPUL_WORKERS/);
    }
  });

  it("refuses several workers without Redis, with embedded sources, without a shared key or with a metrics port", () => {
    const refusal = (env: Record<string, string | undefined>) => {
      try {
        parseNodeConfig({ ...MULTI_PROCESS_ENV, SIMPUL_WORKERS: "2", ...env });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as Error).message;
      }
      return "started";
    };
    expect(refusal({ REDIS_URL: undefined })).toMatch(/SIMPUL_WORKERS=2[\s\S]*REDIS_URL/);
    expect(refusal({ SIMPUL_SOURCES: "embedded" })).toMatch(/SIMPUL_SOURCES/);
    expect(refusal({ SIMPUL_SIGNING_KEY: undefined })).toMatch(/SIMPUL_SIGNING_KEY/);
    expect(refusal({ SIMPUL_METRICS_PORT: "9464" })).toMatch(/SIMPUL_METRICS_PORT/);
    expect(refusal({})).toBe("started");
    // One worker is today's single process: memory stores and embedded sources are fine.
    expect(parseNodeConfig({ SIMPUL_WORKERS: "1" }).REDIS_URL).toBeUndefined();
  });

  it("the real entry refuses several workers without Redis before forking any, exit code 78", () => {
    const { REDIS_URL: _ignored, ...env } = process.env;
    const result = spawnSync(process.execPath, ["--import", "tsx", "gateway/src/node.ts"], {
      env: { ...env, ...MULTI_PROCESS_ENV, REDIS_URL: undefined, SIMPUL_WORKERS: "2", PORT: "0" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(78);
    expect(result.stderr).toContain("Refusing to start with SIMPUL_WORKERS=2");
    expect(result.stderr).toContain("REDIS_URL is not set");
    // The primary checks before it forks: no worker started, so nothing listened.
    expect(result.stdout).not.toContain("listening on");
    expect(result.stdout).not.toContain("worker started");
  }, 60_000);

  it("the real entry refuses to start in production with the demo clients, exit code 78", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "gateway/src/node.ts"], {
      env: { ...process.env, NODE_ENV: "production", PORT: "0" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain("Refusing to start with NODE_ENV=production");
    expect(result.stderr).toContain("dev-clients.json");
  }, 60_000);
});
