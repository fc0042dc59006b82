// The display filter's grammar, precedence, operators, errors with their columns, and the bounded regex engine.
import { describe, expect, it } from "vitest";
import { textDissector } from "../text";
import { filterRecord, matchFilter, type FilterRecord, type FilterValue } from "./evaluate";
import { FILTER_LIMITS, filterNames, nearestNames, parseFilter, resolveName, type FilterNode } from "./parse";
import { compileRegex, RegexError } from "./regex";

function parsed(text: string): FilterNode | undefined {
  const r = parseFilter(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.code} at ${r.error.at}`);
  return r.filter;
}
function error(text: string) {
  const r = parseFilter(text);
  if (r.ok) throw new Error(`${text} parsed`);
  return r.error;
}
function record(values: Record<string, FilterValue[]>, protocols: string[] = []): FilterRecord {
  return { protocols: new Set(protocols), values: new Map(Object.entries(values)) };
}
const syn = record({ "tcp.flags.syn": [{ num: 1 }], "tcp.flags.ack": [{ num: 0 }], "ipv4.ttl": [{ num: 64 }], "tcp.srcport": [{ num: 51000 }], "tcp.dstport": [{ num: 8888 }], "ipv4.src": [{ str: "127.0.0.1", bytes: Uint8Array.of(127, 0, 0, 1) }] }, ["ipv4", "tcp"]);
const ack = record({ "tcp.flags.syn": [{ num: 0 }], "tcp.flags.ack": [{ num: 1 }], "ipv4.ttl": [{ num: 32 }] }, ["ipv4", "tcp"]);
const matches = (text: string, r: FilterRecord) => matchFilter(parsed(text), r);

describe("grammar", () => {
  it("a blank filter is no filter and passes everything", () => {
    expect(parseFilter("   ")).toEqual({ ok: true, filter: undefined });
    expect(matchFilter(undefined, ack)).toBe(true);
  });

  it("a field alone tests presence; a protocol name too", () => {
    expect(parsed("tcp.flags.syn")).toEqual({ t: "has", field: "tcp.flags.syn" });
    expect(parsed("tcp")).toEqual({ t: "has", field: "tcp" });
    expect(matches("tcp", syn)).toBe(true);
    expect(matches("udp", syn)).toBe(false);
    expect(matches("tcp.options", syn)).toBe(false);
  });

  it("Wireshark's names stand for the lab's ids: ip is ipv4, http is http1, ws is websocket", () => {
    expect(resolveName("ip.ttl")).toBe("ipv4.ttl");
    expect(resolveName("http.request.method")).toBe("http1.request.method");
    expect(resolveName("ws")).toBe("websocket");
    expect(resolveName("tcp.nonsense")).toBeUndefined();
    expect(parsed("ip.ttl < 64")).toMatchObject({ t: "cmp", field: "ipv4.ttl", rel: "<", value: { kind: "number", value: 64 } });
  });

  it("and binds tighter than or; not tighter than and; parentheses override", () => {
    expect(parsed("tcp or udp and ipv4")).toMatchObject({ t: "or", left: { t: "has", field: "tcp" }, right: { t: "and" } });
    expect(parsed("(tcp || udp) && ipv4")).toMatchObject({ t: "and", left: { t: "or" }, right: { t: "has", field: "ipv4" } });
    expect(parsed("!tcp && udp")).toMatchObject({ t: "and", left: { t: "not", node: { t: "has", field: "tcp" } } });
    expect(parsed("not not tcp")).toEqual({ t: "not", node: { t: "not", node: { t: "has", field: "tcp" } } });
    // true || (false && false), not (true || false) && false
    expect(matches("tcp || udp && jim", syn)).toBe(true);
    expect(matches("(tcp || udp) && jim", syn)).toBe(false);
  });

  it("word operators are the symbols", () => {
    for (const [word, sym] of [["eq", "=="], ["ne", "!="], ["lt", "<"], ["le", "<="], ["gt", ">"], ["ge", ">="]] as const) {
      expect(parsed(`ip.ttl ${word} 64`)).toEqual(parsed(`ip.ttl ${sym} 64`));
    }
    expect(parsed("tcp and udp")).toEqual(parsed("tcp && udp"));
    expect(parsed("tcp or udp")).toEqual(parsed("tcp || udp"));
    expect(parsed("not tcp")).toEqual(parsed("!tcp"));
    expect(parsed('text.line ~ "a"')).toMatchObject({ rel: "matches" });
  });

  it("literals: decimal, hex, strings with escapes, bytes, bare words", () => {
    expect(parsed("tcp.srcport == 0x1f90")).toMatchObject({ value: { kind: "number", value: 8080 } });
    expect(parsed('text.line == "a\\"b\\x41\\n"')).toMatchObject({ value: { kind: "string", value: 'a"bA\n' } });
    expect(parsed("eth.src == 00:1a:ff")).toMatchObject({ value: { kind: "bytes", value: Uint8Array.of(0, 0x1a, 0xff) } });
    expect(parsed("ip.src == 127.0.0.1")).toMatchObject({ value: { kind: "string", value: "127.0.0.1" } });
    expect(parsed("lab.service == echo")).toMatchObject({ field: "lab.service", value: { kind: "string", value: "echo" } });
  });
});

describe("operators", () => {
  it("== != < <= > >= on numbers", () => {
    expect(matches("tcp.flags.syn == 1", syn)).toBe(true);
    expect(matches("tcp.flags.syn == 1", ack)).toBe(false);
    expect(matches("tcp.flags.syn != 1", ack)).toBe(true);
    expect(matches("ip.ttl < 64", syn)).toBe(false);
    expect(matches("ip.ttl < 64", ack)).toBe(true);
    expect(matches("ip.ttl <= 64", syn)).toBe(true);
    expect(matches("ip.ttl > 32", syn)).toBe(true);
    expect(matches("ip.ttl >= 33", ack)).toBe(false);
  });

  it("a flag compares with true and false", () => {
    expect(matches("tcp.flags.syn == true", syn)).toBe(true);
    expect(matches("tcp.flags.syn == false", ack)).toBe(true);
  });

  it("a relation on an absent field is false, != included", () => {
    expect(matches("udp.length == 8", syn)).toBe(false);
    expect(matches("udp.length != 8", syn)).toBe(false);
    expect(matches("!(udp.length == 8)", syn)).toBe(true);
  });

  it("tcp.port is either port: == when one is, != when neither is", () => {
    expect(matches("tcp.port == 8888", syn)).toBe(true);
    expect(matches("tcp.port == 51000", syn)).toBe(true);
    expect(matches("tcp.port != 8888", syn)).toBe(false);
    expect(matches("tcp.port != 80", syn)).toBe(true);
  });

  it("addresses compare as text and as bytes", () => {
    expect(matches("ip.src == 127.0.0.1", syn)).toBe(true);
    expect(matches("ip.addr == 127.0.0.1", syn)).toBe(true);
    expect(matches("ip.src == 7f:00:00:01", syn)).toBe(true);
    expect(matches("ip.src == 10.0.0.1", syn)).toBe(false);
  });

  it("contains and matches read the bytes a text field covers, not its escaped display", () => {
    const frames = textDissector.dissect(new TextEncoder().encode("ECHO: привет\ntime\n"), { direction: "s2c" });
    const bytes = new TextEncoder().encode("ECHO: привет\ntime\n");
    const r = filterRecord(frames.map((f) => ({ protocol: f.protocol, fields: f.fields, bytes: bytes.subarray(f.offset, f.offset + f.length) })));
    expect(matches('text.line contains "ECHO"', r)).toBe(true);
    expect(matches('text.line contains "привет"', r)).toBe(true);
    expect(matches('text.line contains "\\n"', r)).toBe(true);
    expect(matches('text.line.content == "time"', r)).toBe(true);
    expect(matches('text.line contains "echo"', r)).toBe(false);
    expect(matches('text.line matches "(?i)^echo: \\w+"', r)).toBe(false);
    expect(matches('text.line matches "(?i)^echo: п"', r)).toBe(true);
    expect(matches('text.line matches "^t[a-z]+e$"', r)).toBe(false);
    expect(matches('text.line.content matches "^t[a-z]+e$"', r)).toBe(true);
    expect(matches("text.line contains 74:69:6d:65", r)).toBe(true);
    expect(matches("text", r)).toBe(true);
  });

  it("pseudo-fields come from the caller", () => {
    const r = filterRecord([], { "frame.len": { num: 5 }, "lab.service": { str: "echo" } }, ["tcp"]);
    expect(matches("frame.len == 5 && lab.service == echo && tcp", r)).toBe(true);
    expect(matches('lab.service == "time"', r)).toBe(false);
  });
});

describe("errors say what and where", () => {
  it.each([
    ["tcp.flags.syn = 1", "unexpected_char", 14],
    ["tcp.flags.syn ==", "expected_value", 16],
    ["tcp.flags.syn == 1 &&", "expected_field", 21],
    ["== 1", "expected_field", 0],
    ["(tcp || udp", "expected_close", 11],
    ["tcp)", "unexpected_token", 3],
    ["tcp udp", "unexpected_token", 4],
    ['text.line contains "time', "unterminated_string", 19],
    ['text.line == "a\\xZZ"', "bad_escape", 15],
    ["tcp.flags.syn == 1 # x", "unexpected_char", 19],
    ['text.line matches "(a"', "bad_regex", 21],
    ['text.line matches "(a)\\1"', "bad_regex", 23],
    ["text.line matches 5", "bad_regex", 18],
    ["ip.ttl == 99999999999999999999", "bad_number", 10],
    ["ip.ttl == 12abc", "bad_number", 10],
  ])("%s: %s at column %i", (text, code, at) => {
    expect(error(text)).toMatchObject({ code, at });
  });

  it("an unknown field names the nearest catalogued ids", () => {
    const e = error("tcp.flags.sin == 1");
    expect(e).toMatchObject({ code: "unknown_field", at: 0, length: 13, args: { name: "tcp.flags.sin" } });
    expect(e.args.nearest!.split(", ")).toContain("tcp.flags.syn");
    expect(nearestNames("text.lin")).toContain("text.line");
  });

  it("bounds: length, terms, depth", () => {
    expect(error("a".repeat(FILTER_LIMITS.length + 1))).toMatchObject({ code: "too_long", at: FILTER_LIMITS.length });
    const many = Array.from({ length: FILTER_LIMITS.terms + 1 }, () => "tcp").join(" || ");
    expect(error(many)).toMatchObject({ code: "too_many_terms" });
    expect(parsed(Array.from({ length: FILTER_LIMITS.terms }, () => "tcp").join(" || "))).toBeDefined();
    expect(error("(".repeat(FILTER_LIMITS.depth + 1) + "tcp" + ")".repeat(FILTER_LIMITS.depth + 1))).toMatchObject({ code: "too_deep", at: FILTER_LIMITS.depth });
    expect(error("!".repeat(FILTER_LIMITS.depth + 1) + "tcp")).toMatchObject({ code: "too_deep" });
  });
});

describe("completion names", () => {
  it("lists protocols, catalogued fields and pseudo-fields, sorted and unique", () => {
    const all = filterNames().map((n) => n.name);
    expect(all).toContain("tcp");
    expect(all).toContain("tcp.flags.syn");
    expect(all).toContain("text.line");
    expect(all).toContain("frame.len");
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual(all);
  });
});

describe("regex", () => {
  const t = (pattern: string, text: string) => compileRegex(pattern).test(text);
  it("matches as PCRE would on the subset", () => {
    for (const [p, s, want] of [
      ["abc", "xxabcxx", true],
      ["^abc", "xabc", false],
      ["c$", "abc", true],
      ["a.c", "a\nc", false],
      ["a|bc", "xbcx", true],
      ["(ab)+c", "abababc", true],
      ["^(ab)+c$", "abac", false],
      ["colou?r", "color", true],
      ["^a{2,3}$", "aaaa", false],
      ["^a{2,}$", "aaaa", true],
      ["^a{2}$", "aa", true],
      ["[^0-9]+", "123", false],
      ["\\d\\s\\w", "1 x", true],
      ["[\\d.]+", "1.2", true],
      ["(?i)HELLO", "say hello", true],
      ["(?:x|y)z", "yz", true],
      ["\\x41", "A", true],
      ["^$", "", true],
    ] as const) {
      expect([p, s, t(p, s)]).toEqual([p, s, want]);
      expect([p, s, new RegExp(p.replace("(?i)", ""), p.startsWith("(?i)") ? "i" : "").test(s)]).toEqual([p, s, want]);
    }
  });

  it("refuses backreferences, lookarounds and huge repeats rather than running them", () => {
    expect(() => compileRegex("(a)\\1")).toThrow(RegexError);
    expect(() => compileRegex("(?=a)")).toThrow(RegexError);
    expect(() => compileRegex("a{1001}")).toThrow(RegexError);
    expect(() => compileRegex("(a{1000}){1000}")).toThrow(RegexError);
  });

  it("a pathological pattern takes linear steps: (a+)+$ and (a|a)*b over 4096 a's and a b", () => {
    // A backtracking engine takes 2^4096 steps here; this answers at once (no timing asserted, only the answer).
    const subject = "a".repeat(4096) + "!";
    expect(compileRegex("^(a+)+$").test(subject)).toBe(false);
    expect(compileRegex("(a|a)*b").test(subject)).toBe(false);
    expect(compileRegex("(a*)*a{20}!").test(subject)).toBe(true);
  });
});
