/** Writes generated files, or with `--check` reports (and fails on) any that drifted. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";

export function writeOrCheck(outputs: Readonly<Record<string, string>>, argv = process.argv): void {
  const checkOnly = argv.includes("--check");
  let drifted = 0;
  for (const [target, text] of Object.entries(outputs)) {
    if (checkOnly) {
      const same = existsSync(target) && readFileSync(target, "utf8") === text;
      if (!same) drifted++;
      console.log(`${same ? "in sync" : "DRIFTED"}: ${target}`);
    } else {
      writeFileSync(target, text);
      console.log(`wrote ${target}`);
    }
  }
  if (drifted > 0) {
    console.error(
      `${drifted} generated file(s) differ from their source; run \`npm run gen\` and commit.`,
    );
    process.exit(1);
  }
}
