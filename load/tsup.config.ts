/**
 * Compiles the hand-wired lookup (load/hand-wired-lookup.ts) as the gateway's entry is compiled
 * (gateway/tsup.config.ts), so the two floors differ in what they do, not in how they are built.
 * The output sits three folders deep, as gateway/src/node/ does, so the gateway modules it
 * bundles find schemas/ by the same relative path.
 */
import { defineConfig } from "tsup";

export default defineConfig({
  entry: { "hand-wired-lookup": "load/hand-wired-lookup.ts" },
  format: ["esm"],
  platform: "node",
  target: "node20",
  outDir: "load/dist/hand-wired",
  clean: true,
  sourcemap: true,
  splitting: false,
  treeshake: true,
  keepNames: false,
});
