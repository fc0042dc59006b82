// `npm start` must work on a fresh clone: build the web app when no build matches the sources.
// The build is current when the hash of every file that goes into it equals the hash saved after
// the last build.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const INPUTS = [
  "app",
  "gen",
  "server/dissect",
  "mdx-components.tsx",
  "next.config.mjs",
  "postcss.config.mjs",
  "tsconfig.json",
  "package.json",
];
const STAMP = ".next/lab-build-hash";

function* files(root: string, entry: string): Generator<string> {
  const full = path.join(root, entry);
  if (!existsSync(full)) return;
  if (statSync(full).isDirectory()) {
    for (const child of readdirSync(full).sort()) yield* files(root, path.join(entry, child));
  } else {
    yield entry;
  }
}

export function sourceHash(root: string): string {
  const hash = createHash("sha256");
  for (const input of INPUTS) {
    for (const file of files(root, input)) {
      if (file.endsWith(".test.ts")) continue;
      hash.update(file).update("\0").update(readFileSync(path.join(root, file))).update("\0");
    }
  }
  return hash.digest("hex");
}

export function buildIsCurrent(root: string): boolean {
  const stamp = path.join(root, STAMP);
  return existsSync(path.join(root, ".next/BUILD_ID")) && existsSync(stamp) && readFileSync(stamp, "utf8") === sourceHash(root);
}

/** Builds that may run in a row while the sources keep changing under them (a shared checkout, an editor saving). */
const MAX_BUILDS = 3;

/**
 * Runs `next build` when needed; returns false when the build failed. The stamp holds the hash of the sources a
 * build started from; when they changed while it ran, it builds again (up to MAX_BUILDS), so that the build the
 * stamp calls current has every change that was there when it started.
 */
export function ensureWebBuild(root: string, log: (line: string) => void): boolean {
  if (buildIsCurrent(root)) return true;
  log("Building the web app (first start or sources changed)…");
  const nextBin = path.join(root, "node_modules/next/dist/bin/next");
  // No telemetry: the lab sends nothing anywhere.
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  let hash = sourceHash(root);
  for (let build = 1; ; build++) {
    const result = spawnSync(process.execPath, [nextBin, "build"], { cwd: root, stdio: "inherit", env });
    if (result.status !== 0) return false;
    const after = sourceHash(root);
    if (after === hash || build === MAX_BUILDS) break;
    log("The sources changed during the build: building again…");
    hash = after;
  }
  writeFileSync(path.join(root, STAMP), hash);
  return true;
}
