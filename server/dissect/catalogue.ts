// Every field the lab's dissectors declare, by id. A field's label and blurb follow from its id, so the
// timeline's stream sends each field's id and value only, and the page looks the words up here: both
// sides load these same tables (the dissectors are isomorphic). A dissector added to the lab adds its
// table below; a field missing here is still sent whole, so nothing is lost, only bytes.

import { dataFields } from "./core/registry";
import type { FieldSpec } from "./core/types";
import { ipv4Fields } from "./ipv4";
import { ipv6Fields } from "./ipv6";
import { ethFields, nullFields, rawFields, sllFields } from "./link";
import { tcpFields } from "./tcp";
import { textFields } from "./text";
import { udpFields } from "./udp";

const TABLES: readonly Readonly<Record<string, FieldSpec>>[] = [
  ethFields,
  sllFields,
  nullFields,
  rawFields,
  ipv4Fields,
  ipv6Fields,
  tcpFields,
  udpFields,
  textFields,
  dataFields,
];

const byId = new Map<string, FieldSpec>();
for (const table of TABLES) for (const spec of Object.values(table)) byId.set(spec.id, spec);

/** The declared field with this id, if a lab dissector declares it. */
export function catalogued(id: string): FieldSpec | undefined {
  return byId.get(id);
}

/** Every declared field, for tests. */
export function cataloguedFields(): readonly FieldSpec[] {
  return TABLES.flatMap((table) => Object.values(table));
}
