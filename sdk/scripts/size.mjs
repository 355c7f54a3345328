// Fails when the SDK's entry, minified and gzipped, exceeds its budget; prints the size.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "tsup";

const BUDGET_BYTES = 7 * 1024;

const outDir = mkdtempSync(join(tmpdir(), "simpul-sdk-size-"));
try {
  // The same bundle a consumer's bundler makes: minified, tree-shaken, no declarations.
  await build({
    entry: { index: "src/index.ts" },
    format: ["esm"],
    platform: "neutral",
    target: "es2022",
    minify: true,
    treeshake: true,
    dts: false,
    outDir,
    silent: true,
    config: false,
  });
  const code = readFileSync(join(outDir, "index.js"));
  const gzipped = gzipSync(code, { level: 9 }).length;
  const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;
  console.log(
    `@simpul/sdk: ${kb(code.length)} minified, ${kb(gzipped)} minified+gzipped (budget ${kb(BUDGET_BYTES)})`,
  );
  if (gzipped > BUDGET_BYTES) {
    console.error(`Over budget by ${gzipped - BUDGET_BYTES} bytes.`);
    process.exitCode = 1;
  }
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
