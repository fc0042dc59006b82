// Every namespace of UI text. Add a namespace here when a feature gets its own file.

import common from "./common";
import home from "./home";
import httpComposer from "./http-composer";
import lessonKit from "./lesson-kit";
import structSandbox from "./struct-sandbox";
import tcpLesson from "./tcp-lesson";
import timeline from "./timeline";
import udpLesson from "./udp-lesson";

export const namespaces = {
  common,
  home,
  httpComposer,
  lessonKit,
  structSandbox,
  tcpLesson,
  timeline,
  udpLesson,
} as const;

export type NamespaceName = keyof typeof namespaces;
export type Keys<N extends NamespaceName> = keyof (typeof namespaces)[N]["en"] & string;
