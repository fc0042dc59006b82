"use client";
// The browser's client for the lab's control API (same origin, Connect protocol over fetch).

import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { LabService } from "@/gen/lab/v1/lab_pb";

let client: ReturnType<typeof createClient<typeof LabService>> | undefined;

export function labClient() {
  client ??= createClient(
    LabService,
    createConnectTransport({ baseUrl: typeof window === "undefined" ? "http://localhost" : window.location.origin }),
  );
  return client;
}
