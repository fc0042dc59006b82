"use client";
// The app's error boundary (Next.js error.js convention: error + retry).

import { ErrorPanel } from "./_components/home/error-panel";

export default function AppError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorPanel error={error} retry={retry} />;
}
