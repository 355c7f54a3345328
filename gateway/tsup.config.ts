/**
 * Builds the Node entry for deployment: one ESM file in gateway/dist/node/ (the same depth as
 * gateway/src/node/, so its paths to schemas/ and node_modules/ resolve alike). Compiled once
 * rather than through tsx at start-up, which also keeps tsx's per-closure `__name` calls
 * (esbuild's keepNames) off the request path. Packages stay external, as npm installed them.
 */
import { defineConfig } from "tsup";

export default defineConfig({
  entry: { node: "gateway/src/node.ts" },
  format: ["esm"],
  platform: "node",
  target: "node20",
  outDir: "gateway/dist/node",
  clean: true,
  sourcemap: true,
  splitting: false,
  treeshake: true,
  // `keepNames` off: function names are only for stack traces, which source maps give back.
  keepNames: false,
});
