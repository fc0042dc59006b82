// Naming an outside client's program (issue 15 §1.6): /proc's socket tables and fd links read right (fixtures), the
// bound on waiting lookups, a real child process (Debian's python3) connecting to a tapped echo server and its
// conversation getting its command and pid, and a batch sending the conversation again once its program is known.

import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { afterEach, describe, expect, it } from "vitest";
import { createBatchReader } from "@/app/_components/timeline/batch";
import { EventBatchSchema } from "@/gen/lab/v1/timeline_pb";
import { textDissector } from "../dissect/text";
import { createSessionStore } from "../lab/sessions";
import { briefOf, conversationToProto, createBatchWriter } from "../lab/to-proto";
import { handleEcho } from "../servers/tcp-echo";
import { sleep } from "../testing/host";
import { createBus } from "./bus";
import type { ConversationInfo } from "./events";
import { addressKey, createPeerProcessResolver, isLocalAddress, notePeerProcess, procAddressKey, socketInodes } from "./peer-process";
import { createTappedServer } from "./tap";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await sleep(10);
  }
}

// A client socket 127.0.0.1:40000 -> 127.0.0.1:8888 (inode 5001), the server's side of it (5002), and a listener.
const TCP = [
  "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
  "   0: 0100007F:22B8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5000 1 0 100 0 0 10 0",
  "   1: 0100007F:9C40 0100007F:22B8 01 00000000:00000000 00:00000000 00000000  1000        0 5001 1 0 20 4 30 10 -1",
  "   2: 0100007F:22B8 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 5002 1 0 20 4 30 10 -1",
].join("\n");
// An IPv6 client [::1]:40001 -> [::1]:8888 (inode 6001).
const TCP6 = [
  "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
  "   0: 00000000000000000000000001000000:9C41 00000000000000000000000001000000:22B8 01 00000000:00000000 00:00000000 00000000  1000        0 6001 1 0 20 4 30 10 -1",
].join("\n");

async function procFixture(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "peer-proc-"));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  await mkdir(join(root, "net"));
  await writeFile(join(root, "net", "tcp"), TCP + "\n");
  await writeFile(join(root, "net", "tcp6"), TCP6 + "\n");
  const proc = async (pid: number, comm: string, fds: string[]) => {
    await mkdir(join(root, String(pid), "fd"), { recursive: true });
    await writeFile(join(root, String(pid), "comm"), comm + "\n");
    for (const [index, target] of fds.entries()) await symlink(target, join(root, String(pid), "fd", String(index)));
  };
  await proc(100, "lab-host", ["/dev/null", "socket:[5000]", "socket:[5002]"]);
  await proc(200, "nc", ["/dev/pts/0", "socket:[5001]"]);
  await proc(300, "python3", ["pipe:[77]", "socket:[6001]"]);
  return root;
}

describe("reading /proc", () => {
  it("keys addresses as 16 bytes, IPv4 as IPv4-mapped, whichever way they are written", () => {
    expect(addressKey("127.0.0.1")).toBe("00000000000000000000ffff7f000001");
    expect(addressKey("::ffff:127.0.0.1")).toBe("00000000000000000000ffff7f000001");
    expect(addressKey("::1")).toBe("00000000000000000000000000000001");
    expect(addressKey("fe80::1%eth0")).toBe("fe800000000000000000000000000001");
    expect(addressKey("2001:db8::8:800:200c:417a")).toBe("20010db80000000000080800200c417a");
    for (const bad of ["", "localhost", "1.2.3", "256.1.1.1", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9"]) expect(addressKey(bad)).toBeNull();
    expect(procAddressKey("0100007F:22B8")).toEqual({ key: "00000000000000000000ffff7f000001", port: 8888 });
    expect(procAddressKey("00000000000000000000000001000000:22B8")).toEqual({ key: "00000000000000000000000000000001", port: 8888 });
    expect(procAddressKey("0000000000000000FFFF00000100007F:0050")).toEqual({ key: "00000000000000000000ffff7f000001", port: 80 });
    expect(procAddressKey("zz:1")).toBeNull();
  });

  it("finds each socket's inode by its two ends, skipping the header and short lines", () => {
    const inodes = socketInodes(TCP + "\nbroken line\n");
    expect(inodes.get("00000000000000000000ffff7f000001:40000>00000000000000000000ffff7f000001:8888")).toBe(5001);
    expect(inodes.get("00000000000000000000ffff7f000001:8888>00000000000000000000ffff7f000001:40000")).toBe(5002);
    expect(inodes.size).toBe(3);
  });

  it("names the process holding the client's end (not the server's), over IPv4 and IPv6, and null when none does", async () => {
    const resolver = createPeerProcessResolver({ procRoot: await procFixture() });
    const server = { ip: "127.0.0.1", port: 8888 };
    const [v4, v6, nobody, gone] = await Promise.all([
      resolver.lookup({ ip: "127.0.0.1", port: 40000 }, server),
      resolver.lookup({ ip: "::1", port: 40001 }, { ip: "::1", port: 8888 }),
      resolver.lookup({ ip: "127.0.0.1", port: 40002 }, server),
      resolver.lookup({ ip: "not an address", port: 1 }, server),
    ]);
    expect(v4).toEqual({ pid: 200, command: "nc" });
    expect(v6).toEqual({ pid: 300, command: "python3" });
    expect(nobody).toBeNull();
    expect(gone).toBeNull();
  });

  it("answers null at once past the bound on waiting lookups, and null for a missing /proc", async () => {
    const resolver = createPeerProcessResolver({ procRoot: await procFixture(), maxPending: 2 });
    const client = { ip: "127.0.0.1", port: 40000 };
    const server = { ip: "127.0.0.1", port: 8888 };
    const answers = await Promise.all([1, 2, 3, 4].map(() => resolver.lookup(client, server)));
    expect(answers).toEqual([{ pid: 200, command: "nc" }, { pid: 200, command: "nc" }, null, null]);
    // The queue drained: a later lookup is answered again.
    expect(await resolver.lookup(client, server)).toEqual({ pid: 200, command: "nc" });
    expect(await createPeerProcessResolver({ procRoot: "/nonexistent-proc" }).lookup(client, server)).toBeNull();
  });

  it("stops a walk at its bound on descriptors read: past it, the owner is not named", async () => {
    const root = await procFixture();
    const client = { ip: "127.0.0.1", port: 40000 };
    const server = { ip: "127.0.0.1", port: 8888 };
    // Newest first: pid 300 holds 2 descriptors and pid 200 (the owner) 2: a budget of 3 stops before pid 200, of 4
    // reaches it.
    expect(await createPeerProcessResolver({ procRoot: root, maxDescriptors: 3 }).lookup(client, server)).toBeNull();
    expect(await createPeerProcessResolver({ procRoot: root, maxDescriptors: 4 }).lookup(client, server)).toEqual({ pid: 200, command: "nc" });
  });

  it("looks first into the owner it found last: a program's next connection costs no walk of the others", async () => {
    const root = await procFixture();
    const server = { ip: "127.0.0.1", port: 8888 };
    const resolver = createPeerProcessResolver({ procRoot: root, maxDescriptors: 10, walkGapMs: 0 });
    expect(await resolver.lookup({ ip: "127.0.0.1", port: 40000 }, server)).toEqual({ pid: 200, command: "nc" });
    // A newer process with more descriptors than the whole budget: a walk newest first would stop at it.
    await mkdir(join(root, "400", "fd"), { recursive: true });
    await writeFile(join(root, "400", "comm"), "busy\n");
    for (let fd = 0; fd < 11; fd++) await symlink("/dev/null", join(root, "400", "fd", String(fd)));
    expect(await createPeerProcessResolver({ procRoot: root, maxDescriptors: 10 }).lookup({ ip: "127.0.0.1", port: 40000 }, server)).toBeNull();
    expect(await resolver.lookup({ ip: "127.0.0.1", port: 40000 }, server)).toEqual({ pid: 200, command: "nc" });
  });

  it("makes lookups that come soon after a walk wait and share the next one", async () => {
    const resolver = createPeerProcessResolver({ procRoot: await procFixture(), walkGapMs: 200 });
    const client = { ip: "127.0.0.1", port: 40000 };
    const server = { ip: "127.0.0.1", port: 8888 };
    expect(await resolver.lookup(client, server)).toEqual({ pid: 200, command: "nc" });
    expect(resolver.walks).toBe(1);
    // Three connections a turn apart, all within the gap: one more walk for the three.
    const later: Promise<unknown>[] = [];
    for (let i = 0; i < 3; i++) {
      later.push(resolver.lookup(client, server));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(later)).toEqual([1, 2, 3].map(() => ({ pid: 200, command: "nc" })));
    expect(resolver.walks).toBe(2);
  });

  it("says another machine for a client address that is not this host's, without a lookup", () => {
    expect(isLocalAddress("127.0.0.1")).toBe(true);
    expect(isLocalAddress("::1")).toBe(true);
    expect(isLocalAddress("192.0.2.7")).toBe(false);
    const info: ConversationInfo = {
      id: "c9",
      transport: "tcp",
      client: { ip: "192.0.2.7", port: 50000 },
      server: { ip: "10.0.0.1", port: 8888 },
      service: "tcp-echo",
      protocol: "text",
      origin: "external",
      owner: undefined,
    };
    let asked = 0;
    notePeerProcess(info, { lookup: async () => (asked++, null) });
    expect(info.otherMachine).toBe(true);
    expect(asked).toBe(0);
    expect(conversationToProto(info)).toMatchObject({ otherMachine: true, processCommand: "", processId: 0 });
  });
});

describe("a real outside program", () => {
  it("gets its command name and pid on its conversation, and a batch sends the conversation again with them", async () => {
    const sessions = createSessionStore({ ringMaxEvents: 10_000, ringMaxBytes: 1 << 22 });
    const watcher = sessions.resolve(undefined, "127.0.0.1").session;
    const bus = createBus({ sessions, dissectorFor: () => textDissector });
    const server = createTappedServer({ bus, service: "tcp-echo", protocol: "text", handler: handleEcho });
    cleanups.push(() => void server.close());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const port = (server.address() as net.AddressInfo).port;

    // Debian's python3: connects, sends a line, reads the echo, then holds the connection until its stdin closes.
    const script = [
      "import socket, sys",
      `s = socket.create_connection(("127.0.0.1", ${port}))`,
      's.sendall(b"hi\\n")',
      "got = b''",
      "while b'ECHO: hi' not in got: got += s.recv(100)",
      "print('echoed', flush=True)",
      "sys.stdin.read()",
      "s.close()",
    ].join("\n");
    const child: ChildProcess = spawn("/usr/bin/python3", ["-c", script], { stdio: ["pipe", "pipe", "inherit"] });
    cleanups.push(() => {
      child.stdin?.end();
      child.kill();
    });
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
    await waitFor(() => out.includes("echoed"));

    const first = () => watcher.ring.after(0, 100)[0];
    await waitFor(() => first()?.conversation.process !== undefined);
    const info = first()!.conversation;
    expect(info.origin).toBe("external");
    expect(info.process).toEqual({ pid: child.pid, command: "python3" });
    expect(info.otherMachine).toBeUndefined();
    expect(conversationToProto(info)).toMatchObject({ processCommand: "python3", processId: child.pid, otherMachine: false });

    // A writer that sent the conversation before its program was known sends it again, under a new index.
    const events = watcher.ring.after(0, 100);
    const writer = createBatchWriter();
    const reader = createBatchReader();
    const read = (bytes: Uint8Array) => {
      const batch = fromBinary(EventBatchSchema, bytes);
      expect(Buffer.from(toBinary(EventBatchSchema, batch)).equals(Buffer.from(bytes))).toBe(true);
      return { batch, page: reader.read(batch) };
    };
    const before = { ...events[0]!, conversation: { ...info, process: undefined } };
    const one = read(writer.write([briefOf(before, () => textDissector)]).bytes);
    expect(one.page.conversations.map((c) => c.processCommand)).toEqual([""]);
    const two = read(writer.write([briefOf(events[1]!, () => textDissector)]).bytes);
    expect(two.page.conversations).toHaveLength(1);
    expect(two.page.conversations[0]).toMatchObject({ id: info.id, processCommand: "python3", processId: child.pid });
    expect(two.page.events[0]!.conversationId).toBe(info.id);
    // And not again while it stays the same.
    const three = read(writer.write([briefOf(events[1]!, () => textDissector)]).bytes);
    expect(three.page.conversations).toHaveLength(0);
    expect(three.page.events[0]!.conversationId).toBe(info.id);
  });
});
