"use client";
// The gRPC console's error boundary: the page failed to render; the lab host and its servers may be fine.

import { ErrorPanel } from "@/app/_components/home/error-panel";
import { useT } from "@/app/_i18n/client";

export default function GrpcToolError({ error, retry }: { error: unknown; retry: () => void }) {
  const t = useT("grpcConsole");
  return <ErrorPanel error={error} retry={retry} detail={t("errorText")} />;
}
