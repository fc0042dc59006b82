// Lesson 5, "WebSocket": one HTTP request that becomes a full-duplex channel on the lab's http service (seed 004's
// echo and chat): polling against a kept channel, the upgrade handshake field by field, the frame format and why
// clients mask, fragments, ping, pong and close, a chat with several clients, WebSocket beside HTTP and raw TCP, and
// websocat and Python's websockets from the terminal. The lesson itself is MDX, one file per language
// (content.en.mdx, content.ru.mdx); this route picks the reader's and frames it.

import type { Metadata } from "next";
import { LessonPage } from "@/app/_components/lesson-kit/lesson-page";
import { getLocale } from "@/app/_i18n/server";
import { content } from "./content";

export async function generateMetadata(): Promise<Metadata> {
  const { meta } = content[await getLocale()];
  return { title: meta.title, description: meta.description };
}

export default async function WebSocketLessonPage() {
  const { Content } = content[await getLocale()];
  return (
    <LessonPage>
      <Content />
    </LessonPage>
  );
}
