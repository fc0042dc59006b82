// Every namespace of UI text. Add a namespace here when a feature gets its own file.

import common from "./common";
import followStream from "./follow-stream";
import displayFilter from "./display-filter";
import grpcConsole from "./grpc-console";
import grpcLesson from "./grpc-lesson";
import home from "./home";
import httpComposer from "./http-composer";
import httpLesson from "./http-lesson";
import jimLesson from "./jim-lesson";
import lessonKit from "./lesson-kit";
import playback from "./playback";
import restRpcLesson from "./rest-rpc-lesson";
import structSandbox from "./struct-sandbox";
import tcpLesson from "./tcp-lesson";
import timeline from "./timeline";
import timeView from "./time-view";
import udpLesson from "./udp-lesson";
import websocketLesson from "./websocket-lesson";

export const namespaces = {
  common,
  followStream,
  displayFilter,
  grpcConsole,
  grpcLesson,
  home,
  httpComposer,
  httpLesson,
  jimLesson,
  lessonKit,
  playback,
  restRpcLesson,
  structSandbox,
  tcpLesson,
  timeline,
  timeView,
  udpLesson,
  websocketLesson,
} as const;

export type NamespaceName = keyof typeof namespaces;
export type Keys<N extends NamespaceName> = keyof (typeof namespaces)[N]["en"] & string;
