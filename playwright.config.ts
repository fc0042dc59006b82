// End-to-end tests: a real lab host (its own ports, offset by 20000 so a running lab is not disturbed)
// driven through Debian's Chromium, as a student would.

import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

export const E2E_PORT_OFFSET = 20000;
/** A second lab with wire capture off, for the "socket events only" experience. */
export const E2E_NO_CAPTURE_OFFSET = 21000;
/**
 * The gRPC port before the offset: 50051 + 20000 is past 65535, so the e2e labs move it explicitly
 * (40051 and 41051 with the offsets above).
 */
export const E2E_GRPC_PORT = 20051;
const webPort = 3000 + E2E_PORT_OFFSET;
/**
 * Debian's headless shell where it is installed (what Playwright itself runs headless: no window, compositor or
 * browser UI: the TCP lesson's spec takes 62 s against 76 s), else its full Chromium.
 */
const HEADLESS_SHELL = "/usr/lib/chromium/chromium-headless-shell";
const chromium = process.env.LAB_CHROMIUM ?? process.env.CHROMIUM_PATH ?? (existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : "/usr/bin/chromium");

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"], ["json", { outputFile: "reports/e2e.json" }]] : "list",
  use: {
    baseURL: `http://127.0.0.1:${webPort}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: [
    {
      command: `npx tsx server/main.ts --port-offset=${E2E_PORT_OFFSET} --grpc-port=${E2E_GRPC_PORT}`,
      url: `http://127.0.0.1:${webPort}/api/status`,
      timeout: 300_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      // Started after the first has built the web app, so it finds a current build.
      command: `npx tsx server/main.ts --port-offset=${E2E_NO_CAPTURE_OFFSET} --grpc-port=${E2E_GRPC_PORT} --capture=off`,
      url: `http://127.0.0.1:${3000 + E2E_NO_CAPTURE_OFFSET}/api/status`,
      timeout: 300_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
    },
  ],
});
