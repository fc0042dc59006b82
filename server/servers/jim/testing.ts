// Test helpers for the JIM server: the service started alone behind a real tap on a port the system picks,
// and seed 002's homework client (testdata/homework_client.py, Debian's Python) driven line by line.

import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startJimAlone, type StartedJim } from "./jim-service";
import type { JimServerOptions } from "./hub";

export type { StartedJim };

export function startJim(options: JimServerOptions = {}): Promise<StartedJim> {
  return startJimAlone(options);
}

export const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
const CLIENT = fileURLToPath(new URL("./testdata/homework_client.py", import.meta.url));

/** What one RECV printed: the bytes of one recv(1024) and json.loads of them. */
export interface Received {
  readonly raw: Buffer;
  readonly obj: Record<string, unknown> | null;
  /** The Python exception json.loads raised (JSONDecodeError), or null. */
  readonly error: string | null;
}

export interface HomeworkClient {
  /** socket.send(json.dumps(obj)) with "time": time.time() added unless present (not for quit). */
  send(obj: Record<string, unknown>): Promise<void>;
  sendRaw(bytes: Buffer | string): Promise<void>;
  /** One recv(1024) + json.loads. */
  recv(): Promise<Received>;
  close(): Promise<void>;
  readonly localPort: number;
}

export async function homeworkClient(port: number): Promise<HomeworkClient> {
  const proc: ChildProcessWithoutNullStreams = spawn(PYTHON, ["-u", CLIENT, "127.0.0.1", String(port)]);
  let buffered = "";
  const lines: string[] = [];
  let waiter: (() => void) | undefined;
  let stderr = "";
  proc.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  proc.stdout.on("data", (d: Buffer) => {
    buffered += d.toString();
    let nl: number;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      lines.push(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
    }
    waiter?.();
  });
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const next = async (): Promise<Record<string, unknown>> => {
    while (lines.length === 0) {
      if (proc.exitCode !== null) throw new Error(`the homework client exited: ${stderr}`);
      await Promise.race([new Promise<void>((r) => (waiter = r)), exited]);
    }
    return JSON.parse(lines.shift()!) as Record<string, unknown>;
  };
  const command = async (line: string) => {
    proc.stdin.write(`${line}\n`);
    return next();
  };
  const ready = await next();
  return {
    localPort: ready.ready as number,
    send: async (obj) => void (await command(`SEND ${JSON.stringify(obj)}`)),
    sendRaw: async (bytes) => void (await command(`SENDRAW ${Buffer.from(bytes).toString("hex")}`)),
    async recv() {
      const got = await command("RECV");
      return { raw: Buffer.from(got.raw as string, "hex"), obj: got.obj as Record<string, unknown> | null, error: got.error as string | null };
    },
    async close() {
      if (proc.exitCode === null) proc.stdin.write("CLOSE\n");
      await exited;
    },
  };
}

/** Resolves once `check` holds, polling the server's state (a close reaches the server a moment after the client's). */
export async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}
