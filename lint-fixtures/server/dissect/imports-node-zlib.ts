// no-restricted-imports: server/dissect may not import a node: module (node:zlib).
import { inflateSync } from "node:zlib";

export const inflate = inflateSync;
