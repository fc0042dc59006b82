// Every field and finding the lab's dissectors declare, by id and code. A field's label and blurb follow
// from its id, and a finding's wording from its code, form and values, so the timeline's stream sends ids,
// codes and values only, and the page looks the words up here: both sides load these same tables (the
// dissectors are isomorphic). A protocol module (protocols.ts) brings its field and findings tables; a field or finding
// missing here is still sent whole, so nothing is lost, only bytes.

import { findingSpecs, SHARED_FINDINGS, type FindingSpec, type FindingTable } from "./core/findings";
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

// The findings every protocol may report (truncation, too long, a dissector that failed), then each module's.
const FINDING_TABLES: readonly FindingTable[] = [SHARED_FINDINGS, ...PROTOCOLS.flatMap((m) => m.findings ?? [])];

const findingKey = (code: string, form: string | undefined) => (form ? `${code} ${form}` : code);
const findingsByKey = new Map<string, FindingSpec>();
for (const table of FINDING_TABLES) for (const spec of findingSpecs(table)) findingsByKey.set(findingKey(spec.code, spec.form), spec);

/**
 * The declared wording of a finding: its code's entry (and form), or the shared entry for a code every
 * protocol may report ("tcp.truncated" is "*.truncated").
 */
export function cataloguedFinding(code: string, form?: string): FindingSpec | undefined {
  const own = findingsByKey.get(findingKey(code, form || undefined));
  if (own) return own;
  const dot = code.indexOf(".");
  return dot < 0 ? undefined : findingsByKey.get(findingKey(`*${code.slice(dot)}`, form || undefined));
}

/** Every declared finding wording, forms one by one, for tests. */
export function cataloguedFindings(): readonly FindingSpec[] {
  return [...findingsByKey.values()];
}
