// An interactive JIM client, as seed 002's homework runs its client.py:
//   npm run jim:client -- <addr> [<port>] [--name <account_name>]
// It connects, sends presence and prints every object the server sends (the raw JSON, then what it means).
// Typed lines:
//   /msg <to> <text>      a message to a user or a #room
//   /join #room, /leave #room
//   /presence [name], /auth <name> <password>
//   /quit                 sends quit; the server closes
//   anything else         a message to the last #room joined (or the last addressee)
// Objects are written as the course's Python writes them (json.dumps with ASCII escapes) and read with the
// server's own splitter, so replies that TCP joins or splits are shown one by one.

import net from "node:net";
import readline from "node:readline";
import { parseArgs } from "node:util";
import { createJimDecoder } from "./decoder";
import { asciiJson, unixTime, type JimValue } from "./wire";

const USAGE = "usage: npm run jim:client -- <addr> [<port>] [--name <account_name>]";

function describe(obj: Record<string, unknown>): string {
  if (typeof obj.response === "number") return `  ${obj.response} ${String(obj.error ?? obj.alert ?? "")}`;
  if (obj.action === "msg") return `  [${String(obj.to)}] ${String(obj.from)}: ${String(obj.message)}`;
  if (obj.action === "probe") return "  probe: the server asks whether you are here (answered with presence)";
  return "";
}

function main(): void {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { name: { type: "string" }, help: { type: "boolean", short: "h", default: false } } });
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const [addr, portText = "7777"] = parsed.positionals;
  const port = Number(portText);
  if (parsed.values.help || !addr || !Number.isInteger(port) || port <= 0 || port > 65535) {
    console.error(USAGE);
    process.exit(parsed.values.help ? 0 : 2);
  }
  let name = parsed.values.name ?? `guest-${process.pid}`;
  let target = "";

  const socket = net.connect({ host: addr, port });
  const decoder = createJimDecoder({ maxObjectBytes: 64 * 1024, maxDepth: 64 });
  const send = (obj: Record<string, JimValue>) => {
    const text = asciiJson(obj);
    console.log(`> ${text}`);
    socket.write(text);
  };
  const presence = () => send({ action: "presence", time: unixTime(), type: "status", user: { account_name: name, status: "online" } });

  socket.on("connect", () => {
    console.log(`connected to ${addr}:${port} as ${name}; /msg <to> <text>, /join #room, /leave #room, /presence [name], /auth <name> <password>, /quit`);
    presence();
  });
  socket.on("data", (chunk: Buffer) => {
    for (const event of decoder.push(chunk)) {
      if (event.kind !== "object") {
        console.log(`< (not an object: ${event.kind})`);
        continue;
      }
      const text = Buffer.from(event.bytes).toString("utf8");
      console.log(`< ${text}`);
      try {
        const obj = JSON.parse(text) as Record<string, unknown>;
        const line = describe(obj);
        if (line) console.log(line);
        if (obj.action === "probe") presence();
      } catch {
        console.log("  (not valid JSON)");
      }
    }
  });
  socket.on("error", (err: NodeJS.ErrnoException) => {
    console.error(err.code === "ECONNREFUSED" ? `nothing listens on ${addr}:${port} (is the server running?)` : err.message);
    process.exitCode = 1;
  });
  socket.on("close", () => {
    console.log("connection closed");
    process.exit();
  });

  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  rl.on("line", (input) => {
    const line = input.trim();
    if (line === "") return;
    const [command, ...rest] = line.split(/\s+/);
    const time = unixTime();
    switch (command) {
      case "/msg": {
        const [to = "", ...words] = rest;
        target = to;
        send({ action: "msg", time, to, from: name, encoding: "ascii", message: words.join(" ") });
        break;
      }
      case "/join":
      case "/leave":
        if (command === "/join") target = rest[0] ?? "";
        send({ action: command.slice(1), time, room: rest[0] ?? "" });
        break;
      case "/presence":
        if (rest[0]) name = rest[0];
        presence();
        break;
      case "/auth":
        name = rest[0] ?? name;
        send({ action: "authenticate", time, user: { account_name: name, password: rest.slice(1).join(" ") } });
        break;
      case "/quit":
        send({ action: "quit" });
        break;
      default:
        if (!target) console.log("  (no addressee yet: /msg <to> <text> or /join #room first)");
        else send({ action: "msg", time, to: target, from: name, encoding: "ascii", message: line });
    }
  });
  rl.on("close", () => socket.end());
}

main();
