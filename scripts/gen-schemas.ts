/** Writes the canonical JSON Schemas into `schemas/` (`npm run gen`); `--check` reports drift. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildSchemaFiles, findSchemaDrift, SCHEMAS_DIR } from "./schema-catalogue.ts";

const files = buildSchemaFiles();
if (process.argv.includes("--check")) {
  const drift = findSchemaDrift(SCHEMAS_DIR, files);
  for (const { file, status } of drift)
    console.log(`DRIFTED (${status}): ${join(SCHEMAS_DIR, file)}`);
  if (drift.length > 0) {
    console.error(
      `${drift.length} schema file(s) differ from their zod sources; run \`npm run gen\` and commit.`,
    );
    process.exit(1);
  }
  console.log(`in sync: ${Object.keys(files).length} schemas in ${SCHEMAS_DIR}/`);
} else {
  for (const [file, text] of Object.entries(files)) {
    writeFileSync(join(SCHEMAS_DIR, file), text);
    console.log(`wrote ${join(SCHEMAS_DIR, file)}`);
  }
}
