// The `matches` operator's regular expressions, run in time linear in the subject (a Pike VM over a
// Thompson NFA, as RE2 does): a display filter is typed by anyone, and a backtracking engine (RegExp) takes
// exponential time on `(a+)+$`. The syntax is the PCRE subset Wireshark users write: literals, `.`, classes
// (`[a-z]`, `[^0-9]`, `\d \w \s` and their negations), groups `( )` and `(?: )`, `|`, `* + ? {n} {n,} {n,m}`,
// anchors `^ $`, and `(?i)` at the start for case-insensitive matching. No backreferences or lookarounds
// (RE2 has none either): such a pattern is an error, never a slow match.
// ISOMORPHIC: no node:*.

/** Why a pattern is refused: a code the page words (filter error `bad_regex`), and where in the pattern. */
export class RegexError extends Error {
  constructor(
    readonly reason: "syntax" | "unsupported" | "too_big",
    readonly at: number,
  ) {
    super(`regex ${reason} at ${at}`);
  }
}

export const REGEX_LIMITS = {
  /** Instructions a compiled pattern may have (a `{n,m}` repeats its atom's). */
  program: 4000,
  /** The largest count in `{n,m}`. */
  repeat: 1000,
} as const;

type Test = (c: number) => boolean;
type Node =
  | { readonly t: "char"; readonly test: Test }
  | { readonly t: "bol" }
  | { readonly t: "eol" }
  | { readonly t: "cat"; readonly items: readonly Node[] }
  | { readonly t: "alt"; readonly items: readonly Node[] }
  | { readonly t: "rep"; readonly node: Node; readonly min: number; readonly max: number };

type Inst =
  | { op: "char"; test: Test }
  | { op: "split"; x: number; y: number }
  | { op: "jmp"; x: number }
  | { op: "bol" }
  | { op: "eol" }
  | { op: "match" };

const isDigit: Test = (c) => c >= 48 && c <= 57;
const isWord: Test = (c) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSpace: Test = (c) => c === 32 || (c >= 9 && c <= 13);
const not =
  (t: Test): Test =>
  (c) =>
    !t(c);

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function parse(src: string, ci: boolean, base: number): Node {
  const s = Array.from(src);
  let i = 0;
  const at = () => base + s.slice(0, i).join("").length;
  const fold = (t: Test): Test => (ci ? (c) => t(c) || t(lower(c)) || t(c >= 97 && c <= 122 ? c - 32 : c) : t);

  function escape(inClass: boolean): Test | number {
    const c = s[i++];
    if (c === undefined) throw new RegexError("syntax", at());
    switch (c) {
      case "d":
        return isDigit;
      case "D":
        return not(isDigit);
      case "w":
        return isWord;
      case "W":
        return not(isWord);
      case "s":
        return isSpace;
      case "S":
        return not(isSpace);
      case "n":
        return 10;
      case "r":
        return 13;
      case "t":
        return 9;
      case "x": {
        const hex = s.slice(i, i + 2).join("");
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new RegexError("syntax", at());
        i += 2;
        return parseInt(hex, 16);
      }
      default:
        // A letter or digit escape not listed is a backreference, a word boundary or a PCRE class: not supported.
        if (/[A-Za-z0-9]/.test(c) && !(inClass && c === "b")) throw new RegexError("unsupported", at() - 1);
        return c.codePointAt(0)!;
    }
  }

  function charClass(): Test {
    const negate = s[i] === "^";
    if (negate) i++;
    const parts: Test[] = [];
    let first = true;
    for (;;) {
      const c = s[i];
      if (c === undefined) throw new RegexError("syntax", at());
      if (c === "]" && !first) {
        i++;
        break;
      }
      first = false;
      i++;
      let lo: Test | number = c === "\\" ? escape(true) : c.codePointAt(0)!;
      if (typeof lo === "number" && s[i] === "-" && s[i + 1] !== undefined && s[i + 1] !== "]") {
        i++;
        const d = s[i++]!;
        const hi = d === "\\" ? escape(true) : d.codePointAt(0)!;
        if (typeof hi !== "number" || hi < lo) throw new RegexError("syntax", at());
        const from = lo;
        parts.push((x) => x >= from && x <= hi);
        continue;
      }
      if (typeof lo === "number") {
        const one = lo;
        lo = (x) => x === one;
      }
      parts.push(lo);
    }
    const any = fold((x) => parts.some((p) => p(x)));
    return negate ? not(any) : any;
  }

  function alt(): Node {
    const items = [cat()];
    while (s[i] === "|") {
      i++;
      items.push(cat());
    }
    return items.length === 1 ? items[0]! : { t: "alt", items };
  }

  function cat(): Node {
    const items: Node[] = [];
    while (i < s.length && s[i] !== "|" && s[i] !== ")") items.push(repeat());
    return { t: "cat", items };
  }

  function repeat(): Node {
    const start = at();
    let node = atom();
    for (;;) {
      const c = s[i];
      let min: number;
      let max: number;
      if (c === "*" || c === "+" || c === "?") {
        i++;
        [min, max] = c === "*" ? [0, Infinity] : c === "+" ? [1, Infinity] : [0, 1];
      } else if (c === "{") {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(i).join(""));
        if (!m) throw new RegexError("syntax", at());
        i += Array.from(m[0]).length;
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
        if (max < min) throw new RegexError("syntax", start);
        if (min > REGEX_LIMITS.repeat || (max !== Infinity && max > REGEX_LIMITS.repeat)) throw new RegexError("too_big", start);
      } else break;
      // A lazy or possessive quantifier changes nothing about whether a pattern matches; `??` etc. are accepted.
      if (s[i] === "?" || s[i] === "+") i++;
      if (node.t === "bol" || node.t === "eol") throw new RegexError("syntax", start);
      node = { t: "rep", node, min, max };
    }
    return node;
  }

  function atom(): Node {
    const c = s[i]!;
    i++;
    switch (c) {
      case "(": {
        if (s[i] === "?") {
          if (s[i + 1] !== ":") throw new RegexError("unsupported", at() - 1);
          i += 2;
        }
        const inner = alt();
        if (s[i] !== ")") throw new RegexError("syntax", at());
        i++;
        return inner;
      }
      case "[":
        return { t: "char", test: charClass() };
      case ".":
        return { t: "char", test: (x) => x !== 10 };
      case "^":
        return { t: "bol" };
      case "$":
        return { t: "eol" };
      case "\\": {
        const e = escape(false);
        return { t: "char", test: fold(typeof e === "number" ? (x) => x === e : e) };
      }
      case "*":
      case "+":
      case "?":
      case "{":
      case ")":
        throw new RegexError("syntax", at() - 1);
      default: {
        const code = c.codePointAt(0)!;
        return { t: "char", test: ci ? (x) => lower(x) === lower(code) : (x) => x === code };
      }
    }
  }

  const node = alt();
  if (i < s.length) throw new RegexError("syntax", at());
  return node;
}

function compile(node: Node): Inst[] {
  const prog: Inst[] = [];
  const emit = (inst: Inst) => {
    if (prog.length >= REGEX_LIMITS.program) throw new RegexError("too_big", 0);
    prog.push(inst);
    return prog.length - 1;
  };
  function gen(n: Node): void {
    switch (n.t) {
      case "char":
        emit({ op: "char", test: n.test });
        return;
      case "bol":
      case "eol":
        emit({ op: n.t });
        return;
      case "cat":
        for (const item of n.items) gen(item);
        return;
      case "alt": {
        const jumps: number[] = [];
        n.items.forEach((item, k) => {
          if (k < n.items.length - 1) {
            const split = emit({ op: "split", x: 0, y: 0 });
            (prog[split] as { x: number }).x = prog.length;
            gen(item);
            jumps.push(emit({ op: "jmp", x: 0 }));
            (prog[split] as { y: number }).y = prog.length;
          } else gen(item);
        });
        for (const j of jumps) (prog[j] as { x: number }).x = prog.length;
        return;
      }
      case "rep": {
        for (let k = 0; k < n.min; k++) gen(n.node);
        if (n.max === Infinity) {
          const split = emit({ op: "split", x: prog.length + 1, y: 0 });
          gen(n.node);
          emit({ op: "jmp", x: split });
          (prog[split] as { y: number }).y = prog.length;
        } else {
          const ends: number[] = [];
          for (let k = n.min; k < n.max; k++) {
            ends.push(emit({ op: "split", x: prog.length + 1, y: 0 }));
            gen(n.node);
          }
          for (const e of ends) (prog[e] as { y: number }).y = prog.length;
        }
        return;
      }
    }
  }
  gen(node);
  emit({ op: "match" });
  return prog;
}

export interface CompiledRegex {
  /** Whether the pattern matches somewhere in `text`: time linear in the text's length times the program's size. */
  test(text: string): boolean;
}

/**
 * Compiles a pattern; throws RegexError (with the offset in the pattern, plus `base`) for what it does not take.
 */
export function compileRegex(pattern: string, base = 0): CompiledRegex {
  const ci = pattern.startsWith("(?i)");
  const body = ci ? pattern.slice(4) : pattern;
  const prog = compile(parse(body, ci, base + (ci ? 4 : 0)));
  return {
    test(text) {
      const input = Array.from(text, (ch) => ch.codePointAt(0)!);
      const mark = new Int32Array(prog.length).fill(-1);
      let current: number[] = [];
      let next: number[] = [];
      // Adds pc's thread and every thread its jumps reach at position `pos`, once each.
      const add = (list: number[], pc: number, pos: number) => {
        const stack = [pc];
        while (stack.length > 0) {
          const p = stack.pop()!;
          if (mark[p] === pos) continue;
          mark[p] = pos;
          const inst = prog[p]!;
          if (inst.op === "jmp") stack.push(inst.x);
          else if (inst.op === "split") stack.push(inst.y, inst.x);
          else if (inst.op === "bol") {
            if (pos === 0) stack.push(p + 1);
          } else if (inst.op === "eol") {
            if (pos === input.length) stack.push(p + 1);
          } else list.push(p);
        }
      };
      for (let pos = 0; pos <= input.length; pos++) {
        // Unanchored: a thread starts at every position.
        add(current, 0, pos);
        const c = input[pos];
        for (const p of current) {
          const inst = prog[p]!;
          if (inst.op === "match") return true;
          if (inst.op === "char" && c !== undefined && inst.test(c)) add(next, p + 1, pos + 1);
        }
        [current, next] = [next, []];
      }
      return false;
    },
  };
}
