// Lesson 1, "Sockets and TCP": what a socket is, the calls of server and client, four experiments with
// the lab's real TCP servers, the same connections as the kernel's segments, the TCP header filled with a
// real segment's values, and the same servers from the student's own terminal. The lesson itself is MDX,
// one file per language (content.en.mdx, content.ru.mdx); this route picks the reader's and frames it.

import type { Metadata } from "next";
import { LessonPage } from "@/app/_components/lesson-kit/lesson-page";
import { getLocale } from "@/app/_i18n/server";
import { content } from "./content";

export async function generateMetadata(): Promise<Metadata> {
  const { meta } = content[await getLocale()];
  return { title: meta.title, description: meta.description };
}

export default async function TcpLessonPage() {
  const { Content } = content[await getLocale()];
  return (
    <LessonPage>
      <Content />
    </LessonPage>
  );
}
