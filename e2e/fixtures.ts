// Shared pieces of the e2e specs: the lab's ports under test, and an axe-core check.

import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { E2E_GRPC_PORT, E2E_PORT_OFFSET } from "../playwright.config";

export const PORTS = {
  web: 3000 + E2E_PORT_OFFSET,
  echo: 8888 + E2E_PORT_OFFSET,
  time: 8000 + E2E_PORT_OFFSET,
  greeting: 8007 + E2E_PORT_OFFSET,
  udpEcho: 8889 + E2E_PORT_OFFSET,
  http: 8080 + E2E_PORT_OFFSET,
  grpc: E2E_GRPC_PORT + E2E_PORT_OFFSET,
} as const;

/** Fails with the list of violations (rule, impact, first target) when axe-core finds any. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes[0]?.target.join(" ")}`);
  expect(summary).toEqual([]);
}
