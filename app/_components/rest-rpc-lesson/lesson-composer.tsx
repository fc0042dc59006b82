"use client";
// The request composer (app/_components/http-composer) with one of its preset groups, for a section of the REST and
// RPC lesson: seed 000's users client ("users"), the workshop's REST curl lines ("dummies"), or the workshop's
// JSON-RPC and XML-RPC calls ("rpc"). It opens on the group's first request.

import { useT } from "@/app/_i18n/client";
import { HttpComposer } from "../http-composer/http-composer";
import { PRESET_GROUPS, type PresetGroup } from "../http-composer/model";

const GROUPS = { users: "seed000", dummies: "workshop", rpc: "rpc" } as const satisfies Record<string, PresetGroup["id"]>;
const LABEL = { users: "composerUsers", dummies: "composerDummies", rpc: "composerRpc" } as const;

export function LessonComposer({ presets }: { presets: keyof typeof GROUPS }) {
  const t = useT("restRpcLesson");
  const group = PRESET_GROUPS.find((g) => g.id === GROUPS[presets]);
  if (!group) return null;
  return (
    <div className="pt-2">
      <HttpComposer groups={[group]} initialPreset={group.presets[0]?.id} headingLevel={3} label={t(LABEL[presets])} />
    </div>
  );
}
