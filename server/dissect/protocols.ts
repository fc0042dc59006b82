// The lab's protocols, one module each: its field tables, its dissector (for conversation bytes) and the
// dissector-table entries and heuristic through which other layers find it. The registry and the field
// catalogue are built from this list; adding a protocol is one file that exports its module and one line here.
// ISOMORPHIC: the page imports this too (field words by id, client-side re-dissection).

import type { FindingTable } from "./core/findings";
import { createRegistry, dataDissector, dataFields, type HeuristicTest, type Registry, type TableKey } from "./core/registry";
import type { Dissector, FieldSpec } from "./core/types";
import { ipv4Fields, ipv4Findings } from "./ipv4";
import { ipv6Fields, ipv6Findings } from "./ipv6";
import { grpcDissector, grpcFields, grpcFindings, useGrpcSchemas } from "./grpc";
import { http1Dissector, http1Fields, http1Findings } from "./http1";
import { http2Dissector, http2Fields, http2Findings } from "./http2/frame";
import { hpackFields, hpackFindings } from "./http2/hpack";
import { labGrpcSchemas } from "./lab-schemas";
import { protobufFields, protobufFindings } from "./protobuf";
import { jimDissector, jimFields, jimFindings } from "./jim";
import { jsonFields } from "./json";
import { ethFields, nullFields, rawFields, sllFields } from "./link";
import { packetFindings } from "./packet";
import { tcpFields, tcpFindings } from "./tcp";
import { tcpAnalysisFindings } from "./tcp-analysis";
import { textDissector, textFields, textFindings } from "./text";
import { structFieldSpecs } from "./struct";
import { udpFields, udpFindings } from "./udp";
import { udpEchoDissector, udpEchoFields, udpEchoFindings } from "./udp-echo";
import { websocketDissector, websocketFields, websocketFindings } from "./websocket";

export interface ProtocolModule {
  /** Lowercase id: field-id prefix, finding-code prefix, `data-proto` attribute (STYLE.md). */
  readonly id: string;
  /** Every field it declares, once (core/fields.ts defineFields). */
  readonly fields: readonly Readonly<Record<string, FieldSpec>>[];
  /** Every finding it reports, once (core/findings.ts defineFindings). */
  readonly findings?: readonly FindingTable[];
  /**
   * The dissector for a conversation's bytes, or a PDU handed over to it. Absent for the packet layers
   * (link, IP, TCP, UDP), which packet.ts reads.
   */
  readonly dissector?: Dissector;
  /** Entries in dissector tables, as Wireshark's dissector_add_uint("tcp.port", ...): [table, key]. */
  readonly tables?: readonly (readonly [table: string, key: TableKey])[];
  /** Claims bytes no table names, cheaply (a heuristic dissector). */
  readonly heuristic?: HeuristicTest;
}

export const PROTOCOLS: readonly ProtocolModule[] = [
  { id: "eth", fields: [ethFields] },
  { id: "sll", fields: [sllFields] },
  { id: "null", fields: [nullFields] },
  { id: "raw", fields: [rawFields] },
  { id: "ipv4", fields: [ipv4Fields], findings: [ipv4Findings] },
  { id: "ipv6", fields: [ipv6Fields], findings: [ipv6Findings] },
  { id: "tcp", fields: [tcpFields], findings: [tcpFindings, tcpAnalysisFindings] },
  { id: "udp", fields: [udpFields], findings: [udpFindings] },
  { id: "text", fields: [textFields], findings: [textFindings], dissector: textDissector },
  { id: "struct", fields: [structFieldSpecs] },
  { id: "udpecho", fields: [udpEchoFields], findings: [udpEchoFindings], dissector: udpEchoDissector },
  { id: "http1", fields: [http1Fields], findings: [http1Findings], dissector: http1Dissector },
  // Reached through http1's handoff after `101 Switching Protocols` (Upgrade: websocket).
  { id: "websocket", fields: [websocketFields], findings: [websocketFindings], dissector: websocketDissector },
  // The lab's JIM server names it for its conversations (tcp 7777 plus the port offset); the table entry is for captures.
  { id: "jim", fields: [jimFields], findings: [jimFindings], dissector: jimDissector, tables: [["tcp.port", 7777]] },
  // gRPC's port serves HTTP/2 (the preface) and HTTP/1.1 (gRPC-web, Connect): http2 detects which; http1 hands an h2c
  // upgrade or a preface to it. HPACK blocks, gRPC envelopes and protobuf messages are read inside its frames.
  { id: "http2", fields: [http2Fields], findings: [http2Findings], dissector: http2Dissector, tables: [["tcp.port", 50051]] },
  { id: "hpack", fields: [hpackFields], findings: [hpackFindings] },
  { id: "grpc", fields: [grpcFields], findings: [grpcFindings], dissector: grpcDissector },
  { id: "protobuf", fields: [protobufFields], findings: [protobufFindings] },
  { id: "json", fields: [jsonFields] },
  { id: "data", fields: [dataFields], findings: [packetFindings], dissector: dataDissector },
];

/** A registry filled from protocol modules: their dissectors, table entries and heuristics. */
export function registryOf(modules: readonly ProtocolModule[]): Registry {
  const registry = createRegistry();
  for (const m of modules) {
    if (m.dissector) registry.registerDissector(m.dissector);
    for (const [table, key] of m.tables ?? []) registry.table(table).add(key, m.id);
    if (m.heuristic) registry.heuristic(m.id, m.heuristic);
  }
  return registry;
}

// gRPC messages are read with the lab's own .proto descriptors.
useGrpcSchemas(labGrpcSchemas);

/** The lab's registry. */
export const labRegistry = registryOf(PROTOCOLS);

/** The dissector for a protocol id; bytes of an unknown protocol read as data. */
export function dissectorFor(protocol: string): Dissector {
  return labRegistry.dissector(protocol) ?? dataDissector;
}
