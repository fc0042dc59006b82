// What an attack is measured with: an unrelated student's echo client doing ping-pong (its round trip
// says whether the host kept serving others), a browser's fresh /api/status requests (whether the web
// port still lets a newcomer in), and raw HTTP/1.1 requests with whatever headers an attacker writes.

import http from "node:http";
import net from "node:net";

export interface RoundTrips {
  /** Round trips that got their answer. */
  readonly ok: number;
  /** Round trips that failed (refused, reset, or no answer within the timeout). */
  readonly failed: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** The first few failures, in the platform's words. */
  readonly errors: readonly string[];
}

export interface Probe {
  stop(): Promise<RoundTrips>;
}

const PROBE_TIMEOUT_MS = 5_000;

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summarize(times: number[], failed: number, errors: string[]): RoundTrips {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    ok: sorted.length,
    failed,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? 0,
    errors: errors.slice(0, 5),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A client of the lab's echo server (seed 000's protocol: a welcome, then `ECHO: <message>` for each
 * message) that sends a message every `intervalMs` and times each answer. A failed connection is
 * counted and replaced.
 */
export function startEchoProbe(port: number, host = "127.0.0.1", intervalMs = 10): Probe {
  const times: number[] = [];
  const errors: string[] = [];
  let failed = 0;
  let running = true;

  async function session(): Promise<void> {
    const socket = net.connect({ host, port });
    socket.setNoDelay(true);
    let text = "";
    let wake: (() => void) | undefined;
    let error: Error | undefined;
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
      wake?.();
    });
    socket.on("error", (err) => {
      error = err;
      wake?.();
    });
    socket.on("close", () => {
      error ??= new Error("closed by the server");
      wake?.();
    });
    const until = async (done: () => boolean) => {
      const deadline = Date.now() + PROBE_TIMEOUT_MS;
      while (!done()) {
        if (error) throw error;
        if (Date.now() > deadline) throw new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`);
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 100);
        });
      }
    };
    try {
      await until(() => text.endsWith(")")); // the welcome
      for (let n = 0; running; n++) {
        text = "";
        const message = `probe ${n}`;
        const started = performance.now();
        socket.write(message);
        await until(() => text.endsWith(`ECHO: ${message}`));
        times.push(performance.now() - started);
        await sleep(intervalMs);
      }
    } finally {
      socket.destroy();
    }
  }

  const loop = (async () => {
    while (running) {
      try {
        await session();
      } catch (err) {
        failed++;
        errors.push(err instanceof Error ? err.message : String(err));
        await sleep(intervalMs);
      }
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return summarize(times, failed, errors);
    },
  };
}

/**
 * A browser arriving: GET /api/status on a new connection every `intervalMs` (no keep-alive, so each
 * one has to get into the web port), from `localAddress` when given.
 */
export function startStatusProbe(port: number, options: { host?: string; localAddress?: string; intervalMs?: number } = {}): Probe {
  const times: number[] = [];
  const errors: string[] = [];
  let failed = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const result = await rawHttp(port, `GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, {
        host: options.host,
        localAddress: options.localAddress,
        timeoutMs: PROBE_TIMEOUT_MS,
      });
      if (result.status === 200) times.push(performance.now() - started);
      else {
        failed++;
        errors.push(result.error ?? `HTTP ${result.status}`);
      }
      await sleep(options.intervalMs ?? 100);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return summarize(times, failed, errors);
    },
  };
}

export interface RawResponse {
  /** 0 when no status line came back. */
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The server closed the connection (or reset it) before the timeout. */
  readonly closed: boolean;
  /** How the connection failed, when it did. */
  readonly error?: string;
  readonly ms: number;
}

export interface RawOptions {
  readonly host?: string;
  readonly localAddress?: string;
  readonly timeoutMs?: number;
  /** Called once connected, to keep writing (a body that never ends); the socket is destroyed at the end. */
  readonly then?: (socket: net.Socket) => void;
  /** Waits for the server to close the connection even after a complete response. */
  readonly untilClosed?: boolean;
}

/**
 * Writes `request` as is on a new connection and reads until the server closes it, the response is
 * complete (by Content-Length; unless `untilClosed`) or the timeout. Never throws: failures are in the
 * result.
 */
export function rawHttp(port: number, request: string | Uint8Array, options: RawOptions = {}): Promise<RawResponse> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect({ host: options.host ?? "127.0.0.1", port, localAddress: options.localAddress });
    const chunks: Buffer[] = [];
    let settled = false;
    let error: string | undefined;
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...parseResponse(Buffer.concat(chunks)), closed, error, ms: performance.now() - started });
    };
    const timer = setTimeout(() => {
      error ??= `no complete answer within ${options.timeoutMs ?? PROBE_TIMEOUT_MS} ms`;
      finish(false);
    }, options.timeoutMs ?? PROBE_TIMEOUT_MS);
    socket.on("connect", () => {
      socket.write(request);
      options.then?.(socket);
    });
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      const parsed = parseResponse(Buffer.concat(chunks));
      if (parsed.complete && !options.untilClosed) finish(false);
    });
    socket.on("error", (err: NodeJS.ErrnoException) => {
      error ??= err.code ?? err.message;
    });
    socket.on("close", () => finish(true));
  });
}

function parseResponse(bytes: Buffer): { status: number; headers: Record<string, string>; body: string; complete: boolean } {
  const end = bytes.indexOf("\r\n\r\n");
  if (end < 0) return { status: 0, headers: {}, body: "", complete: false };
  const [statusLine, ...lines] = bytes.subarray(0, end).toString("latin1").split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? "")?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = bytes.subarray(end + 4);
  const length = headers["content-length"];
  const complete = length !== undefined && body.length >= Number(length);
  return { status, headers, body: body.toString("utf8"), complete };
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** One request with node:http on a new connection, Host and other headers as given (fetch cannot set Host). */
export function httpRequest(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: Uint8Array | string; localAddress?: string },
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, method: options.method ?? "GET", path: options.path, headers: options.headers, localAddress: options.localAddress, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}
