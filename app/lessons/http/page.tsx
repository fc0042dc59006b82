// Lesson 3, "HTTP messages": HTTP/1.1 requests and responses on the lab's real HTTP server, byte by byte: the
// course's GET / -> 302 -> /posts example, methods and their promises on real calls, headers, status codes,
// redirects, keep-alive, chunked transfer, ETag and 304, CORS, and the same server from the terminal. The lesson
// itself is MDX, one file per language (content.en.mdx, content.ru.mdx); this route picks the reader's and frames it.

import type { Metadata } from "next";
import { LessonPage } from "@/app/_components/lesson-kit/lesson-page";
import { getLocale } from "@/app/_i18n/server";
import { content } from "./content";

export async function generateMetadata(): Promise<Metadata> {
  const { meta } = content[await getLocale()];
  return { title: meta.title, description: meta.description };
}

export default async function HttpLessonPage() {
  const { Content } = content[await getLocale()];
  return (
    <LessonPage>
      <Content />
    </LessonPage>
  );
}
