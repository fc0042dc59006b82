// Lesson 5, "JIM": the course's messenger protocol (seed 002) on the lab's own JIM server: the messenger in the
// browser, the protocol field by field on live messages, the response codes, rooms, framing JSON over a stream (two
// quick sends in one read, and three correct ways to read them), and the homework's two commands. The lesson itself
// is MDX, one file per language (content.en.mdx, content.ru.mdx); this route picks the reader's and frames it.

import type { Metadata } from "next";
import { LessonPage } from "@/app/_components/lesson-kit/lesson-page";
import { getLocale } from "@/app/_i18n/server";
import { content } from "./content";

export async function generateMetadata(): Promise<Metadata> {
  const { meta } = content[await getLocale()];
  return { title: meta.title, description: meta.description };
}

export default async function JimLessonPage() {
  const { Content } = content[await getLocale()];
  return (
    <LessonPage>
      <Content />
    </LessonPage>
  );
}
