// A finding's message in the reader's language, from its code, form and values: English from the template the
// dissector declared (server/dissect/catalogue.ts), Russian from findings-ru.ts. The stream leaves a declared
// finding's English out; a finding no table declares keeps the message it came with.

import { cataloguedFinding } from "@/server/dissect/catalogue";
import { renderFinding } from "@/server/dissect/core/findings";
import { findingRu, type ReceivedArgs } from "./findings-ru";
import type { Locale } from "./locales";

export interface ShownFinding {
  readonly code: string;
  /** Which wording of the code, when it has several ("" or undefined otherwise). */
  readonly form?: string;
  /** English as it came: empty when the code is declared, for then the page renders it. */
  readonly message: string;
  readonly args?: ReceivedArgs;
}

export function findingText(locale: Locale, finding: ShownFinding): string {
  const spec = cataloguedFinding(finding.code, finding.form);
  if (!spec) return finding.message;
  const args = finding.args ?? {};
  if (locale === "ru") {
    const ru = findingRu(spec.code, spec.form, args);
    if (ru !== undefined) return ru;
  }
  return renderFinding(spec, args);
}
