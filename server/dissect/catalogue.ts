// Every field the lab's dissectors declare, by id. A field's label and blurb follow from its id, so the
// timeline's stream sends each field's id and value only, and the page looks the words up here: both
// sides load these same tables (the dissectors are isomorphic). A protocol module (protocols.ts) brings its
// tables; a field missing here is still sent whole, so nothing is lost, only bytes.

import type { FieldSpec } from "./core/types";
import { PROTOCOLS } from "./protocols";

const TABLES: readonly Readonly<Record<string, FieldSpec>>[] = PROTOCOLS.flatMap((m) => m.fields);

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
