// The gRPC lesson in each language: its MDX (prose, sections, where each panel goes) and its meta. A
// Record over every locale, so a missing language is a type error here and a failure in lessons.test.ts.

import type { LessonContent } from "@/app/_components/lesson-kit/lesson-page";
import En, { meta as enMeta } from "./content.en.mdx";
import Ru, { meta as ruMeta } from "./content.ru.mdx";

export const content: LessonContent = {
  en: { Content: En, meta: enMeta },
  ru: { Content: Ru, meta: ruMeta },
};
