import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ConfigError, parseNodeConfig } from "./config.ts";

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

  it("needs every source's URL and credentials in external mode", () => {
    expect(() => parseNodeConfig({ SIMPUL_SOURCES: "external" })).toThrow(/SIMPUL_KEMENSOS_URL/);
  });

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
