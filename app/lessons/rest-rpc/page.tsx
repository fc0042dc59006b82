// Lesson 4, "REST and RPC": two ways to design an API over HTTP, on the lab's real server: the course's users API
// and the workshop's dummies as resources (seeds 000, 004), the same server's JSON-RPC 2.0 and XML-RPC procedures, and
// the two compared on the timeline: bytes, round trips, what the URL says, how errors are told. The lesson
// itself is MDX, one file per language (content.en.mdx, content.ru.mdx); this route picks the reader's and frames it.

import type { Metadata } from "next";
import { LessonPage } from "@/app/_components/lesson-kit/lesson-page";
import { getLocale } from "@/app/_i18n/server";
import { content } from "./content";

export async function generateMetadata(): Promise<Metadata> {
  const { meta } = content[await getLocale()];
  return { title: meta.title, description: meta.description };
}

export default async function RestRpcLessonPage() {
  const { Content } = content[await getLocale()];
  return (
    <LessonPage>
      <Content />
    </LessonPage>
  );
}
