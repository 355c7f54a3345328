/** Saves results as JSON and Markdown in load/results/: timestamped, plus a `latest` copy. */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { ROOT } from "./processes.ts";

export const RESULTS_DIR = join(ROOT, "load/results");

/** A timestamp safe in file names: 2025-01-31T12-34-56Z. */
export const stamp = () =>
  new Date()
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replace(/:/g, "-");

/** What the numbers were measured on. */
export function environment(redisVersion?: string) {
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT }).toString().trim();
  } catch {
    // not a git checkout
  }
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    devDependencies?: Record<string, string>;
  };
  return {
    node: process.version,
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    redis: redisVersion ?? "unknown",
    autocannon: pkg.devDependencies?.autocannon ?? "unknown",
    commit,
    gatewaySettings: gatewaySettingsFromEnvironment(),
  };
}

const SECRET_SETTING = /KEY|SECRET|PASSWORD|TOKEN/;

/**
 * The `SIMPUL_*` settings this process's environment passes to the gateways it starts, secrets
 * masked: a run made with a setting changed says so in its own report.
 */
export function gatewaySettingsFromEnvironment(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env)
      .filter(([name]) => name.startsWith("SIMPUL_"))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => [name, SECRET_SETTING.test(name) ? "(set)" : String(value)]),
  );
}

/** {@link gatewaySettingsFromEnvironment} as a sentence for a report's header. */
export function settingsSentence(settings: Record<string, string>): string {
  const set = Object.entries(settings).map(([name, value]) => `\`${name}=${value}\``);
  return set.length === 0
    ? "No gateway setting came from the environment (defaults)."
    : `Gateway settings from the environment: ${set.join(", ")}.`;
}

/**
 * Writes `<name>-<stamp>.json|md` and the `latest` pair (`latest.json` for the main benchmark,
 * `<name>-latest.json` for the others). Returns the paths written.
 */
export function save(
  name: string,
  data: unknown,
  markdown: string,
  latest: string,
  at: string = stamp(),
): string[] {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const base = join(RESULTS_DIR, `${name}-${at}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(data, null, 2)}\n`);
  writeFileSync(`${base}.md`, markdown);
  copyFileSync(`${base}.json`, join(RESULTS_DIR, `${latest}.json`));
  copyFileSync(`${base}.md`, join(RESULTS_DIR, `${latest}.md`));
  return [`${base}.json`, `${base}.md`];
}

/** A Markdown table. */
export function table(head: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cell = (value: unknown) =>
    typeof value === "number" ? value.toLocaleString("en-US") : String(value ?? "—");
  return [
    `| ${head.join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`),
  ].join("\n");
}

/** Responses by status code, as `200×1,500 429×203`. */
export const statusText = (statuses: Readonly<Record<string, number>>) =>
  Object.entries(statuses)
    .map(([code, n]) => `${code}×${n.toLocaleString("en-US")}`)
    .join(" ");
