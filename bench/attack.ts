// `npm run attack`: the attack suite of issue 8 against a lab host on free ports (server/attack/suite.ts),
// printing what each attack did and what the host did. Exits 1 when the host did not hold.
//
//   npm run attack                     # the long form (about two minutes)
//   npm run attack -- --short          # the short form the tests run (about twenty seconds)

import { parseArgs } from "node:util";
import { regressions, runAttackSuite, BOUNDS, type AttackResult } from "@/server/attack/suite";
import type { RoundTrips } from "@/server/attack/probes";

const USAGE = "Usage: npm run attack [-- --short]";

const { values } = parseArgs({ options: { short: { type: "boolean" }, help: { type: "boolean" } }, strict: true });
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const ms = (n: number) => (n < 10 ? n.toFixed(1) : Math.round(n).toString());
const trips = (t: RoundTrips) => `p99 ${ms(t.p99Ms)} ms (p50 ${ms(t.p50Ms)}, max ${ms(t.maxMs)}; ${t.ok} ok, ${t.failed} failed)`;
const mib = (n: number) => `${Math.round(n)} MiB`;
const answers = (a: AttackResult) =>
  Object.entries(a.answers)
    .map(([kind, n]) => `${kind} x${n}`)
    .join(", ");

const started = performance.now();
const result = await runAttackSuite({ scale: values.short ? "short" : "long", progress: (line) => process.stdout.write(`… ${line}\n`) });

const lines = [
  "",
  `Attack suite, ${result.scale} form: a lab host in its own process, on free ports, capture off; the victim is`,
  "an echo client doing ping-pong, a browser opening new connections to /api/status, and a session.",
  "",
  `baseline (no attack): echo ${trips(result.baseline.echo)}; /api/status ${trips(result.baseline.status)}; RSS ${mib(result.baseline.rss)}`,
];
for (const a of result.attacks) {
  lines.push(
    "",
    `== ${a.name} (${a.seconds.toFixed(1)} s)`,
    `   did:         ${a.did}`,
    `   host:        ${answers(a)}${a.refused ? "" : "   <-- not the refusal it should be"}`,
    `   RSS:         ${mib(a.rss.before)} -> ${mib(a.rss.after)}, peak ${mib(a.rss.peak)} (+${mib(a.rss.peak - a.rss.before)})`,
    `   echo:        ${trips(a.echo)}`,
    `   /api/status: ${trips(a.status)}`,
    `   session:     ${a.sessionKept ? "the victim's session kept" : "THE VICTIM'S SESSION IS GONE"}`,
    `   host log:    ${a.log.lines} line(s)${a.log.stackLines > 0 ? `, ${a.log.stackLines} of a stack` : ""}${a.log.first.length > 0 ? `: ${a.log.first.join(" | ")}` : ""}`,
  );
  for (const problem of a.problems) lines.push(`   problem:     ${problem}`);
}
const peak = Math.max(...result.attacks.map((a) => a.rss.peak));
const worstEcho = result.attacks.reduce((w, a) => (a.echo.p99Ms > w.echo.p99Ms ? a : w));
lines.push(
  "",
  `summary: peak RSS ${mib(peak)}; worst echo p99 ${ms(worstEcho.echo.p99Ms)} ms (${worstEcho.name}); sessions lost ${result.attacks.filter((a) => !a.sessionKept).length}; host ${result.hostAlive ? "up" : "DOWN"} at the end; ${((performance.now() - started) / 1000).toFixed(0)} s`,
  `bounds: peak RSS growth per attack <= ${BOUNDS.peakGrowthMiB} MiB, echo p99 <= ${BOUNDS.echoP99Ms} ms, /api/status p99 <= ${BOUNDS.statusP99Ms} ms, no failed probe, no lost session, no stack in the log`,
);
const found = regressions(result);
lines.push(found.length === 0 ? "verdict: the host held." : `verdict: ${found.length} regression(s):\n${found.map((r) => `  - ${r}`).join("\n")}`);
process.stdout.write(`${lines.join("\n")}\n`);
process.exit(found.length === 0 ? 0 : 1);
