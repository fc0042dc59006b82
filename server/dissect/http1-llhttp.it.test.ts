// The HTTP/1.x dissector against Node's own parser (llhttp): each request of the corpus goes, as raw bytes, to a real
// node:http server over loopback, and the server's verdict (400 Bad Request before any handler runs, or not) must be
// the dissector's (a finding of severity "error" in the client's frames, or none); each response of the corpus is
// sent by a raw TCP server to a real node:http client, whose verdict (a parse error or a cut body, or the whole
// response read) must be the dissector's on the server's frames.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { replay } from "./testdata/http1/conversations";
import { LLHTTP_CORPUS, LLHTTP_RESPONSES } from "./testdata/http1/llhttp-corpus";

let server: http.Server;
let port = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.end("handled"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** Node's verdict: "reject" when it answered 400 without a handler, "accept" when a handler answered. */
function nodeVerdict(bytes: Uint8Array): Promise<{ verdict: "accept" | "reject"; answer: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let answer = "";
    socket.setEncoding("latin1");
    socket.on("data", (d: string) => (answer += d));
    socket.on("error", reject);
    // Half-close after the request: a server that waits for more (a body) sees the end instead of hanging.
    socket.end(bytes);
    const done = () => resolve({ verdict: / 400 /.test(answer.split("\r\n")[0] ?? "") || !answer.includes("handled") ? "reject" : "accept", answer });
    socket.on("close", done);
    setTimeout(() => socket.destroy(), 2000);
  });
}

function dissectorVerdict(bytes: Uint8Array): { verdict: "accept" | "reject"; errors: string[] } {
  const pdus = replay([["c2s", bytes]]);
  const errors = pdus.filter((p) => p.direction === "c2s").flatMap((p) => p.frames.flatMap((f) => f.findings.filter((x) => x.severity === "error").map((x) => x.code)));
  return { verdict: errors.length ? "reject" : "accept", errors };
}

describe("http1 dissector and llhttp agree", () => {
  it("covers good and bad requests", () => {
    expect(LLHTTP_CORPUS.length).toBeGreaterThan(50);
  });

  for (const entry of LLHTTP_CORPUS) {
    it(entry.name, async () => {
      const bytes = Uint8Array.from(entry.text, (c) => c.charCodeAt(0));
      const node = await nodeVerdict(bytes);
      const ours = dissectorVerdict(bytes);
      expect({ verdict: ours.verdict, errors: ours.errors }, `node answered ${JSON.stringify(node.answer.slice(0, 60))}`).toMatchObject({ verdict: node.verdict });
    });
  }
});

/** Node's client verdict on a response: "accept" when it read the whole response, "reject" on a parse error or a cut body. */
function clientVerdict(bytes: Uint8Array): Promise<{ verdict: "accept" | "reject"; why: string }> {
  return new Promise((resolve) => {
    const raw = net.createServer((socket) => {
      socket.once("data", () => socket.end(bytes));
      socket.on("error", () => {});
    });
    raw.listen(0, "127.0.0.1", () => {
      const { port: rawPort } = raw.address() as AddressInfo;
      const finish = (verdict: "accept" | "reject", why: string) => {
        raw.close();
        resolve({ verdict, why });
      };
      const req = http.get({ host: "127.0.0.1", port: rawPort, path: "/", agent: false }, (res) => {
        res.on("data", () => {});
        res.on("end", () => finish(res.complete ? "accept" : "reject", `end, complete=${res.complete}`));
        res.on("aborted", () => finish("reject", "aborted"));
        res.on("error", (err) => finish("reject", String(err)));
      });
      req.on("error", (err: NodeJS.ErrnoException) => finish("reject", err.code ?? String(err)));
    });
  });
}

describe("http1 dissector and llhttp's client agree on responses", () => {
  for (const entry of LLHTTP_RESPONSES) {
    it(entry.name, async () => {
      const bytes = Uint8Array.from(entry.text, (c) => c.charCodeAt(0));
      const node = await clientVerdict(bytes);
      const pdus = replay([
        ["c2s", Uint8Array.from("GET / HTTP/1.1\r\nHost: lab\r\n\r\n", (c) => c.charCodeAt(0))],
        ["s2c", bytes],
      ]);
      const errors = pdus.filter((p) => p.direction === "s2c").flatMap((p) => p.frames.flatMap((f) => f.findings.filter((x) => x.severity === "error").map((x) => x.code)));
      expect({ verdict: errors.length ? "reject" : "accept", errors }, `node: ${node.why}`).toMatchObject({ verdict: node.verdict });
    });
  }
});
