// @typescript-eslint/no-restricted-imports: a path may not climb back out of a folder it named ("./core/../../config" is server/config.ts).
import { parseConfig } from "./core/../../config";

export const config = parseConfig;
