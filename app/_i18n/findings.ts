// A finding's message in the reader's language. The dissectors write English and attach the values the
// message is made of (Finding.args); Russian is made from those by findings-ru.ts, by code.

import { FIELDS_RU } from "./fields-ru";
import { FINDINGS_RU, type ReceivedArgs } from "./findings-ru";
import type { Locale } from "./locales";
import { ruBytes } from "./ru-plural";

export interface ShownFinding {
  readonly code: string;
  /** English, as the dissector wrote it. */
  readonly message: string;
  readonly args?: ReceivedArgs;
}

export function findingText(locale: Locale, finding: ShownFinding): string {
  if (locale !== "ru") return finding.message;
  const args = finding.args ?? {};
  // Every layer reports a read past its end the same way: `<proto>.truncated`.
  if (finding.code.endsWith(".truncated")) return args.wanted === undefined ? finding.message : truncatedRu(args);
  return FINDINGS_RU[finding.code]?.(args) ?? finding.message;
}

/** A field by id in Russian, else the English label that came with it. */
function fieldName(id: string | undefined, english: string | undefined): string {
  return (id && FIELDS_RU[id]?.label) || english || "пропущенные байты";
}

function truncatedRu(a: ReceivedArgs): string {
  const field = a.field ? fieldName(a.field, a.label) : "пропущенные байты";
  const rest = a.within ? `в объемлющем поле «${fieldName(a.within, a.withinLabel)}» осталось` : "данных осталось";
  return `Полю «${field}» нужно ${ruBytes(a.wanted)} по смещению ${a.offset ?? "?"}, а ${rest} только ${ruBytes(a.have)}.`;
}
