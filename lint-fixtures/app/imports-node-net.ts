// no-restricted-imports: app/ runs in the browser and may not import a node: module (node:net).
import { isIP } from "node:net";

export const ip = isIP;
