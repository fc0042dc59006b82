// Shown while the gRPC lesson's server components render: the lesson's title and a polite status.

import { LessonLoading } from "@/app/_components/lesson-kit/lesson-loading";
import { content } from "./content";

export default function GrpcLessonLoading() {
  return <LessonLoading content={content} />;
}
