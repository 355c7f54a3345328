/**
 * The data steward's command line for the schema registry of a running gateway.
 *
 *   npm run schemas -- check <subject> <file>
 *   npm run schemas -- publish <subject> <version> <file>
 *   npm run schemas -- diff <subject> <v1> <v2>
 *
 * Options `--base-url`, `--client-id`, `--client-secret`, or SIMPUL_URL, SIMPUL_CLIENT_ID and
 * SIMPUL_CLIENT_SECRET. Exit codes: 0 compatible / published, 1 incompatible or refused,
 * 2 usage, network or authentication trouble.
 */
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import {
  type CompatibilityMode,
  checkCompatibility,
} from "../gateway/src/schema-registry/compatibility.ts";

export interface SchemasCliIo {
  readonly fetch: typeof fetch;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly readFile: (path: string) => Promise<string>;
}

interface DifferenceRow {
  readonly pointer: string;
  readonly change: string;
  readonly breaking: boolean;
  readonly against: string;
  readonly verdict: string;
}

const USAGE = `Usage:
  npm run schemas -- check <subject> <file>
  npm run schemas -- publish <subject> <version> <file>
  npm run schemas -- diff <subject> <v1> <v2>
Options: --base-url <url> --client-id <id> --client-secret <secret>
   (or SIMPUL_URL, SIMPUL_CLIENT_ID, SIMPUL_CLIENT_SECRET)`;

class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 2,
  ) {
    super(message);
  }
}

/** The differences as an aligned text table, breaking ones first. */
export function differenceTable(rows: readonly DifferenceRow[]): string {
  if (rows.length === 0) return "No differences.";
  const sorted = [...rows].sort((a, b) => Number(b.breaking) - Number(a.breaking));
  const cells = [
    ["BREAKS", "CHANGE", "POINTER", "AGAINST", "WHY"],
    ...sorted.map((row) => [
      row.breaking ? "yes" : "no",
      row.change,
      row.pointer === "" ? "/" : row.pointer,
      row.against,
      row.verdict,
    ]),
  ];
  const widths = [0, 1, 2, 3].map((column) =>
    Math.max(...cells.map((line) => line[column]?.length ?? 0)),
  );
  return cells
    .map((line) =>
      line.map((cell, column) => (column < 4 ? cell.padEnd(widths[column] ?? 0) : cell)).join("  "),
    )
    .join("\n");
}

async function problemText(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const problem = JSON.parse(text) as { code?: string; detail?: string; title?: string };
    return `${response.status} ${problem.code ?? ""}: ${problem.detail ?? problem.title ?? ""}`;
  } catch {
    return `${response.status}: ${text.slice(0, 200)}`;
  }
}

async function connect(values: Record<string, string | undefined>, io: SchemasCliIo) {
  const baseUrl = (values["base-url"] ?? io.env.SIMPUL_URL ?? "http://127.0.0.1:8787").replace(
    /\/+$/,
    "",
  );
  const clientId = values["client-id"] ?? io.env.SIMPUL_CLIENT_ID;
  const secret = values["client-secret"] ?? io.env.SIMPUL_CLIENT_SECRET;
  if (!clientId || !secret) {
    throw new CliError("Give --client-id and --client-secret (or SIMPUL_CLIENT_ID/SECRET).");
  }
  let response: Response;
  try {
    response = await io.fetch(`${baseUrl}/oauth/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${btoa(`${clientId}:${secret}`)}`,
      },
      body: new URLSearchParams({ grant_type: "client_credentials" }).toString(),
    });
  } catch (error) {
    throw new CliError(`Cannot reach ${baseUrl}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new CliError(`Token refused: ${await problemText(response)}`);
  const { access_token: token } = (await response.json()) as { access_token: string };
  return (path: string, init: RequestInit = {}) =>
    io.fetch(`${baseUrl}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body ? { "content-type": "application/json" } : {}),
      },
    });
}

async function readDocument(path: string | undefined, io: SchemasCliIo): Promise<unknown> {
  if (!path) throw new CliError(USAGE);
  try {
    return JSON.parse(await io.readFile(path));
  } catch (error) {
    throw new CliError(`Cannot read ${path} as JSON: ${(error as Error).message}`);
  }
}

const segment = (value: string | undefined) => {
  if (!value) throw new CliError(USAGE);
  return encodeURIComponent(value);
};

/** Runs one command; resolves with the exit code. */
export async function runSchemasCli(argv: readonly string[], io: SchemasCliIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        "base-url": { type: "string" },
        "client-id": { type: "string" },
        "client-secret": { type: "string" },
      },
    });
    const [command, subject, ...rest] = positionals;
    if (command === "check") {
      const document = await readDocument(rest[0], io);
      const call = await connect(values, io);
      const response = await call(`/v1/schemas/${segment(subject)}/check`, {
        method: "POST",
        body: JSON.stringify({ document }),
      });
      if (!response.ok) throw new CliError(`Refused: ${await problemText(response)}`, 1);
      const report = (await response.json()) as {
        compatible: boolean;
        mode: string;
        checkedAgainst: string[];
        differences: DifferenceRow[];
      };
      io.out(differenceTable(report.differences));
      const against = report.checkedAgainst.join(", ") || "nothing yet";
      io.out(
        `${report.compatible ? "Compatible" : "INCOMPATIBLE"} under ${report.mode} (against ${against}).`,
      );
      return report.compatible ? 0 : 1;
    }
    if (command === "publish") {
      const [version, file] = rest;
      const document = await readDocument(file, io);
      const call = await connect(values, io);
      const response = await call(`/v1/schemas/${segment(subject)}/versions`, {
        method: "POST",
        body: JSON.stringify({ version: decodeURIComponent(segment(version)), document }),
      });
      const body = (await response.json()) as {
        differences?: DifferenceRow[];
        compatibility?: { differences: DifferenceRow[] };
        publishedBy?: string;
        publishedAt?: string;
        code?: string;
        detail?: string;
        status?: number;
      };
      if (response.status === 201) {
        io.out(differenceTable(body.compatibility?.differences ?? []));
        io.out(`Published ${subject} ${version} by ${body.publishedBy} at ${body.publishedAt}.`);
        return 0;
      }
      if (body.differences) io.out(differenceTable(body.differences));
      io.err(`Refused: ${response.status} ${body.code ?? ""}: ${body.detail ?? ""}`);
      return response.status >= 500 || response.status === 401 || response.status === 403 ? 2 : 1;
    }
    if (command === "diff") {
      const [older, newer] = rest;
      const call = await connect(values, io);
      const get = async (version: string | undefined) => {
        const response = await call(`/v1/schemas/${segment(subject)}/versions/${segment(version)}`);
        if (!response.ok) throw new CliError(`${version}: ${await problemText(response)}`);
        return ((await response.json()) as { document: unknown }).document;
      };
      const [olderDoc, newerDoc, versions] = await Promise.all([
        get(older),
        get(newer),
        call(`/v1/schemas/${segment(subject)}/versions`),
      ]);
      const { mode } = (await versions.json()) as { mode: CompatibilityMode };
      const base = mode.replace(/_TRANSITIVE$/, "") as CompatibilityMode;
      const result = checkCompatibility(base, newerDoc, [olderDoc]);
      io.out(
        differenceTable(
          result.differences.map((difference) => ({ ...difference, against: older ?? "" })),
        ),
      );
      io.out(
        `${newer} is ${result.compatible ? "compatible" : "INCOMPATIBLE"} with ${older} under ${base}.`,
      );
      return result.compatible ? 0 : 1;
    }
    throw new CliError(USAGE);
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return error instanceof CliError ? error.exitCode : 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runSchemasCli(process.argv.slice(2), {
    fetch,
    env: process.env,
    out: (line) => console.log(line),
    err: (line) => console.error(line),
    readFile: (path) => readFile(path, "utf8"),
  });
  process.exit(code);
}
