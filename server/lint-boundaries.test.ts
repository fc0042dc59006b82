// The import boundaries of eslint.config.js (STYLE.md, "Layout"): every file in lint-fixtures/ must fail lint
// with the rule its first line names, linted as if it sat at the same path without the lint-fixtures/
// prefix; imports the boundaries allow must pass. The fixtures are excluded from `eslint .`, tsc and vitest.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FIXTURES = "lint-fixtures";

// Every rule that enforces a boundary; allowed imports must raise none of them.
const BOUNDARY_RULES = new Set([
  "no-restricted-imports",
  "@typescript-eslint/no-restricted-imports",
  "no-restricted-syntax",
  "no-restricted-globals",
]);

interface Fixture {
  /** Where the fixture pretends to be, relative to the repo root. */
  readonly filePath: string;
  readonly rule: string;
  readonly code: string;
}

function loadFixtures(): Fixture[] {
  const files = readdirSync(path.join(ROOT, FIXTURES), { recursive: true, encoding: "utf8" })
    .filter((name) => /\.tsx?$/.test(name))
    .sort();
  return files.map((name) => {
    const code = readFileSync(path.join(ROOT, FIXTURES, name), "utf8");
    const rule = /^\/\/ ([@\w/-]+): /.exec(code)?.[1];
    if (!rule) throw new Error(`${FIXTURES}/${name}: the first line must be "// <rule id>: <what it proves>"`);
    return { filePath: name.split(path.sep).join("/"), rule, code };
  });
}

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

async function lint(filePath: string, code: string): Promise<{ ruleId: string | null; message: string }[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) });
  if (!result) throw new Error(`no lint result for ${filePath}`);
  return result.messages.filter((m) => m.severity === 2).map(({ ruleId, message }) => ({ ruleId, message }));
}

describe("lint fixtures", () => {
  const fixtures = loadFixtures();

  it("cover both boundaries", () => {
    expect(fixtures.filter((f) => f.filePath.startsWith("server/dissect/")).length).toBeGreaterThan(0);
    expect(fixtures.filter((f) => f.filePath.startsWith("app/")).length).toBeGreaterThan(0);
  });

  it.each(fixtures)("$filePath fails $rule", async ({ filePath, rule, code }) => {
    const errors = await lint(filePath, code);
    expect(errors.length).toBeGreaterThan(0);
    // Only the rule it names: a fixture that failed for another reason would prove nothing.
    expect(errors.map((e) => e.ruleId)).toEqual(errors.map(() => rule));
  });

  it("are not linted by `eslint .`", async () => {
    expect(await eslint.isPathIgnored(path.join(ROOT, FIXTURES, "server/dissect/imports-zlib.ts"))).toBe(true);
  });
});

describe("allowed imports", () => {
  const allowed: readonly { readonly filePath: string; readonly code: string }[] = [
    {
      filePath: "server/dissect/example.ts",
      code: [
        'import { createCursor } from "./core/cursor";',
        'import type { DissectedFrame } from "./core/types";',
        'import { dissectTcp } from "../dissect/tcp";',
        'import type { TimelineEvent } from "@/gen/lab/v1/timeline_pb";',
        'import { create } from "@bufbuild/protobuf";',
        "export type Used = [DissectedFrame, TimelineEvent];",
        "export const used = [createCursor, dissectTcp, create];",
      ].join("\n"),
    },
    {
      filePath: "server/dissect/core/example.ts",
      code: [
        'import { dissectTcp } from "../tcp";',
        'import { parseHex } from "./tree";',
        'import type { Finding } from "@/server/dissect/core/types";',
        "export type Used = Finding;",
        "export const used = [dissectTcp, parseHex];",
      ].join("\n"),
    },
    {
      filePath: "server/dissect/example.test.ts",
      code: [
        'import { readFileSync } from "node:fs";',
        'import path from "path";',
        'import { loadPacketFixtures } from "./testdata/fixtures";',
        'import { describe } from "vitest";',
        "export const used = [readFileSync, path, loadPacketFixtures, describe];",
      ].join("\n"),
    },
    {
      filePath: "server/dissect/testdata/example.ts",
      code: ['import { readdirSync } from "node:fs";', "export const used = readdirSync;"].join("\n"),
    },
    {
      filePath: "app/_components/timeline/example.tsx",
      code: [
        '"use client";',
        'import { useState } from "react";',
        'import Link from "next/link";',
        'import { dissectPacket } from "@/server/dissect/packet";',
        'import { dissectTcp } from "../../../server/dissect/tcp";',
        'import type { TimelineEvent } from "@/gen/lab/v1/timeline_pb";',
        'import { formatBytes } from "@/app/_i18n/format";',
        'import { LOCALES } from "../../_i18n/locales";',
        'import { createConnectTransport } from "@connectrpc/connect-web";',
        "export type Used = TimelineEvent;",
        "export const used = [useState, Link, dissectPacket, dissectTcp, formatBytes, LOCALES, createConnectTransport];",
        'export const lazy = () => import("./ladder");',
        'export const lazyDissect = () => import("@/server/dissect/packet");',
      ].join("\n"),
    },
    {
      filePath: "app/_i18n/example.test.ts",
      code: [
        'import { readFileSync } from "node:fs";',
        'import { fixtureFrames } from "@/server/dissect/testdata/fixtures";',
        "export const used = [readFileSync, fixtureFrames];",
      ].join("\n"),
    },
    {
      // The lab host is outside both boundaries: Node and every server folder are its own.
      filePath: "server/lab/example.ts",
      code: [
        'import { gzipSync } from "node:zlib";',
        'import { createServer } from "http2";',
        'import { parseConfig } from "../config";',
        'import { dissectPacket } from "../dissect/packet";',
        "export const used = [gzipSync, createServer, parseConfig, dissectPacket];",
      ].join("\n"),
    },
  ];

  it.each(allowed)("$filePath passes", async ({ filePath, code }) => {
    const errors = await lint(filePath, code);
    expect(errors.filter((e) => e.ruleId !== null && BOUNDARY_RULES.has(e.ruleId))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
