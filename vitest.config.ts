import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: { "@": fileURLToPath(new URL(".", import.meta.url)) },
  },
  test: {
    include: ["server/**/*.test.ts", "app/**/*.test.ts", "bench/**/*.test.ts"],
    environment: "node",
    // .ci/run counts results from this file for its closing "N passed, N failed" line.
    reporters: process.env.VITEST_JSON ? ["default", ["json", { outputFile: "reports/unit.json" }]] : ["default"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
