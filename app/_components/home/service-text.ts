// A service's one-line description on the home page is keyed by its name, so a service added to the lab's
// list needs only its two sentences in the dictionary (server/servers/index.test.ts checks they exist).

import type { Keys } from "@/app/_i18n/messages";
import home from "@/app/_i18n/messages/home";

/** "tcp-echo" -> "serviceTcpEcho". */
export function serviceTextKey(name: string): string {
  return `service${name.replace(/(^|-)([a-z0-9])/g, (_whole: string, _dash: string, c: string) => c.toUpperCase())}`;
}

export function serviceText(name: string): Keys<"home"> | undefined {
  const key = serviceTextKey(name);
  return Object.hasOwn(home.en, key) ? (key as Keys<"home">) : undefined;
}
