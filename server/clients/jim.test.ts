// The JIM client's pieces without a socket: messages written as Python's json.dumps writes them (what the course's
// homework client sends), and the server's objects cut whole however the reads split or join them.
import { describe, expect, it } from "vitest";
import { createJimSplitter, jimObject, pyDumps } from "./jim";

const utf8 = new TextEncoder();
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe("the JIM client's messages", () => {
  it("are json.dumps: ', ' and ': ', non-ASCII as \\u escapes, time as a float", () => {
    const at = 1764950400123;
    expect(pyDumps(jimObject({ action: "presence", user: { accountName: "guest1", status: "Я здесь" } }, at))).toBe(
      '{"action": "presence", "time": 1764950400.123, "type": "status", "user": {"account_name": "guest1", "status": "\\u042f \\u0437\\u0434\\u0435\\u0441\\u044c"}}',
    );
    expect(pyDumps(jimObject({ action: "msg", text: { to: "#lobby", from: "ann", message: 'say "hi"' } }, 1764950400000))).toBe(
      '{"action": "msg", "time": 1764950400.0, "to": "#lobby", "from": "ann", "encoding": "ascii", "message": "say \\"hi\\""}',
    );
    expect(pyDumps(jimObject({ action: "quit" }))).toBe('{"action": "quit"}');
    expect(pyDumps(jimObject({ action: "join", room: "#py" }, 1000))).toBe('{"action": "join", "time": 1.0, "room": "#py"}');
  });
});

describe("the JIM client's reader", () => {
  const a = '{"response": 200, "time": 1.5, "alert": "OK"}';
  const b = '{"action": "msg", "time": 2, "to": "ann", "from": "bob", "message": "} {"}';

  it("gives each object whole, from one read with two and from reads of one byte", () => {
    const joined = createJimSplitter();
    expect((joined.push(utf8.encode(a + b)) as Uint8Array[]).map(text)).toEqual([a, b]);
    const drip = createJimSplitter();
    const out: string[] = [];
    for (const byte of utf8.encode(`${a}\n${b}`)) out.push(...(drip.push(Uint8Array.of(byte)) as Uint8Array[]).map(text));
    expect(out).toEqual([a, `\n${b}`]);
    expect(drip.pending).toBe(0);
  });

  it("gives up on more than its bound without an object's end", () => {
    const s = createJimSplitter(16);
    expect(s.push(utf8.encode('{"message": "'))).toEqual([]);
    expect(s.push(utf8.encode("x".repeat(16)))).toBe("too-long");
  });
});
