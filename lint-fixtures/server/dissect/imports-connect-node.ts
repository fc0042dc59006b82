// no-restricted-imports: server/dissect may not import a Node-only package (@connectrpc/connect-node).
import { createGrpcTransport } from "@connectrpc/connect-node";

export const transport = createGrpcTransport;
