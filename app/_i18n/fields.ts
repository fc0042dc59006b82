// A field's words in the reader's language: its label and the sentence that explains it, and how its value
// reads. English comes from the dissectors' tables (server/dissect/catalogue.ts, core/formats.ts), Russian
// from fields-ru.ts by field id and formats-ru.ts by format id.

import { ENGLISH_FIELD_TEXT, type FieldText } from "@/app/_components/timeline/model";
import { catalogued } from "@/server/dissect/catalogue";
import { FIELDS_RU } from "./fields-ru";
import { RUSSIAN_FORMATS } from "./formats-ru";
import type { Locale } from "./locales";

export interface FieldWords {
  readonly label: string;
  readonly blurb: string;
}

/** The words for a field id, or undefined when no dissector declares it. */
export function fieldWords(locale: Locale, id: string): FieldWords | undefined {
  const english = catalogued(id);
  if (!english) return undefined;
  return (locale === "ru" && FIELDS_RU[id]) || english;
}

const RUSSIAN: FieldText = { words: (id) => fieldWords("ru", id), formats: RUSSIAN_FORMATS };

/** How fields read in `locale`: for the details panel's tree. */
export function fieldText(locale: Locale): FieldText {
  return locale === "ru" ? RUSSIAN : ENGLISH_FIELD_TEXT;
}
