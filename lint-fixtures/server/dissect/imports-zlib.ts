// no-restricted-imports: server/dissect may not import a bare Node builtin (zlib).
import { inflateSync } from "zlib";

export const inflate = inflateSync;
