"use client";
// The gRPC call console (issue 14 §4): pick a method of the lab's gRPC port (from its descriptors, the files its
// server reflection serves), edit the request as JSON, and call. Unary and server-streaming calls can go straight
// from the browser with connect-web (Connect or gRPC-web over HTTP/1.1, to the port the running lab reports); any
// call can go through the lab's tapped Node HTTP/2 client (LabService.OpenGrpcCall / SendGrpcCall), the only way a
// page makes client-streaming and bidi calls: messages one by one, half-close, cancel. Deadline, metadata rows and
// gzip (the lab's client; connect-web does not compress) apply; the answer shows headers, each message, trailers,
// the status and the time.

import { fromJsonString, toBinary, toJsonString, type DescMethodStreaming, type DescMethodUnary } from "@bufbuild/protobuf";
import { ConnectError, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-web";
import { useId, useRef, useState } from "react";
import { useT } from "@/app/_i18n/client";
import { servedGrpcRegistry } from "@/server/dissect/lab-services";
import { usePageHost } from "../home/use-page-host";
import { labClient } from "../lab-client";
import { callSearch } from "../timeline/model";
import { useLabStatus } from "../lab-status";
import { buttonPrimary, buttonSecondary, buttonSmall, ErrorText, inputClass, selectClass } from "../lesson-kit/ui";
import {
  browserCan,
  exampleRequest,
  jsonProblem,
  METHODS,
  methodOf,
  requestStreams,
  statusName,
  TRANSPORTS,
  type CallView,
  type ConsoleMethod,
  type ConsoleTransport,
  type MetadataRow,
} from "./model";

const KIND_LABEL = { unary: "kindUnary", server_streaming: "kindServerStreaming", client_streaming: "kindClientStreaming", bidi_streaming: "kindBidi" } as const;
const TRANSPORT_LABEL = { connect: "transportConnect", "grpc-web": "transportGrpcWeb", h2c: "transportH2c" } as const;
const ENDED_BY = { cancelled: "endedByCancelled", idle: "endedByIdle", connection: "endedByConnection" } as const;

/** The browser may send only the metadata the gRPC port's CORS allows (server/servers/grpc/app.ts). */
const BROWSER_METADATA = new Set(["authorization", "request-id"]);

const rowsOf = (headers: Headers): MetadataRow[] => [...headers.entries()].map(([key, value]) => ({ key, value }));

function useGrpcPort(): number | undefined {
  const status = useLabStatus();
  return status.kind === "ok" ? status.status.services.find((s) => s.name === "grpc")?.port : undefined;
}

export function GrpcConsole({ initialMethod = "/user_service.UserService/GetUser" }: { readonly initialMethod?: string }) {
  const t = useT("grpcConsole");
  const id = useId();
  const host = usePageHost();
  const grpcPort = useGrpcPort();
  const [path, setPath] = useState(initialMethod);
  const method = methodOf(path) ?? METHODS[0]!;
  const [request, setRequest] = useState(() => exampleRequest(method));
  const [chosen, setChosen] = useState<ConsoleTransport>("connect");
  const transport: ConsoleTransport = browserCan(method.kind) ? chosen : "h2c";
  const [deadline, setDeadline] = useState("0");
  const [gzip, setGzip] = useState(false);
  const [metadata, setMetadata] = useState<MetadataRow[]>([{ key: "request-id", value: "console-1" }]);
  const [view, setView] = useState<CallView | undefined>();
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState("");
  const abort = useRef<AbortController | undefined>(undefined);
  const problem = jsonProblem(request);
  const open = view?.callId !== undefined && view.end === undefined;
  const timeoutMs = Math.max(0, Math.min(300_000, Math.floor(Number(deadline) || 0)));

  function choose(next: string) {
    setPath(next);
    const m = methodOf(next);
    if (m) setRequest(exampleRequest(m));
  }

  const update = (fn: (v: CallView) => CallView) => setView((v) => (v ? fn(v) : v));

  async function callFromBrowser(m: ConsoleMethod) {
    const baseUrl = `http://${host || "localhost"}:${grpcPort ?? 50051}`;
    const t0 = performance.now();
    const ms = () => Math.round(performance.now() - t0);
    const net: Transport = transport === "connect" ? createConnectTransport({ baseUrl, useBinaryFormat: true }) : createGrpcWebTransport({ baseUrl, useBinaryFormat: true });
    const headers = new Headers();
    for (const row of metadata) if (row.key && BROWSER_METADATA.has(row.key.toLowerCase())) headers.append(row.key, row.value);
    const input = fromJsonString(m.desc.input, request, { registry: servedGrpcRegistry });
    const sent = toBinary(m.desc.input, input).byteLength + (transport === "connect" && m.kind === "unary" ? 0 : 5);
    setView({ transport, path: m.path, headers: [], messages: [{ direction: "sent", json: request, bytes: sent, compressed: false, ms: 0 }] });
    const received = (msg: Parameters<typeof toBinary>[1]) => ({
      direction: "received" as const,
      json: toJsonString(m.desc.output, msg, { registry: servedGrpcRegistry, prettySpaces: 2 }),
      // On the wire: Connect's unary body is the message alone; its streams and gRPC-web put each in a 5-byte envelope.
      bytes: toBinary(m.desc.output, msg).byteLength + (transport === "connect" && m.kind === "unary" ? 0 : 5),
      compressed: false,
      ms: ms(),
    });
    const controller = (abort.current = new AbortController());
    try {
      if (m.kind === "unary") {
        const res = await net.unary(m.desc as DescMethodUnary, controller.signal, timeoutMs || undefined, headers, input);
        update((v) => ({ ...v, headers: rowsOf(res.header), messages: [...v.messages, received(res.message)] }));
        update((v) => ({ ...v, end: { code: 0, message: "", trailers: rowsOf(res.trailer), ms: ms(), endedBy: "" } }));
      } else {
        const res = await net.stream(
          m.desc as DescMethodStreaming,
          controller.signal,
          timeoutMs || undefined,
          headers,
          (async function* () {
            yield input;
          })(),
        );
        update((v) => ({ ...v, headers: rowsOf(res.header) }));
        for await (const msg of res.message) update((v) => ({ ...v, messages: [...v.messages, received(msg)] }));
        update((v) => ({ ...v, end: { code: 0, message: "", trailers: rowsOf(res.trailer), ms: ms(), endedBy: "" } }));
      }
    } catch (err) {
      const e = ConnectError.from(err);
      update((v) => ({ ...v, end: { code: e.code, message: e.rawMessage, trailers: rowsOf(e.metadata), ms: ms(), endedBy: controller.signal.aborted ? "cancelled" : "" } }));
    }
  }

  async function callFromLab(m: ConsoleMethod) {
    const streaming = requestStreams(m.kind);
    const controller = (abort.current = new AbortController());
    setView({ transport: "h2c", path: m.path, headers: [], messages: [] });
    const stream = labClient().openGrpcCall(
      {
        method: m.path,
        metadata: metadata.filter((r) => r.key),
        timeoutMs,
        gzip,
        messagesJson: streaming ? [] : [request],
        halfClose: !streaming,
      },
      { signal: controller.signal },
    );
    for await (const u of stream) {
      const up = u.update;
      if (up.case === "opened") {
        const { callId, streamId, sentBytes } = up.value;
        update((v) => ({
          ...v,
          callId,
          streamId,
          messages: sentBytes.map((bytes) => ({ direction: "sent" as const, json: request, bytes, compressed: gzip, ms: 0 })),
        }));
        setBusy(false);
      } else if (up.case === "headers") {
        const fields = up.value.fields.map(({ key, value }) => ({ key, value }));
        update((v) => ({ ...v, headers: fields }));
      } else if (up.case === "message") {
        const { json, error, wireBytes, compressed, elapsedMs } = up.value;
        update((v) => ({ ...v, messages: [...v.messages, { direction: "received", json: json || error, bytes: wireBytes, compressed, ms: elapsedMs }] }));
      } else if (up.case === "ended") {
        const { code, message, trailers, elapsedMs, endedBy } = up.value;
        update((v) => ({ ...v, end: { code, message, trailers: trailers.map(({ key, value }) => ({ key, value })), ms: elapsedMs, endedBy } }));
      }
    }
  }

  async function call() {
    setRefused("");
    setBusy(true);
    try {
      if (transport === "h2c") await callFromLab(method);
      else await callFromBrowser(method);
    } catch (err) {
      if (!abort.current?.signal.aborted) setRefused(ConnectError.from(err).rawMessage);
    } finally {
      setBusy(false);
    }
  }

  async function send(what: "message" | "halfClose" | "cancel") {
    const callId = view?.callId;
    if (!callId) return;
    setRefused("");
    try {
      if (what === "message") {
        const res = await labClient().sendGrpcCall({ callId, what: { case: "messageJson", value: request } });
        update((v) => ({ ...v, messages: [...v.messages, { direction: "sent", json: request, bytes: res.bytes, compressed: gzip, ms: 0 }] }));
      } else if (what === "halfClose") {
        await labClient().sendGrpcCall({ callId, what: { case: "halfClose", value: true } });
      } else {
        await labClient().sendGrpcCall({ callId, what: { case: "cancel", value: true } });
      }
    } catch (err) {
      setRefused(ConnectError.from(err).rawMessage);
    }
  }

  const browserMode = transport !== "h2c";

  return (
    <div className="space-y-6">
      <form
        aria-label={t("formLabel")}
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          if (!problem && !busy && !open) void call();
        }}
      >
        <div className="space-y-1">
          <label htmlFor={`${id}-method`} className="block text-sm font-medium">
            {t("methodLabel")}
          </label>
          <select id={`${id}-method`} className={`${selectClass} w-full font-mono`} value={path} onChange={(e) => choose(e.target.value)} disabled={open}>
            {METHODS.map((m) => (
              <option key={m.path} value={m.path}>
                {m.path} ({t(KIND_LABEL[m.kind])})
              </option>
            ))}
          </select>
          <p className="text-xs text-slate-700 dark:text-slate-300">{t("methodsSource")}</p>
        </div>

        <fieldset className="space-y-1">
          <legend className="text-sm font-medium">{t("transportLabel")}</legend>
          <div className="flex flex-wrap gap-x-4 gap-y-1">
            {TRANSPORTS.map((tr) => (
              <label key={tr} className="flex items-center gap-1.5 text-sm">
                <input
                  type="radio"
                  name={`${id}-transport`}
                  value={tr}
                  checked={transport === tr}
                  disabled={open || (tr !== "h2c" && !browserCan(method.kind))}
                  onChange={() => setChosen(tr)}
                />
                {t(TRANSPORT_LABEL[tr])}
              </label>
            ))}
          </div>
          {!browserCan(method.kind) && <p className="text-xs text-slate-700 dark:text-slate-300">{t("transportBrowserOnlySimple")}</p>}
        </fieldset>

        <div className="space-y-1">
          <div className="flex items-end justify-between gap-2">
            <label htmlFor={`${id}-request`} className="block text-sm font-medium">
              {t("requestLabel")}
            </label>
            <button type="button" className={buttonSmall} onClick={() => setRequest(exampleRequest(method))}>
              {t("resetExample")}
            </button>
          </div>
          <textarea
            id={`${id}-request`}
            className={`${inputClass} min-h-28`}
            spellCheck={false}
            value={request}
            aria-invalid={problem !== undefined}
            aria-describedby={problem ? `${id}-request-problem` : undefined}
            onChange={(e) => setRequest(e.target.value)}
          />
          {problem && (
            <p id={`${id}-request-problem`} className="text-xs font-medium text-red-800 dark:text-red-300">
              {t("requestInvalid", { error: problem })}
            </p>
          )}
        </div>

        <div className="flex flex-wrap items-end gap-4">
          <div className="space-y-1">
            <label htmlFor={`${id}-deadline`} className="block text-sm font-medium">
              {t("deadlineLabel")}
            </label>
            <input id={`${id}-deadline`} type="number" min={0} max={300000} step={1} className={`${inputClass} w-32`} value={deadline} onChange={(e) => setDeadline(e.target.value)} disabled={open} />
          </div>
          <label className="flex items-center gap-1.5 pb-1.5 text-sm">
            <input type="checkbox" checked={gzip && !browserMode} disabled={browserMode || open} onChange={(e) => setGzip(e.target.checked)} />
            {t("gzipLabel")}
          </label>
        </div>
        {browserMode && <p className="text-xs text-slate-700 dark:text-slate-300">{t("gzipBrowserNote")}</p>}

        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">{t("metadataLabel")}</legend>
          {metadata.map((row, i) => (
            <div key={i} className="flex gap-2">
              <input
                aria-label={`${t("metadataKey")} ${i + 1}`}
                className={`${inputClass} flex-1`}
                value={row.key}
                disabled={open}
                onChange={(e) => setMetadata((rows) => rows.map((r, j) => (j === i ? { ...r, key: e.target.value } : r)))}
              />
              <input
                aria-label={`${t("metadataValue")} ${i + 1}`}
                className={`${inputClass} flex-1`}
                value={row.value}
                disabled={open}
                onChange={(e) => setMetadata((rows) => rows.map((r, j) => (j === i ? { ...r, value: e.target.value } : r)))}
              />
              <button type="button" className={buttonSmall} disabled={open} onClick={() => setMetadata((rows) => rows.filter((_, j) => j !== i))}>
                <span aria-hidden="true">×</span>
                <span className="sr-only">{t("metadataRemove", { key: row.key || String(i + 1) })}</span>
              </button>
            </div>
          ))}
          <button type="button" className={buttonSmall} disabled={open} onClick={() => setMetadata((rows) => [...rows, { key: "", value: "" }])}>
            {t("metadataAdd")}
          </button>
          {browserMode && <p className="text-xs text-slate-700 dark:text-slate-300">{t("metadataBrowserNote")}</p>}
        </fieldset>

        <div className="flex flex-wrap gap-2">
          <button type="submit" className={buttonPrimary} disabled={problem !== undefined || busy || open}>
            {busy ? t("calling") : requestStreams(method.kind) ? t("open") : t("call")}
          </button>
          {open && requestStreams(method.kind) && (
            <>
              <button type="button" className={buttonSecondary} disabled={problem !== undefined} onClick={() => void send("message")}>
                {t("send")}
              </button>
              <button type="button" className={buttonSecondary} onClick={() => void send("halfClose")}>
                {t("halfClose")}
              </button>
            </>
          )}
          {busy && browserMode && (
            // A browser call in flight (a server stream such as Health/Watch may never end): abort the fetch.
            <button type="button" className={buttonSecondary} onClick={() => abort.current?.abort()}>
              {t("cancel")}
            </button>
          )}
          {open && (
            <button type="button" className={buttonSecondary} onClick={() => void send("cancel")}>
              {t("cancel")}
            </button>
          )}
        </div>
        {refused && <ErrorText>{t("errorPrefix", { message: refused })}</ErrorText>}
      </form>

      <section aria-labelledby={`${id}-response`} className="space-y-3">
        <h2 id={`${id}-response`} className="text-lg font-semibold">
          {t("responseHeading")}
        </h2>
        {view ? <CallResult view={view} /> : <p className="text-sm text-slate-700 dark:text-slate-300">{t("noneYet")}</p>}
      </section>
    </div>
  );
}

function Fields({ rows }: { rows: readonly MetadataRow[] }) {
  const t = useT("grpcConsole");
  if (rows.length === 0) return <p className="text-sm text-slate-700 dark:text-slate-300">{t("noFields")}</p>;
  return (
    <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 font-mono text-xs">
      {rows.map((r, i) => (
        <div key={i} className="contents">
          <dt className="font-semibold">{r.key}</dt>
          <dd className="break-all">{r.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * Marks the call's lanes on the timeline beside the console (?call=N, which the ladder reads), as the timeline keeps
 * its selection: history.replaceState, which Next.js's useSearchParams follows.
 */
function showCallLanes(stream: number) {
  window.history.replaceState(null, "", `${window.location.pathname}${callSearch(window.location.search, stream)}${window.location.hash}`);
}

function CallResult({ view }: { view: CallView }) {
  const t = useT("grpcConsole");
  const end = view.end;
  return (
    <div className="space-y-3">
      <p className="font-mono text-xs">
        {view.path} · {t(TRANSPORT_LABEL[view.transport])}
        {view.callId !== undefined && view.streamId !== undefined && ` · ${t("callOpen", { id: view.callId, stream: view.streamId })}`}
      </p>
      {view.streamId !== undefined && view.streamId > 0 && (
        <div className="space-y-1">
          <button type="button" className={buttonSmall} onClick={() => showCallLanes(view.streamId ?? 0)}>
            {t("showCallLanes", { stream: view.streamId })}
          </button>
          <p className="text-xs text-slate-700 dark:text-slate-300">
            {t("streamFilterBefore")} <code className="font-mono text-slate-900 dark:text-slate-100">http2.stream_id == {view.streamId}</code>
          </p>
        </div>
      )}
      <div role="status" className="text-sm">
        {end ? (
          <p>
            <span className="font-medium">{t("statusLabel")}: </span>
            <span className={`font-mono font-semibold ${end.code === 0 ? "text-green-800 dark:text-green-300" : "text-red-800 dark:text-red-300"}`}>
              {t("statusLine", { code: end.code, name: statusName(end.code) })}
            </span>
            {end.message && <span className="font-mono"> {end.message}</span>}
            {end.endedBy in ENDED_BY && <span> ({t(ENDED_BY[end.endedBy as keyof typeof ENDED_BY])})</span>}
            <span className="text-slate-700 dark:text-slate-300">
              {" "}
              · {t("timingLabel")}: {t("timing", { ms: end.ms })}
            </span>
          </p>
        ) : (
          <p>{t("calling")}</p>
        )}
      </div>
      <h3 className="text-sm font-semibold">{t("headersHeading")}</h3>
      <Fields rows={view.headers} />
      <h3 className="text-sm font-semibold">{t("messagesHeading")}</h3>
      <ol className="space-y-2">
        {view.messages.map((m, i) => (
          <li key={i} className={`rounded border p-2 ${m.direction === "sent" ? "border-blue-300 dark:border-blue-700" : "border-emerald-300 dark:border-emerald-700"}`}>
            <p className="text-xs text-slate-700 dark:text-slate-300">
              {m.direction === "sent" ? t("messageSent", { bytes: m.bytes }) : t("messageReceived", { bytes: m.bytes })}
              {m.compressed && ` · ${t("messageCompressed")}`}
              {m.direction === "received" && ` · ${t("timing", { ms: m.ms })}`}
            </p>
            <pre className="overflow-x-auto font-mono text-xs whitespace-pre-wrap">{m.json}</pre>
          </li>
        ))}
      </ol>
      {end && (
        <>
          <h3 className="text-sm font-semibold">{t("trailersHeading")}</h3>
          <Fields rows={end.trailers} />
        </>
      )}
    </div>
  );
}
