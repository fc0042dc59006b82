// no-restricted-imports: server/dissect may not import a bare Node builtin (dgram).
import type { Socket } from "dgram";

export type UdpSocket = Socket;
