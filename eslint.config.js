// ESLint flat config. The rules that matter most are the boundaries (STYLE.md, "Layout"):
// server/dissect/ is isomorphic (the browser imports it), so it may import nothing from Node, from the other
// server folders or from the UI; app/ runs in the browser, so from outside app/ it may import only
// server/dissect/ and the generated code in gen/. lint-fixtures/ holds one file per forbidden import, and
// server/lint-boundaries.test.ts proves that each of them fails these rules.
//
// Two rules share the work, so that tests can be exempt from one of them only:
// - no-restricted-imports: what the runtime must provide (Node builtins, Node-only packages, testdata
//   helpers that read files). Tests run in Node and may use all of it.
// - @typescript-eslint/no-restricted-imports: where the imported code lives. It applies to tests too, and
//   it can let one file import a type (erased at build time) from where values may not come.
// no-restricted-syntax covers import(), which neither of them sees, and no-restricted-globals covers Node's
// Buffer in server/dissect.
import { builtinModules } from "node:module";
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const SOURCES = "*.{ts,tsx}";
const TESTS = ["**/*.test.{ts,tsx}"];
// Testdata helpers read golden files with node:fs; only tests import them.
const TEST_HELPERS = ["server/dissect/testdata/**"];

/** Deepest folder level below server/dissect/ or app/ that gets exact relative-path rules (see escapes()). */
const MAX_DEPTH = 6;

const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// Every name Node resolves to a builtin, so zlib, http2, dgram and whatever a later Node adds are covered
// without a hand-kept list; `node:` covers the prefix-only ones (node:test, node:sqlite).
const NODE_BUILTIN_NAMES = [...new Set(builtinModules.map((name) => name.replace(/^node:/, "")))];
const NODE_MODULE = `^(?:node:.+|${NODE_BUILTIN_NAMES.map(escapeRegex).join("|")})$`;
// npm packages that work only in Node (the browser has its own, @connectrpc/connect-web).
const NODE_ONLY_PACKAGES = ["@connectrpc/connect-node"];
const NODE_ONLY_PACKAGE = `^(?:${NODE_ONLY_PACKAGES.map(escapeRegex).join("|")})(?:/|$)`;
const TESTDATA = "(?:^|/)testdata(?:/|$)";

// A folder name followed by "." or "..", as in "./core/../../config" or "@/server/dissect/../lab": such a
// path leads somewhere the rules below cannot see, so it is forbidden outright.
const UNNORMALIZED_PATH = "(?:^|/)(?!\\.\\.(?:/|$))[^/]+/\\.\\.?(?:/|$)";

/**
 * Regexes for relative specifiers written in a file `depth` folders below `folder` (a repo path such as
 * "server/dissect") that leave `folder` for anywhere but the repo paths in `allowed`. A specifier is only
 * text to no-restricted-imports, and how many "../" leave the folder depends on where the file sits,
 * hence one config per depth. `k` leading "../" followed by anything but a further "../" climb exactly k
 * folders; climbing past the repo root is always forbidden.
 */
function escapes(folder, depth, allowed) {
  const up = "\\.\\.(?:/|$)";
  const segments = folder.split("/");
  const regexes = [];
  for (let above = 1; above <= segments.length; above++) {
    const ancestor = segments.slice(0, segments.length - above).join("/");
    const prefix = ancestor === "" ? "" : `${ancestor}/`;
    const reachable = allowed.filter((path) => path.startsWith(prefix)).map((path) => path.slice(prefix.length));
    const except = reachable.map((path) => `(?!${escapeRegex(path)}(?:/|$))`).join("");
    regexes.push(`^(?:${up}){${depth + above}}(?!${up})${except}`);
  }
  regexes.push(`^(?:${up}){${depth + segments.length + 1}}`);
  return regexes;
}

// The repo's top-level source folders: a bare "server/lab" is not a package but a path that a bundler with
// a base URL would resolve, so it is held to the same rule as "@/server/lab".
const REPO_FOLDERS = ["app", "server", "gen", "proto", "bench", "e2e"];

/** A repo-root specifier ("@/..." alias, or a bare path into a repo folder) that leads anywhere but `allowed`. */
const aliasEscape = (allowed) =>
  `^(?:@/|(?=(?:${REPO_FOLDERS.join("|")})(?:/|$)))(?!${allowed.map((path) => `${escapeRegex(path)}(?:/|$)`).join("|")})`;

/** A regex for an esquery attribute selector, which ends its regex at the first "/". */
const inSelector = (regex) => regex.replaceAll("/", "\\x2F");

/** Files exactly `depth` folders below `folder`, as a flat-config glob. */
const atDepth = (folder, depth) => `${folder}/${"*/".repeat(depth)}${SOURCES}`;

/**
 * One boundary: what files in `folder` may import from where. Returns flat-config objects: the runtime rule
 * (tests exempt), the location rule per folder depth, and a catch-all below MAX_DEPTH that forbids leaving
 * by a relative path at all (use the "@/" alias there).
 */
function boundary({ folder, allowed, runtimeMessage, locationMessage, dynamicImports, extraLocationPatterns = [], exceptions = [] }) {
  const runtime = {
    files: [`${folder}/**/${SOURCES}`],
    ignores: [...TESTS, ...TEST_HELPERS],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { regex: NODE_MODULE, caseSensitive: true, message: runtimeMessage },
            { regex: NODE_ONLY_PACKAGE, caseSensitive: true, message: runtimeMessage },
            { regex: TESTDATA, caseSensitive: true, message: "testdata helpers read files with node:fs: only tests may import them." },
          ],
        },
      ],
      // no-restricted-imports does not see import(), so each boundary says which dynamic imports it allows.
      "no-restricted-syntax": ["error", ...dynamicImports],
    },
  };
  const location = (relative, extra = []) => [
    "error",
    {
      patterns: [
        { regex: [aliasEscape(allowed), ...relative].join("|"), caseSensitive: true, message: locationMessage },
        {
          regex: UNNORMALIZED_PATH,
          caseSensitive: true,
          message: "Write the path without '.' or '..' after a folder name, so the boundary rules can tell where it leads.",
        },
        ...extraLocationPatterns,
        ...extra,
      ],
    },
  ];
  const byDepth = [];
  for (let depth = 0; depth <= MAX_DEPTH; depth++) {
    byDepth.push({
      files: [atDepth(folder, depth)],
      rules: { "@typescript-eslint/no-restricted-imports": location(escapes(folder, depth, allowed)) },
    });
  }
  byDepth.push({
    files: [`${folder}/${"*/".repeat(MAX_DEPTH + 1)}**/${SOURCES}`],
    rules: { "@typescript-eslint/no-restricted-imports": location(["^\\.\\.(?:/|$)"]) },
  });
  // An exception replaces the rule's options for one file, so it restates them for that file's depth.
  const excepted = exceptions.map(({ file, patterns }) => ({
    files: [file],
    rules: {
      "@typescript-eslint/no-restricted-imports": location(escapes(folder, file.split("/").length - folder.split("/").length - 1, allowed), patterns),
    },
  }));
  return [runtime, ...byDepth, ...excepted];
}

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      ".next/",
      "gen/",
      "test-results/",
      "playwright-report/",
      "next-env.d.ts",
      ".scratch/",
      // Each fixture must fail lint; server/lint-boundaries.test.ts lints them as if they sat where they say.
      "lint-fixtures/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  ...boundary({
    folder: "server/dissect",
    allowed: ["server/dissect", "gen"],
    dynamicImports: [
      {
        selector: "ImportExpression",
        message: "server/dissect imports statically: dissectors run synchronously and reach each other through registry tables.",
      },
    ],
    runtimeMessage: "server/dissect runs in the browser too: no Node modules (use Uint8Array, DataView, TextDecoder).",
    locationMessage: "server/dissect may import only from server/dissect and gen/: the browser imports it, the rest of server/ is Node only.",
    extraLocationPatterns: [
      {
        regex: "^(?:react|react-dom|next)(?:/|$)",
        caseSensitive: true,
        message: "server/dissect is protocol code, not UI: no React or Next.js.",
      },
    ],
  }),
  {
    files: ["server/dissect/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-globals": ["error", { name: "Buffer", message: "Use Uint8Array and DataView in server/dissect." }],
    },
  },
  ...boundary({
    folder: "app",
    allowed: ["app", "server/dissect", "gen"],
    dynamicImports: [
      {
        selector: "ImportExpression:not([source.type='Literal'])",
        message: "Give import() a literal path, so the boundary rules can check where it leads.",
      },
      {
        // Relative climbs are not allowed here: without the file's depth a selector cannot tell whether
        // "../" leaves app/, so a dynamic import out of the current folder uses the "@/" alias.
        selector: `ImportExpression[source.value=/${inSelector([NODE_MODULE, NODE_ONLY_PACKAGE, aliasEscape(["app", "server/dissect", "gen"]), "^\\.\\.(?:/|$)", UNNORMALIZED_PATH].join("|"))}/]`,
        message: "import() in app/ loads no Node modules and leaves its own folder only by \"@/app/\", \"@/server/dissect/\" or \"@/gen/\".",
      },
    ],
    runtimeMessage: "app/ runs in the browser: no Node modules (only tests may use them).",
    locationMessage: "From outside app/, app/ may import only server/dissect/ and gen/: the rest of server/ is the Node-only lab host.",
  }),
);
