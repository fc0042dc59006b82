// ESLint flat config. The one rule that matters most: server/dissect/ is isomorphic (the browser imports it),
// so it may import nothing from Node or from the other server folders.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", ".next/", "gen/", "test-results/", "playwright-report/", "next-env.d.ts", ".scratch/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["server/dissect/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["node:*"], message: "server/dissect is isomorphic: no Node modules." },
            {
              group: ["**/servers/**", "**/clients/**", "**/capture/**", "**/lab/**", "**/store/**", "@/server/*", "!@/server/dissect"],
              message: "server/dissect may import only from server/dissect.",
            },
          ],
          paths: ["buffer", "fs", "net", "os", "path", "crypto", "stream", "util", "events"].map((name) => ({
            name,
            message: "server/dissect is isomorphic: no Node modules.",
          })),
        },
      ],
      "no-restricted-globals": ["error", { name: "Buffer", message: "Use Uint8Array and DataView in server/dissect." }],
    },
  },
);
