// The benchmarks' child processes and what /proc says of them: each bench starts its servers, loaders and
// pages as children that speak JSON lines, reads their CPU time, and stops every one of them on any exit
// path (by pid, never by name).

import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";

const root = path.resolve(import.meta.dirname, "..");

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const CLK_TCK = (() => {
  try {
    const n = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    return Number.isInteger(n) && n > 0 ? n : 100;
  } catch {
    return 100; // USER_HZ is 100 on every Linux ABI in use
  }
})();

/** CPU seconds (user + system, every thread) the process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) is in parentheses and may contain spaces: split after the last ")".
  // fields[0] is field 3 (state), so utime (field 14) is fields[11] and stime (field 15) fields[12].
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** Every child started here, and what else must go when this process goes (a server's tcpdump). */
const children = new Set<ChildProcess>();
const cleanups: (() => void)[] = [];
let installed = false;

/** Runs `cleanup` too when this process exits or is interrupted. */
export function onCleanup(cleanup: () => void) {
  cleanups.push(cleanup);
}

function killAll() {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const cleanup of cleanups) cleanup();
}

function install() {
  if (installed) return;
  installed = true;
  process.on("exit", killAll);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

/** A child that speaks JSON lines on stdout; `next(pred)` waits for the first matching line. */
export interface LineChild {
  readonly proc: ChildProcess;
  readonly exited: Promise<void>;
  /** One line on its stdin. */
  send(line: string): void;
  next(predicate: (msg: Record<string, unknown>) => boolean, timeoutMs: number, what: string): Promise<Record<string, unknown>>;
}

export function startChild(command: string, args: string[], name: string): LineChild {
  install();
  const proc = spawn(command, args, { cwd: root, stdio: ["pipe", "pipe", "pipe"] });
  children.add(proc);
  let stderr = "";
  proc.stderr!.on("data", (d: Buffer) => {
    // Keep the tail only: enough to explain a failure, bounded whatever the child prints.
    stderr = (stderr + d.toString("utf8")).slice(-4000);
  });
  const queue: Record<string, unknown>[] = [];
  let waiter: (() => void) | undefined;
  readline.createInterface({ input: proc.stdout! }).on("line", (line) => {
    try {
      queue.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      return; // not a protocol line
    }
    waiter?.();
  });
  let exitInfo: string | undefined;
  const exited = new Promise<void>((resolve) =>
    proc.once("exit", (code, signal) => {
      exitInfo = `${name} exited (${signal ?? code})${stderr ? `:\n${stderr.trimEnd()}` : ""}`;
      children.delete(proc);
      waiter?.();
      resolve();
    }),
  );
  return {
    proc,
    exited,
    send: (line) => proc.stdin!.write(`${line}\n`),
    next(predicate, timeoutMs, what) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiter = undefined;
          reject(new Error(`${name}: no ${what} within ${timeoutMs / 1000} s${stderr ? `; stderr:\n${stderr.trimEnd()}` : ""}`));
        }, timeoutMs);
        const check = () => {
          const at = queue.findIndex(predicate);
          if (at >= 0) {
            const [msg] = queue.splice(at, 1);
            clearTimeout(timer);
            waiter = undefined;
            resolve(msg!);
          } else if (exitInfo) {
            clearTimeout(timer);
            waiter = undefined;
            reject(new Error(`${exitInfo}\n(while waiting for ${what})`));
          } else {
            waiter = check;
          }
        };
        check();
      });
    },
  };
}

/** Stops a child: EOF on stdin (its own clean exit), then SIGTERM, then SIGKILL, each after a bound. */
export async function stopChild(child: LineChild): Promise<void> {
  const { proc } = child;
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const waitExit = (ms: number) => Promise.race([child.exited.then(() => true), sleep(ms).then(() => false)]);
  proc.stdin!.end();
  if (await waitExit(5_000)) return;
  proc.kill("SIGTERM");
  if (await waitExit(2_000)) return;
  proc.kill("SIGKILL");
  await waitExit(2_000);
}
