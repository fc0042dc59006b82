import { availableParallelism } from "node:os";
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
    // At least two files at a time: vitest's default (a core less than the machine has) runs one on a 2-core machine,
    // where the integration tests spend much of their time waiting on sockets and child processes (411 s against 255 s).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
