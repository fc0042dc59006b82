// Summarises a V8 .cpuprofile (as written by `node --cpu-prof`, which `bench/tcp-echo.ts --cpu-prof <dir>`
// passes to the Node servers) into the functions that take the most time, without a browser.
//
//   npx tsx bench/profile-summary.ts <file.cpuprofile> [--top 25] [--filter server/]
//
// "self" is time spent in the function itself; "total" includes what it calls (each function counted
// once per stack, so recursion does not inflate it). --filter keeps rows whose URL contains the text.

import fs from "node:fs";
import { parseArgs } from "node:util";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

const { values, positionals } = parseArgs({
  options: { top: { type: "string", default: "25" }, filter: { type: "string" } },
  allowPositionals: true,
});
const file = positionals[0];
if (!file) {
  process.stderr.write("usage: profile-summary.ts <file.cpuprofile> [--top N] [--filter text]\n");
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Time per sample: the delta to the next sample, as DevTools does.
const samples = profile.samples ?? [];
const deltas = profile.timeDeltas ?? [];
const selfUs = new Map<number, number>();
for (let i = 0; i < samples.length; i++) {
  const dt = deltas[i + 1] ?? 0;
  selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + dt);
}
const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);

const shortUrl = (url: string) => url.replace(/^file:\/\/.*?\/(server|bench|node_modules)\//, "$1/").replace(/^node:/, "node:");
const keyOf = (n: ProfileNode) =>
  `${n.callFrame.functionName || "(anonymous)"}  ${shortUrl(n.callFrame.url)}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ""}`;

const self = new Map<string, number>();
const total = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id)!;
  self.set(keyOf(node), (self.get(keyOf(node)) ?? 0) + us);
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const k = keyOf(byId.get(at)!);
    if (seen.has(k)) continue;
    seen.add(k);
    total.set(k, (total.get(k) ?? 0) + us);
  }
}

const top = Number(values.top);
const keep = (k: string) => !values.filter || k.includes(values.filter);
const show = (title: string, m: Map<string, number>) => {
  process.stdout.write(`\n${title} (of ${(totalUs / 1000).toFixed(0)} ms sampled)\n`);
  for (const [k, us] of [...m].filter(([k]) => keep(k)).sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${((100 * us) / totalUs).toFixed(1).padStart(6)}%  ${k}\n`);
  }
};
show("self time", self);
show("total time", total);
