// no-restricted-imports: server/dissect may not import a bare Node builtin (http2), though HTTP/2 is a protocol it dissects.
import { constants } from "http2";

export const settings = constants.NGHTTP2_SETTINGS_HEADER_TABLE_SIZE;
