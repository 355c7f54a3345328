/** Builds the publishable package: one ESM entry and one bundled declaration file. */
import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm"],
  // Neutral: no Node built-ins, so the same file runs in Node, browsers, Deno and Workers.
  platform: "neutral",
  target: "es2022",
  dts: true,
  clean: true,
  treeshake: true,
  outDir: "dist",
});
