/**
 * Checks a Dinas Sosial's planned recipient list (CSV with `nik` and `name` columns) against
 * every program and the civil registry, and writes a Markdown report of what needs attention:
 * conflicting programs, deaths, NIKs unknown to Dukcapil, and NIKs that are not valid at all.
 *
 *   npx tsx sdk/examples/dinsos-report.ts sdk/examples/recipients.sample.csv \
 *     --base-url http://127.0.0.1:8787 --client-id dinsos-bandung \
 *     --client-secret dev-dinsos-bandung-secret-7f3a9c21 [--out report.md]
 */
import { createReadStream, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import {
  createSimpulClient,
  type EnrolmentCheckResult,
  maskNik,
  type Purpose,
  SimpulError,
} from "../src/index.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    "base-url": { type: "string", default: "http://127.0.0.1:8787" },
    "client-id": { type: "string" },
    "client-secret": { type: "string", default: process.env.SIMPUL_CLIENT_SECRET },
    purpose: { type: "string", default: "disbursement-validation" },
    out: { type: "string" },
    "chunk-size": { type: "string", default: "500" },
  },
});
const [input] = positionals;
if (!input || !values["client-id"] || !values["client-secret"]) {
  console.error(
    "usage: dinsos-report.ts <recipients.csv> --client-id ID --client-secret SECRET [--base-url URL] [--purpose P] [--out report.md]",
  );
  process.exit(2);
}

const simpul = createSimpulClient({
  baseUrl: values["base-url"],
  clientId: values["client-id"],
  clientSecret: values["client-secret"],
  purpose: values.purpose as Purpose,
  userAgent: "dinsos-report-example",
});

/** One CSV record, RFC 4180 quoting (a name may contain commas: "SITI, S.Pd"). */
function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted && char === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (char === "," && !quoted) {
      fields.push(field);
      field = "";
    } else {
      field += char;
    }
  }
  fields.push(field);
  return fields;
}

interface Row {
  readonly row: number;
  readonly nik: string;
  readonly name: string;
}

const rows: Row[] = [];
/** Streams the CSV: NIKs are sent as they are read, whatever the file's size. */
async function* niksOf(path: string): AsyncGenerator<string> {
  let columns: { nik: number; name: number } | undefined;
  let row = 1;
  for await (const line of createInterface({
    input: createReadStream(path),
    crlfDelay: Infinity,
  })) {
    if (line.trim() === "") continue;
    const fields = parseCsvLine(line);
    if (columns === undefined) {
      const header = fields.map((field) => field.trim().toLowerCase());
      columns = { nik: header.indexOf("nik"), name: header.indexOf("name") };
      if (columns.nik === -1) throw new Error(`${path}: no "nik" column in the header`);
      continue;
    }
    row++;
    // The NIK is sent exactly as written: Simpul refuses, rather than repairs, a malformed one.
    const nik = fields[columns.nik] ?? "";
    rows.push({ row, nik, name: fields[columns.name] ?? "" });
    yield nik;
  }
}

type Section = "conflicts" | "deaths" | "unknown" | "invalid" | "other" | "incomplete";
const report: Record<Section, string[]> = {
  conflicts: [],
  deaths: [],
  unknown: [],
  invalid: [],
  other: [],
  incomplete: [],
};
const who = (row: Row) => `row ${row.row}, ${row.name || "(no name)"}, NIK ${maskNik(row.nik)}`;

function file(row: Row, result: EnrolmentCheckResult): void {
  const enrolled = result.programs.filter((p) => p.enrolled).map((p) => p.program);
  const programs = enrolled.length > 0 ? ` (receives ${enrolled.join(", ")})` : "";
  for (const finding of result.findings) {
    const line = `- ${who(row)}${programs}: ${finding.message}`;
    if (finding.type === "RULE_CONFLICT") report.conflicts.push(line);
    else if (finding.type === "DECEASED_BUT_ACTIVE") report.deaths.push(line);
    else if (finding.type === "NOT_IN_CIVIL_REGISTRY") report.unknown.push(line);
    else if (finding.type !== "OUTSIDE_CLIENT_REGION") report.other.push(line);
  }
  const flagged = result.findings.some((f) => f.type === "DECEASED_BUT_ACTIVE");
  if (result.civilRegistry === "DECEASED" && !flagged) {
    report.deaths.push(`- ${who(row)}: deceased in Dukcapil${programs}`);
  }
  if (
    result.civilRegistry === "NOT_FOUND" &&
    !result.findings.some((f) => f.type === "NOT_IN_CIVIL_REGISTRY")
  ) {
    report.unknown.push(`- ${who(row)}: not in Dukcapil`);
  }
  if (!result.complete) {
    const down = result.sources.filter((s) => s.status !== "OK" && s.status !== "NOT_ASKED");
    report.incomplete.push(`- ${who(row)}: not answered by ${down.map((s) => s.id).join(", ")}`);
  }
}

let checked = 0;
const elsewhere: Row[] = [];
try {
  const lines = simpul.enrolments.checkBatch(niksOf(input), {
    chunkSize: Number(values["chunk-size"]),
  });
  for await (const line of lines) {
    const row = rows[line.index];
    if (row === undefined) throw new Error(`no input row for line ${line.index}`);
    checked++;
    if ("result" in line) file(row, line.result);
    else if (line.error.code === "OUTSIDE_CLIENT_REGION") elsewhere.push(row);
    else report.invalid.push(`- ${who(row)}: ${line.error.code}: ${line.error.detail}`);
  }
  // Residents registered elsewhere (KTP pendatang) are checked one by one, as the gateway asks.
  for (const row of elsewhere) file(row, await simpul.enrolments.check({ nik: row.nik }));
} catch (error) {
  if (!(error instanceof SimpulError)) throw error;
  console.error(`Stopped after ${checked} of ${rows.length} rows: ${error.message}`);
  process.exitCode = 1;
}

const section = (title: string, lines: string[]) =>
  `## ${title} (${lines.length})\n\n${lines.length > 0 ? lines.join("\n") : "None."}\n`;
const markdown = [
  `# Recipient check: ${input}\n`,
  `${checked} of ${rows.length} rows checked on ${new Date().toISOString()}; ${elsewhere.length} registered outside this office's region were checked one by one.\n`,
  section("Conflicting programs", report.conflicts),
  section("Deceased", report.deaths),
  section("Unknown to the civil registry", report.unknown),
  section("Invalid NIKs", report.invalid),
  section("Other findings", report.other),
  section("Incomplete checks (a source did not answer)", report.incomplete),
].join("\n");

if (values.out) {
  writeFileSync(values.out, markdown);
  console.log(`Wrote ${values.out}`);
} else {
  console.log(markdown);
}
