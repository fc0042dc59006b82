// Every lesson in every language, and the same lesson in each. A lesson's route folder holds one MDX file
// per locale (content.<locale>.mdx) and no other; each compiles; and all of them have one skeleton: the
// same components (the kit's blocks and the imported panels) in the same order and nesting, with the same
// ids and the same non-text attributes, the same ### headings, lists of the same length and links to the
// same places. Only the words may differ. Within each file, every component is imported or is one of the
// kit's (lesson-kit/mdx.tsx), and the table of contents links to headings the lesson has, in their words.

import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compile, createProcessor } from "@mdx-js/mdx";
import { describe, expect, it } from "vitest";
import { LOCALES } from "@/app/_i18n/locales";
import { LESSON_MDX_BLOCKS } from "@/app/_components/lesson-kit/mdx-blocks";
import { HEADER_SECTION_ID } from "@/app/_components/tcp-lesson/section-ids";
import { DEFAULT_PORTS } from "@/app/_components/service-port";
import { namespaces } from "@/app/_i18n/messages";

const KIT_BLOCKS: ReadonlySet<string> = new Set(LESSON_MDX_BLOCKS);
/** Attributes that hold words in the reader's language: only their presence is structure. */
const TEXT_ATTRIBUTES = new Set(["title", "kicker", "label"]);
/** Attributes that name a heading the table of contents can link to. */
const HEADING_ID_ATTRIBUTES = new Set(["id", "headingId"]);

const LESSONS_DIR = path.dirname(fileURLToPath(import.meta.url));
const CONTENT_FILE = /^content\.([a-z]+)\.mdx$/;

// The mdast of MDX, as far as this test reads it.
interface Node {
  readonly type: string;
  readonly children?: readonly Node[];
  readonly name?: string | null;
  readonly depth?: number;
  readonly url?: string;
  readonly value?: string;
  readonly attributes?: readonly { readonly type: string; readonly name?: string; readonly value?: unknown }[];
}

const processor = createProcessor();

function parse(source: string): Node {
  return processor.parse(source) as unknown as Node;
}

function textOf(node: Node): string {
  if (node.type === "text" || node.type === "inlineCode") return node.value ?? "";
  return (node.children ?? []).map(textOf).join("");
}

function attributeValue(value: unknown): string {
  if (value === null || value === undefined) return "true";
  if (typeof value === "string") return JSON.stringify(value);
  return `{${(value as { value: string }).value}}`;
}

// The estree MDX attaches to its import/export blocks, as far as this test reads it.
interface Statement {
  readonly type: string;
  readonly source?: { readonly value: string };
  readonly specifiers?: readonly { readonly local: { readonly name: string } }[];
  readonly declaration?: { readonly declarations?: readonly { readonly id: { readonly name?: string } }[] };
}

function statements(node: Node): readonly Statement[] {
  return (node as { data?: { estree?: { body: readonly Statement[] } } }).data?.estree?.body ?? [];
}

const importedNames = (s: Statement) => (s.type === "ImportDeclaration" ? (s.specifiers ?? []).map((x) => x.local.name) : []);
const exportedNames = (s: Statement) =>
  s.type === "ExportNamedDeclaration" ? (s.declaration?.declarations ?? []).flatMap((d) => (d.id.name ? [d.id.name] : [])) : [];

/** An import block's statements without their values: what is imported from where, and what is exported. */
function esmStatements(node: Node): string[] {
  return statements(node).map((s) => {
    if (s.type === "ImportDeclaration") return `import ${importedNames(s).join(", ")} from ${s.source?.value}`;
    if (s.type === "ExportNamedDeclaration") return `export ${exportedNames(s).join(", ")}`;
    return s.type;
  });
}

/** What must be the same in every language, as a nested list of strings. */
export type Skeleton = readonly (string | Skeleton)[];

export function skeleton(node: Node): Skeleton {
  const out: (string | Skeleton)[] = [];
  for (const child of node.children ?? []) {
    switch (child.type) {
      case "mdxJsxFlowElement":
      case "mdxJsxTextElement": {
        const attrs = (child.attributes ?? []).map((a) =>
          a.type !== "mdxJsxAttribute" ? "{...spread}" : TEXT_ATTRIBUTES.has(a.name ?? "") ? `${a.name}=…` : `${a.name}=${attributeValue(a.value)}`,
        );
        out.push(`<${child.name ?? ""}${attrs.map((a) => ` ${a}`).join("")}>`, skeleton(child));
        break;
      }
      case "heading":
        out.push(`h${child.depth}`);
        break;
      case "list":
        out.push(`list of ${child.children?.length ?? 0}`, skeleton(child));
        break;
      case "link":
        out.push(`link ${child.url}`);
        break;
      case "mdxjsEsm":
        out.push(...esmStatements(child));
        break;
      default:
        if (child.children) out.push(...skeleton(child));
    }
  }
  return out;
}

function walk(node: Node, visit: (node: Node) => void): void {
  visit(node);
  for (const child of node.children ?? []) walk(child, visit);
}

function literal(node: Node, name: string): string | undefined {
  const attr = node.attributes?.find((a) => a.type === "mdxJsxAttribute" && a.name === name);
  return typeof attr?.value === "string" ? attr.value : undefined;
}

/** What is wrong inside one file, whatever the other languages say. */
export function problems(source: string): string[] {
  const tree = parse(source);
  const found: string[] = [];
  const imported = new Set<string>();
  const headings = new Map<string, string | undefined>();
  const links: { url: string; text: string }[] = [];
  let exportsMeta = false;
  walk(tree, (node) => {
    for (const statement of node.type === "mdxjsEsm" ? statements(node) : []) {
      for (const name of importedNames(statement)) imported.add(name);
      if (exportedNames(statement).includes("meta")) exportsMeta = true;
    }
    if ((node.type === "mdxJsxFlowElement" || node.type === "mdxJsxTextElement") && node.name) {
      if (/^[A-Z]/.test(node.name) && !KIT_BLOCKS.has(node.name) && !imported.has(node.name)) {
        found.push(`<${node.name}> is neither imported nor one of the kit's blocks`);
      }
      for (const attr of node.attributes ?? []) {
        if (attr.type !== "mdxJsxAttribute" || !HEADING_ID_ATTRIBUTES.has(attr.name ?? "")) continue;
        const id = typeof attr.value === "string" ? attr.value : undefined;
        if (!id) continue;
        if (headings.has(id)) found.push(`the id "${id}" is used twice`);
        headings.set(id, literal(node, "title"));
      }
    }
    if (node.type === "heading" && (node.depth ?? 0) <= 2) {
      found.push(`"${textOf(node)}" is a level-${node.depth} markdown heading: the lesson's h1 is <LessonHeader>, its h2s are <Section>s`);
    }
    if (node.type === "link") links.push({ url: node.url ?? "", text: textOf(node) });
  });
  if (!exportsMeta) found.push("no `export const meta` (the page's title and description)");
  for (const { url, text } of links) {
    if (!url.startsWith("#")) continue;
    const id = url.slice(1);
    if (!headings.has(id)) found.push(`the link to #${id} leads nowhere in this lesson`);
    else if (headings.get(id) !== undefined && headings.get(id) !== text) found.push(`the link to #${id} says "${text}", the heading "${headings.get(id)}"`);
  }
  return found;
}

/** Which locales a lesson folder has content for, and which files name a locale the lab does not have. */
/** The lab's default ports as standalone numbers: the running lab may use others (--port-offset). */
const DEFAULT_PORT_WORD = new RegExp(`(?<![\\d.,])(${[...new Set(Object.values(DEFAULT_PORTS))].join("|")})(?![\\d])`, "g");

/** Ports written into a lesson's words (text, code, and the attributes that hold words) instead of <ServicePort>. */
export function literalPorts(source: string): string[] {
  const found: string[] = [];
  walk(parse(source), (node) => {
    const words = [node.type === "text" || node.type === "inlineCode" ? (node.value ?? "") : ""];
    for (const attr of node.attributes ?? []) if (attr.name && TEXT_ATTRIBUTES.has(attr.name) && typeof attr.value === "string") words.push(attr.value);
    for (const text of words) found.push(...(text.match(DEFAULT_PORT_WORD) ?? []));
  });
  return found;
}

export function contentLocales(files: readonly string[]): { readonly missing: string[]; readonly unknown: string[] } {
  const present = files.map((f) => CONTENT_FILE.exec(f)?.[1]).filter((l): l is string => l !== undefined);
  return {
    missing: LOCALES.filter((l) => !present.includes(l)),
    unknown: present.filter((l) => !(LOCALES as readonly string[]).includes(l)),
  };
}

const lessons = readdirSync(LESSONS_DIR).filter((entry) => {
  const dir = path.join(LESSONS_DIR, entry);
  return statSync(dir).isDirectory() && readdirSync(dir).includes("page.tsx");
});

describe("lessons", () => {
  it("finds the lessons", () => {
    expect(lessons).toContain("tcp");
  });

  for (const lesson of lessons) {
    describe(lesson, () => {
      const dir = path.join(LESSONS_DIR, lesson);

      it("has its content in every language the lab speaks, and in no other", () => {
        expect(contentLocales(readdirSync(dir))).toEqual({ missing: [], unknown: [] });
      });

      const sources = LOCALES.map((locale) => {
        const file = path.join(dir, `content.${locale}.mdx`);
        return { locale, source: (() => { try { return readFileSync(file, "utf8"); } catch { return ""; } })() };
      }).filter((s) => s.source !== "");

      for (const { locale, source } of sources) {
        it(`names no port in its ${locale} text: each comes from the running lab through <ServicePort>`, () => {
          expect(literalPorts(source)).toEqual([]);
        });

        it(`compiles in ${locale}, and its components, ids and table of contents hold together`, async () => {
          await compile(source);
          expect(problems(source)).toEqual([]);
        });
      }

      it("has the same sections, panels, ids, headings, lists and links in every language", () => {
        const [first, ...others] = sources.map(({ locale, source }) => ({ locale, skeleton: skeleton(parse(source)) }));
        for (const other of others) expect({ [other.locale]: other.skeleton }).toEqual({ [other.locale]: first!.skeleton });
      });
    });
  }

  it("the words of the lessons' panels and of the home page name no port: the panels pass the lab's", () => {
    const messages = [namespaces.tcpLesson, namespaces.udpLesson, namespaces.httpLesson, namespaces.restRpcLesson, namespaces.grpcLesson, namespaces.lessonKit, namespaces.home];
    const texts = messages.flatMap((ns) => Object.values(ns).flatMap((table) => Object.entries(table as Record<string, string>)));
    expect(texts.filter(([, text]) => text.match(DEFAULT_PORT_WORD) !== null).map(([key]) => key)).toEqual([]);
  });

  it("the TCP lesson's header section has the id the segment lists move the focus to", () => {
    const source = readFileSync(path.join(LESSONS_DIR, "tcp", "content.en.mdx"), "utf8");
    expect(source).toMatch(new RegExp(`<Section id="${HEADER_SECTION_ID}"[^>]*\\bfocusable\\b`));
  });
});

describe("the checks themselves", () => {
  const en = `import { APanel } from "./a";

export const meta = { title: "A", description: "B" };

<LessonHeader kicker="Lesson" title={meta.title}>
  <Toc>
    1. [One](#one)
  </Toc>
</LessonHeader>

<Section id="one" title="One">

Some \`code\`.

<APanel />

</Section>
`;

  it("see a port written into the text, a title or inline code, but not in <ServicePort> or a comment", () => {
    expect(literalPorts(`{/* echo 8888 */}\n\nThe echo server listens on <ServicePort service="tcp-echo" />; 18888 and 8,888 are other numbers.`)).toEqual([]);
    expect(literalPorts(`Port 8888, and \`nc host 8000\`.\n\n<Section id="a" title="Greeting, port 8007">\n\nx\n\n</Section>`)).toEqual(["8888", "8000", "8007"]);
  });

  it("see a missing language and a language the lab does not speak", () => {
    expect(contentLocales(["content.en.mdx", "page.tsx"])).toEqual({ missing: ["ru"], unknown: [] });
    expect(contentLocales(["content.en.mdx", "content.ru.mdx", "content.de.mdx"])).toEqual({ missing: [], unknown: ["de"] });
  });

  it("tell the languages apart only by their words", () => {
    const ru = en.replace('"Lesson"', '"Урок"').replace('"One"', '"Один"').replace("[One]", "[Один]").replace("Some", "Немного");
    expect(problems(ru)).toEqual([]);
    expect(skeleton(parse(ru))).toEqual(skeleton(parse(en)));
  });

  it("see a panel missing, another panel, another id, and a panel moved", () => {
    const base = skeleton(parse(en));
    expect(skeleton(parse(en.replace("<APanel />", "")))).not.toEqual(base);
    expect(skeleton(parse(en.replace("<APanel />", "<BPanel />")))).not.toEqual(base);
    expect(skeleton(parse(en.replace('id="one"', 'id="two"')))).not.toEqual(base);
    expect(skeleton(parse(en.replace("<APanel />", "").replace("</LessonHeader>", "</LessonHeader>\n\n<APanel />")))).not.toEqual(base);
  });

  it("see an unknown component, a broken or misworded contents link, a ## heading and no meta", () => {
    expect(problems(en.replace("<APanel />", "<BPanel />"))).toEqual(["<BPanel> is neither imported nor one of the kit's blocks"]);
    expect(problems(en.replace("(#one)", "(#two)"))).toEqual(["the link to #two leads nowhere in this lesson"]);
    expect(problems(en.replace("[One]", "[Uno]"))).toEqual(['the link to #one says "Uno", the heading "One"']);
    expect(problems(en.replace("Some", "## Heading\n\nSome"))).toHaveLength(1);
    expect(problems(en.replace("export const meta", "export const other"))).toHaveLength(1);
  });
});
