// Findings declared once per protocol, as data: code, severity and an English message template with named
// arguments. Modelled on Wireshark's expert-info tables (ei_register_info registered with
// expert_register_field_array, epan/expert.h): a call site names an entry and passes values, never a sentence,
// so a page can say the same finding in another language from its code and values (app/_i18n/findings-ru.ts).
//
// Templates:
//   {name}          the value of `name`, as it is;
//   {name:unit}     a count with its noun in English, singular or plural: {n:bytes} reads "1 byte", "4 bytes"
//                   (units: UNITS below);
//   [ ... ]         an optional part, left out when a value it names is missing or empty: "kind {kind}[ ({name})]".
// A code with several wordings declares them as `forms` of one entry: the finding keeps one stable code and says
// which wording it is in `form` (a test asserts codes, never messages).

import type { Finding, FindingArgs, Severity } from "./types";

/** Nouns a count may take in a template, singular and plural. */
const UNITS = {
  bytes: ["byte", "bytes"],
  control_bytes: ["control byte", "control bytes"],
  characters: ["character", "characters"],
  words: ["word", "words"],
} as const;
export type Unit = keyof typeof UNITS;

/** `4 bytes`, `1 byte`: a count with its English noun. */
export function countText(n: number | string, unit: Unit): string {
  const [one, many] = UNITS[unit];
  return `${n} ${Number(n) === 1 ? one : many}`;
}

/** A placeholder's name, from its text between the braces (`wanted:bytes` names `wanted`). */
type PlaceholderName<P extends string> = P extends `${infer N}:${string}` ? N : P;

/** The names a template's placeholders use, as a union of string literals (never for a template without any). */
export type TemplateArgs<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? PlaceholderName<P> | TemplateArgs<Rest> : never;

/**
 * The values a finding of this spec takes: one per placeholder of its template, and any others a page needs to
 * say it in another language (a field's id beside its English label).
 */
export type FindingValues<A extends string> = { readonly [K in A]: string | number } & FindingArgs;

/** One wording of one finding, declared by `defineFindings`. `A` names the template's arguments. */
export interface FindingSpec<A extends string = string> {
  /** "<proto>.<name>"; "*.<name>" for a finding every protocol may report (SHARED_FINDINGS). */
  readonly code: string;
  /** Which wording of the code this is, for codes with several; undefined otherwise. */
  readonly form: string | undefined;
  readonly severity: Severity;
  /** The English template. */
  readonly message: string;
  /** The template, compiled once. */
  readonly parts: readonly Part[];
  /** Type-level only: the argument names. */
  readonly args?: A;
}

/** A piece of a compiled template: literal text, a value, or an optional group. */
type Part = string | { readonly name: string; readonly unit?: Unit } | { readonly group: readonly Part[] };

export interface SimpleFindingDef {
  readonly severity: Severity;
  readonly message: string;
}

export interface FormsFindingDef {
  readonly severity: Severity;
  /** Wordings by form name (snake case). */
  readonly forms: Readonly<Record<string, string>>;
}

export type FindingDef = SimpleFindingDef | FormsFindingDef;

/** What `defineFindings` gives for one entry: a spec, or one spec per form. */
export type FindingEntry<D> = D extends { readonly forms: infer F }
  ? { readonly [K in keyof F]: FindingSpec<F[K] extends string ? TemplateArgs<F[K]> : never> }
  : D extends { readonly message: infer M extends string }
    ? FindingSpec<TemplateArgs<M>>
    : never;

export type Findings<T> = { readonly [K in keyof T]: FindingEntry<T[K]> };

const SEGMENT = /^[a-z][a-z0-9_]*$/;
const PLACEHOLDER = /^([a-zA-Z][a-zA-Z0-9_]*)(?::([a-z_]+))?$/;

/** Compiles a template; throws on a malformed one (a programming error, caught when the module loads). */
function compile(template: string, where: string): Part[] {
  const parse = (from: number, inGroup: boolean): [Part[], number] => {
    const parts: Part[] = [];
    let text = "";
    let i = from;
    for (; i < template.length; i++) {
      const ch = template[i];
      if (ch === "{") {
        const end = template.indexOf("}", i);
        const m = end < 0 ? null : PLACEHOLDER.exec(template.slice(i + 1, end));
        if (!m) throw new Error(`${where}: malformed placeholder at ${i} in "${template}"`);
        const [, name = "", unit] = m;
        if (unit !== undefined && !(unit in UNITS)) throw new Error(`${where}: unknown unit "${unit}" in "${template}"`);
        if (text) parts.push(text);
        text = "";
        parts.push(unit === undefined ? { name } : { name, unit: unit as Unit });
        i = end;
      } else if (ch === "[") {
        if (inGroup) throw new Error(`${where}: nested optional group in "${template}"`);
        if (text) parts.push(text);
        text = "";
        const [group, end] = parse(i + 1, true);
        if (template[end] !== "]") throw new Error(`${where}: unclosed optional group in "${template}"`);
        parts.push({ group });
        i = end;
      } else if (ch === "]") {
        if (!inGroup) throw new Error(`${where}: "]" without "[" in "${template}"`);
        break;
      } else if (ch === "}") {
        throw new Error(`${where}: "}" without "{" in "${template}"`);
      } else text += ch;
    }
    if (text) parts.push(text);
    return [parts, i];
  };
  return parse(0, false)[0];
}

/** Argument values as the template sees them: what the finding carries, or what a page received (strings). */
export type TemplateValues = Readonly<Record<string, string | number | undefined>>;

/**
 * A template's parts with these values. A value the template names but `values` lacks reads "?" (a page may
 * receive a finding from a newer host); in an optional group, a missing or empty one leaves the group out.
 */
function renderParts(parts: readonly Part[], values: TemplateValues, optional: boolean): string | undefined {
  let out = "";
  for (const part of parts) {
    if (typeof part === "string") out += part;
    else if ("group" in part) out += renderParts(part.group, values, true) ?? "";
    else {
      const value = values[part.name];
      if (value === undefined || (optional && value === "")) {
        if (optional) return undefined;
        out += "?";
      } else out += part.unit ? countText(value, part.unit) : String(value);
    }
  }
  return out;
}

/** The English sentence of a spec with these values. */
export function renderFinding(spec: Pick<FindingSpec, "parts">, values: TemplateValues = {}): string {
  return renderParts(spec.parts, values, false) ?? "";
}

function spec(code: string, form: string | undefined, severity: Severity, message: string): FindingSpec {
  return Object.freeze({ code, form, severity, message, parts: Object.freeze(compile(message, form ? `${code} (${form})` : code)) });
}

function build(prefix: string, table: Readonly<Record<string, FindingDef>>, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(table)) {
    if (!key.split(".").every((s) => SEGMENT.test(s))) throw new Error(`${where}: finding key "${key}" is not dotted snake case`);
    const code = `${prefix}.${key}`;
    if ("forms" in def) {
      const forms: Record<string, FindingSpec> = {};
      for (const [form, message] of Object.entries(def.forms)) {
        if (!SEGMENT.test(form)) throw new Error(`${where}: form "${form}" of "${code}" is not snake case`);
        forms[form] = spec(code, form, def.severity, message);
      }
      out[key] = Object.freeze(forms);
    } else out[key] = spec(code, undefined, def.severity, def.message);
  }
  return out;
}

/**
 * Declares a protocol's findings once: `defineFindings("tcp", { ack_nonzero: { severity: "note", message: "..." } })`
 * gives specs with code "tcp.ack_nonzero"; an entry with `forms` gives one spec per form, all with its code.
 * Throws on a malformed id, key, form or template: a programming error, caught when the module loads.
 */
export function defineFindings<const T extends Readonly<Record<string, FindingDef>>>(proto: string, table: T): Findings<T> {
  if (!SEGMENT.test(proto)) throw new Error(`defineFindings: protocol id "${proto}" is not lowercase snake case`);
  return declareTable(proto, table, `defineFindings("${proto}")`);
}

function declareTable<const T extends Readonly<Record<string, FindingDef>>>(prefix: string, table: T, where: string): Findings<T> {
  return Object.freeze(build(prefix, table, where)) as Findings<T>;
}

/** Every spec of a table made by `defineFindings`, forms included, for catalogues and tests. */
/** What defineFindings returns, as a list of protocol tables holds it. */
export type FindingTable = Readonly<Record<string, unknown>>;

export function findingSpecs(table: FindingTable): FindingSpec[] {
  const out: FindingSpec[] = [];
  for (const entry of Object.values(table)) {
    if (isSpec(entry)) out.push(entry);
    else if (entry && typeof entry === "object") for (const form of Object.values(entry)) if (isSpec(form)) out.push(form);
  }
  return out;
}

function isSpec(x: unknown): x is FindingSpec {
  return typeof x === "object" && x !== null && "parts" in x && "code" in x;
}

/**
 * The finding a spec makes with these values, at `offset` for `length` bytes. `proto` names the protocol of a
 * shared spec ("*.truncated" reported by tcp is "tcp.truncated"); a protocol's own specs carry their code.
 */
export function makeFinding<A extends string>(
  spec: FindingSpec<A>,
  values: FindingValues<A> | undefined,
  offset: number,
  length: number,
  proto?: string,
): Finding {
  const code = spec.code.startsWith("*.") ? `${proto ?? "*"}${spec.code.slice(1)}` : spec.code;
  const args = values as FindingArgs | undefined;
  const message = renderFinding(spec, args);
  if (spec.form === undefined) return args ? { code, severity: spec.severity, message, offset, length, args } : { code, severity: spec.severity, message, offset, length };
  return args
    ? { code, severity: spec.severity, message, offset, length, args, form: spec.form }
    : { code, severity: spec.severity, message, offset, length, form: spec.form };
}

/**
 * Findings any protocol may report, with the protocol's id in place of "*".
 * - truncated: a read ran past the end of the bytes or of the enclosing field (core/cursor.ts). `label` and
 *   `withinLabel` are the fields' English labels, `field` and `within` their ids (a page names them in its
 *   language); `skip` and `skip_within` are for bytes skipped without a field.
 * - too_long and dissector_error: what a stream session (core/stream.ts) adds to a PDU it could not hold back
 *   whole, or that its dissector threw on.
 */
export const SHARED_FINDINGS = declareTable(
  "*",
  {
    truncated: {
      severity: "error",
      forms: {
        data: "{label} needs {wanted:bytes} at offset {offset}, but the data ends after {have:bytes}.",
        within: "{label} needs {wanted:bytes} at offset {offset}, but the enclosing {withinLabel} ends after {have:bytes}.",
        skip: "Skipping {wanted:bytes} at offset {offset} runs past the end of the data, which ends after {have:bytes}.",
        skip_within: "Skipping {wanted:bytes} at offset {offset} runs past the end of the enclosing {withinLabel}, which ends after {have:bytes}.",
      },
    },
    too_long: {
      severity: "error",
      forms: {
        declared: "This message declares {declared:bytes}, over the {limit:bytes} the lab holds back; it is shown as it arrives.",
        unended: "No end of message within the {limit:bytes} the lab holds back; these bytes are shown as one frame.",
        rest: "More of a message that declared {declared:bytes}, over the {limit:bytes} the lab holds back, shown as it arrives.",
      },
    },
    dissector_error: {
      severity: "error",
      message: "The {dissector} dissector failed on these bytes ({error}); they are shown as they are.",
    },
  },
  "SHARED_FINDINGS",
);
