// The service list is the one place a service is declared: the README's tables must say what it says.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SERVICES } from "../config";
import { serviceTextKey } from "@/app/_components/home/service-text";
import home from "@/app/_i18n/messages/home";
import { LAB_SERVICES } from "./index";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("the service list", () => {
  it("gives every service a unique name, flag and environment variable, and a unique port per transport", () => {
    const unique = (values: string[]) => expect(new Set(values).size).toBe(values.length);
    unique(SERVICES.map((s) => s.name));
    unique(SERVICES.map((s) => s.flag));
    unique(SERVICES.map((s) => s.env));
    unique(SERVICES.map((s) => `${s.transport}/${s.defaultPort}`));
  });

  it("names a protocol for every lab service", () => {
    for (const s of LAB_SERVICES) expect(s.protocol).toMatch(/^[a-z][a-z0-9]*$/);
  });

  it("has a one-line description on the home page for every service, in English and Russian", () => {
    for (const s of SERVICES) {
      const key = serviceTextKey(s.name);
      expect(home.en, s.name).toHaveProperty(key);
      expect(home.ru, s.name).toHaveProperty(key);
    }
  });

  for (const s of SERVICES) {
    it(`${s.name}: the README's port table has its row, and its flag and variable`, () => {
      const row = new RegExp(`^\\| ${escape(s.name)} \\| ${s.transport}\\b[^|]*\\| ${s.defaultPort} \\|`, "m");
      expect(readme).toMatch(row);
      expect(readme).toContain(`\`--${s.flag}`);
      expect(readme).toContain(s.env);
    });
  }
});
