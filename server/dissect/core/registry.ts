// Which dissector reads which bytes: dissector tables and heuristics, with raw data as the last resort.
// Modelled on Wireshark's dissector tables (dissector_add_uint("tcp.port", ...)), heuristic dissector lists
// and the "data" dissector (epan/packet.c, epan/dissectors/packet-data.c). Layers find each other through
// table names such as "tcp.port" or "http.upgrade", never through imports.

import { createCursor } from "./cursor";
import { defineFields, plural } from "./fields";
import type { DissectContext, DissectedFrame, Dissector } from "./types";

export type TableKey = number | string;

/** Says whether bytes look like one protocol. Must be cheap; a test that throws counts as "no". */
export type HeuristicTest = (bytes: Uint8Array, ctx: DissectContext) => boolean;

export interface DissectorTable {
  readonly name: string;
  /** Maps a key to a protocol id; a later add of the same key replaces it, as in Wireshark. */
  add(key: TableKey, protocolId: string): DissectorTable;
  /** The registered dissector for a key, if any. */
  get(key: TableKey): Dissector | undefined;
}

export interface Registry {
  /** Throws when a different dissector already has this id: a programming error, found at startup. */
  registerDissector(d: Dissector): void;
  dissector(id: string): Dissector | undefined;
  /** The table of that name, created on first use. */
  table(name: string): DissectorTable;
  /** Heuristics run in registration order, after the table found nothing. */
  heuristic(protocolId: string, test: HeuristicTest): void;
  /**
   * The dissector for these bytes: the first key found in the table (pass the server's port first), then
   * the first heuristic that says yes, then `data`.
   */
  pick(tableName: string, keys: TableKey | readonly TableKey[], bytes: Uint8Array, ctx: DissectContext): Dissector;
}

export const dataFields = defineFields("data", {
  data: { label: "Data", type: "bytes", blurb: "Bytes that no dissector in the lab claims, shown as they are." },
});

/** The fallback: one `data.data` field over all the bytes. */
export const dataDissector: Dissector = {
  id: "data",
  name: "Data",
  dissect(bytes: Uint8Array, ctx?: DissectContext): DissectedFrame[] {
    const cur = createCursor(bytes, "data", ctx?.tree ?? true);
    if (bytes.length > 0) cur.bytes(dataFields.data, bytes.length);
    return [cur.frame(plural(bytes.length, "byte"))];
  },
};

export function createRegistry(): Registry {
  const dissectors = new Map<string, Dissector>();
  const tables = new Map<string, DissectorTable>();
  const heuristics: { protocolId: string; test: HeuristicTest }[] = [];

  const registry: Registry = {
    registerDissector(d) {
      const existing = dissectors.get(d.id);
      if (existing && existing !== d) throw new Error(`registerDissector: "${d.id}" is already registered`);
      dissectors.set(d.id, d);
    },
    dissector: (id) => dissectors.get(id),
    table(name) {
      let t = tables.get(name);
      if (!t) {
        // Entries hold ids, not dissectors, so tables can be filled before the dissectors register.
        const entries = new Map<TableKey, string>();
        t = {
          name,
          add(key, protocolId) {
            entries.set(key, protocolId);
            return this;
          },
          get: (key) => {
            const id = entries.get(key);
            return id === undefined ? undefined : dissectors.get(id);
          },
        };
        tables.set(name, t);
      }
      return t;
    },
    heuristic(protocolId, test) {
      heuristics.push({ protocolId, test });
    },
    pick(tableName, keys, bytes, ctx) {
      const table = tables.get(tableName);
      for (const key of typeof keys === "object" ? keys : [keys]) {
        const d = table?.get(key);
        if (d) return d;
      }
      for (const h of heuristics) {
        const d = dissectors.get(h.protocolId);
        if (d && accepts(h.test, bytes, ctx)) return d;
      }
      return dataDissector;
    },
  };
  registry.registerDissector(dataDissector);
  return registry;
}

function accepts(test: HeuristicTest, bytes: Uint8Array, ctx: DissectContext): boolean {
  try {
    return test(bytes, ctx);
  } catch {
    return false;
  }
}
