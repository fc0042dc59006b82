// @typescript-eslint/no-restricted-imports: app/ may not import server/config.ts.
import { parseConfig } from "@/server/config";

export const config = parseConfig;
