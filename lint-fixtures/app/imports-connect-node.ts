// no-restricted-imports: app/ may not import a Node-only package (@connectrpc/connect-node; the page uses connect-web).
import { createConnectTransport } from "@connectrpc/connect-node";

export const transport = createConnectTransport;
