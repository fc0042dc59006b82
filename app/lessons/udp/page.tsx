// Lesson 2, "UDP": datagrams without a connection, the 8-byte header on real datagrams, no handshake,
// message boundaries, sizes, binary data with struct, the seed client's BINARY_TEST surprise, loss and timeouts
// you can watch, broadcast and multicast, and the same servers from the terminal. The lesson itself is MDX,
// one file per language (content.en.mdx, content.ru.mdx); this route picks the reader's and frames it.

import type { Metadata } from "next";
import { LessonPage } from "@/app/_components/lesson-kit/lesson-page";
import { getLocale } from "@/app/_i18n/server";
import { content } from "./content";

export async function generateMetadata(): Promise<Metadata> {
  const { meta } = content[await getLocale()];
  return { title: meta.title, description: meta.description };
}

export default async function UdpLessonPage() {
  const { Content } = content[await getLocale()];
  return (
    <LessonPage>
      <Content />
    </LessonPage>
  );
}
