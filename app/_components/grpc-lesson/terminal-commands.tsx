"use client";
// The gRPC lesson's "Try it from your terminal": grpcurl, the seed's Python client with stubs generated from the
// .proto the lab serves, and Connect and gRPC-web with curl, at the host and port the lab host reports (the kit's
// TerminalCommands looks them up).

import { useT } from "@/app/_i18n/client";
import { TerminalCommands, type TerminalServer } from "../lesson-kit/terminal-commands";
import { curlConnect, curlGrpcWeb, grpcurlCall, grpcurlHealth, grpcurlList, protocCommands, pythonClient } from "./commands";

export function GrpcTerminalCommands() {
  const t = useT("grpcLesson");
  const servers: TerminalServer[] = [
    {
      id: "grpc-grpcurl",
      service: "grpc",
      title: ({ port }) => t("termGrpcurl", { port: String(port) }),
      commands: [
        { label: t("termList"), code: grpcurlList },
        { label: t("termCall"), code: grpcurlCall },
        { label: t("termHealth"), code: grpcurlHealth },
      ],
      note: t("termGrpcurlNote"),
    },
    {
      id: "grpc-python",
      service: "grpc",
      title: ({ port }) => t("termPython", { port: String(port) }),
      commands: [
        { label: t("termProtos"), code: protocCommands },
        { label: t("termPyClient"), code: pythonClient },
      ],
      note: t("termPyNote"),
    },
    {
      id: "grpc-web",
      service: "grpc",
      title: ({ port }) => t("termWeb", { port: String(port) }),
      commands: [
        { label: t("termConnectJson"), code: curlConnect },
        { label: t("termGrpcWeb"), code: curlGrpcWeb },
      ],
      note: t("termWebNote"),
    },
  ];
  return <TerminalCommands servers={servers} />;
}
