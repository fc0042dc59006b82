// @typescript-eslint/no-restricted-imports: server/dissect may not import server/config.ts ("../../config" from server/dissect/core/).
import { parseConfig } from "../../config";

export const config = parseConfig;
