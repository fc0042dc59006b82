// Lesson 7, "gRPC": RPC with a schema on the lab's real gRPC service (seeds 000, 001, 004): Protocol Buffers and their
// wire format, HTTP/2 and HPACK underneath, the four kinds of call, metadata, deadlines, status codes and retries,
// gRPC-web and Connect on the same port, versioning. The lesson itself is MDX, one file per language (content.en.mdx,
// content.ru.mdx); this route picks the reader's and frames it.

import type { Metadata } from "next";
import { LessonPage } from "@/app/_components/lesson-kit/lesson-page";
import { getLocale } from "@/app/_i18n/server";
import { content } from "./content";

export async function generateMetadata(): Promise<Metadata> {
  const { meta } = content[await getLocale()];
  return { title: meta.title, description: meta.description };
}

export default async function GrpcLessonPage() {
  const { Content } = content[await getLocale()];
  return (
    <LessonPage>
      <Content />
    </LessonPage>
  );
}
