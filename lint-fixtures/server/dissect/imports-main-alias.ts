// @typescript-eslint/no-restricted-imports: server/dissect may not import a file at the top of server/ (main.ts) by the @/ alias.
import "@/server/main";
