"use client";
// The gRPC lesson's error boundary: the lesson failed to render; the lab host and its servers may be fine.

import { ErrorPanel } from "@/app/_components/home/error-panel";
import { useT } from "@/app/_i18n/client";

export default function GrpcLessonError({ error, retry }: { error: unknown; retry: () => void }) {
  const t = useT("grpcLesson");
  return <ErrorPanel error={error} retry={retry} detail={t("errorText")} />;
}
