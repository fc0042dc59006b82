"use client";
// Experiment 3: headers as the server reads them. The request composer (app/_components/http-composer) with the
// echo address's presets: /http/echo answers with the method, target, version and every header in the order it
// arrived, and the body, so a student compares what the lab's client sent with what the server read.

import { useT } from "@/app/_i18n/client";
import { HttpComposer } from "../http-composer/http-composer";
import { ECHO_GROUP } from "../http-composer/model";
import { Paragraphs } from "../lesson-kit/prose";

export function HeadersPanel() {
  const t = useT("httpLesson");
  return (
    <div className="space-y-3">
      <Paragraphs texts={[t("hdrP1")]} />
      <HttpComposer groups={[ECHO_GROUP]} initialPreset={ECHO_GROUP.presets[0]?.id} headingLevel={3} label={t("hdrGroup")} />
    </div>
  );
}
