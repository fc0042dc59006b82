// Shown while the JIM lesson's server components render: the lesson's title and a polite status.

import { LessonLoading } from "@/app/_components/lesson-kit/lesson-loading";
import { content } from "./content";

export default function JimLessonLoading() {
  return <LessonLoading content={content} />;
}
