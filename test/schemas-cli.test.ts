/** The steward CLI against a gateway: in-process through `fetch`, and as a real process over HTTP. */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ServerType, serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../gateway/src/app.ts";
import { buildSchemaRegistry } from "../gateway/src/node/schema-registry.ts";
import { schemaId } from "../gateway/src/schema-registry/subjects.ts";
import { createMemoryRateLimitStore } from "../gateway/src/stores/rate-limit/memory.ts";
import { runSchemasCli } from "../scripts/schemas-cli.ts";
import { devClient } from "./support/dev-clients.ts";
import { freePort, type GatewayTarget, inProcessTarget } from "./support/target.ts";

let target: GatewayTarget;
let dir: string;
let person: Record<string, unknown>;

const STEWARD = {
  SIMPUL_URL: "http://simpul.test",
  SIMPUL_CLIENT_ID: "walidata-bps",
  SIMPUL_CLIENT_SECRET: devClient("walidata-bps").secret,
};

/** `person` at `version`; `required` adds a required field (breaks BACKWARD). */
function writePerson(name: string, version: string, required = false): string {
  const doc = structuredClone(person);
  doc.$id = schemaId("person", version);
  doc.version = version;
  (doc.properties as Record<string, unknown>).nickname = { type: "string" };
  if (required) (doc.required as string[]).push("nickname");
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

async function freshApp() {
  if (!target.node) throw new Error("in-process target expected");
  return createApp({
    ...target.node.services,
    schemaRegistry: await buildSchemaRegistry(undefined, ""),
    rateLimits: createMemoryRateLimitStore(),
  });
}

async function cli(argv: string[], env: Record<string, string> = STEWARD) {
  const app = await freshCliApp;
  const out: string[] = [];
  const err: string[] = [];
  const code = await runSchemasCli(argv, {
    fetch: (input, init) => Promise.resolve(app.request(String(input), init)),
    env,
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    readFile: (path) => readFile(path, "utf8"),
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}
let freshCliApp: Promise<Awaited<ReturnType<typeof freshApp>>>;

beforeAll(async () => {
  target = await inProcessTarget();
  dir = mkdtempSync(join(tmpdir(), "simpul-cli-"));
  const registry = await buildSchemaRegistry(undefined, "");
  person = (await registry.getVersion("person", "1.0.0"))?.document as Record<string, unknown>;
  freshCliApp = freshApp();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await target?.close();
});

describe("npm run schemas (in-process)", () => {
  it("checks a compatible candidate: a table of differences and exit 0", async () => {
    const { code, out } = await cli(["check", "person", writePerson("ok.json", "1.1.0")]);
    expect(code, out).toBe(0);
    expect(out).toMatch(/BREAKS\s+CHANGE\s+POINTER\s+AGAINST\s+WHY/);
    expect(out).toMatch(/no\s+PROPERTY_ADDED\s+\/properties\/nickname\s+1\.0\.0/);
    expect(out).toContain("Compatible under BACKWARD (against 1.0.0).");
  });

  it("exits 1 on an incompatible candidate, naming what breaks", async () => {
    const { code, out } = await cli(["check", "person", writePerson("bad.json", "2.0.0", true)]);
    expect(code).toBe(1);
    expect(out).toMatch(/yes\s+REQUIRED_ADDED\s+\/properties\/nickname/);
    expect(out).toContain("INCOMPATIBLE under BACKWARD");
  });

  it("publishes, refuses an incompatible publish with exit 1, and diffs two versions", async () => {
    freshCliApp = freshApp();
    const published = await cli(["publish", "person", "1.1.0", writePerson("v11.json", "1.1.0")]);
    expect(published.code, published.err).toBe(0);
    expect(published.out).toMatch(/Published person 1\.1\.0 by walidata-bps at \d{4}-/);

    const refused = await cli([
      "publish",
      "person",
      "2.0.0",
      writePerson("v2.json", "2.0.0", true),
    ]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("409 SCHEMA_INCOMPATIBLE");
    expect(refused.out).toMatch(/yes\s+REQUIRED_ADDED/);

    const diff = await cli(["diff", "person", "1.0.0", "1.1.0"]);
    expect(diff.code).toBe(0);
    expect(diff.out).toMatch(/PROPERTY_ADDED\s+\/properties\/nickname\s+1\.0\.0/);
    expect(diff.out).toContain("1.1.0 is compatible with 1.0.0 under BACKWARD.");
  });

  it("exits 2 without credentials or with wrong ones, and on unknown commands", async () => {
    expect((await cli(["check", "person", writePerson("x.json", "1.1.0")], {})).code).toBe(2);
    const wrong = await cli(["diff", "person", "1.0.0", "1.0.0"], {
      ...STEWARD,
      SIMPUL_CLIENT_SECRET: "nope",
    });
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain("Token refused: 401 INVALID_CLIENT");
    const usage = await cli(["frobnicate"]);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain("Usage:");
  });
});

describe("npm run schemas (a real process over HTTP)", () => {
  let server: ServerType;
  let baseUrl: string;

  beforeAll(async () => {
    const app = await freshApp();
    const port = await freePort();
    server = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" });
    baseUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(() => {
    server?.close();
  });

  async function run(args: string[]) {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/schemas-cli.ts", ...args], {
      env: { ...process.env, ...STEWARD, SIMPUL_URL: baseUrl },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    const [code] = (await once(child, "exit")) as [number];
    return { code, output };
  }

  it("exits 0 on a compatible check and 1 on an incompatible one", async () => {
    const ok = await run(["check", "person", writePerson("p-ok.json", "1.1.0")]);
    expect(ok.code, ok.output).toBe(0);
    expect(ok.output).toContain("Compatible under BACKWARD");
    const bad = await run(["check", "person", writePerson("p-bad.json", "2.0.0", true)]);
    expect(bad.code, bad.output).toBe(1);
    expect(bad.output).toContain("INCOMPATIBLE");
  });
});
