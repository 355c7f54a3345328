import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "gateway/**/*.test.ts",
      "adapters/**/*.test.ts",
      "schemas/**/*.test.ts",
      "sdk/**/*.test.ts",
      "test/**/*.test.ts",
    ],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
