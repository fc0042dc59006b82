// Shown while the WebSocket lesson's server components render: the lesson's title and a polite status.

import { LessonLoading } from "@/app/_components/lesson-kit/lesson-loading";
import { content } from "./content";

export default function WebSocketLessonLoading() {
  return <LessonLoading content={content} />;
}
