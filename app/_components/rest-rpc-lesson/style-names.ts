// The names of the lesson's three API styles in its dictionary.

import type { Keys } from "@/app/_i18n/messages";
import type { Style } from "./calls";

export const STYLE_NAME: Readonly<Record<Style, Keys<"restRpcLesson">>> = { rest: "styleRest", jsonrpc: "styleJsonRpc", xmlrpc: "styleXmlRpc" };
