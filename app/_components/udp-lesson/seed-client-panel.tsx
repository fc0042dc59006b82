"use client";
// Experiment 5: what seed 000's own client meets. Its send_message("BINARY_TEST", expect_binary=True) sends one
// datagram, calls recvfrom(1024) once and passes what it got to struct.unpack('If', ...). The server sends two
// datagrams, the text echo first: so the client unpacks the echo, and Python raises. The panel runs the same
// exchange on a new lab client socket and works out, from the bytes that really arrived and in their order, what
// that recvfrom() returned, what struct.unpack() says about it, and what the client's next read will find.

import { useT } from "@/app/_i18n/client";
import { Direction } from "@/gen/lab/v1/timeline_pb";
import { toHex, utf8, visibleText } from "../lesson-kit/bytes";
import { TimelineNotice } from "../lesson-kit/connection-state";
import { selectOnTimeline } from "../lesson-kit/navigate";
import { Code, Paragraphs, Rich } from "../lesson-kit/prose";
import { buttonPrimary, buttonSmall, ErrorText, Panel } from "../lesson-kit/ui";
import { isDuplicate } from "../timeline/describe";
import { datagrams, pythonUtf8Error, seedUnpack } from "./model";
import { useUdpFlow } from "./use-udp-flow";

const MESSAGE = "BINARY_TEST";
const latin1 = new TextDecoder("latin1");

/** Python's repr() of bytes, as print(response) would show them: b'UDP-ECHO: BINARY_TEST', b'*\x00\x00\x00\xc3\xf5H@'. */
export function pyBytesRepr(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) {
    if (b === 0x5c) out += "\\\\";
    else if (b === 0x27) out += "\\'";
    else if (b === 0x0a) out += "\\n";
    else if (b === 0x0d) out += "\\r";
    else if (b === 0x09) out += "\\t";
    else if (b >= 0x20 && b < 0x7f) out += latin1.decode(new Uint8Array([b]));
    else out += `\\x${b.toString(16).padStart(2, "0")}`;
  }
  return `b'${out}'`;
}

export function SeedClientPanel() {
  const t = useT("udpLesson");
  const udp = useUdpFlow("udp-echo");

  async function start() {
    const flow = await udp.openFresh();
    if (flow) await udp.send([utf8(MESSAGE)], flow);
  }

  const answers = datagrams(udp.events, Direction.SERVER_TO_CLIENT).filter((e) => !isDuplicate(e));
  const [first, second] = answers;
  const unpacked = first ? seedUnpack(first.data) : undefined;
  const nextRead = second ? pythonUtf8Error(second.data) : undefined;

  return (
    <Panel id="udp-seed" title={t("seedTitle")}>
      <Paragraphs texts={[t("seedP1"), t("seedP2")]} />
      <button type="button" className={buttonPrimary} disabled={udp.pending} onClick={() => void start()}>
        {t("seedButton")}
      </button>
      {udp.error && <ErrorText>{udp.error}</ErrorText>}
      {udp.flow && <TimelineNotice />}
      <div aria-live="polite" className="space-y-2 text-sm">
        {answers.length > 0 && (
          <div className="space-y-2 rounded border border-slate-200 p-3 dark:border-slate-700">
            <p className="font-medium">{t("seedOrder", { n: answers.length })}</p>
            <ol className="list-inside list-decimal space-y-1">
              {answers.map((e) => (
                <li key={String(e.seq)}>
                  <span className="font-mono break-all">{pyBytesRepr(e.data)}</span> <span className="text-slate-700 dark:text-slate-300">{t("listBytes", { n: e.length })}</span>{" "}
                  <button type="button" className={buttonSmall} onClick={() => selectOnTimeline(e.seq)}>
                    {t("listShow")}
                  </button>
                </li>
              ))}
            </ol>
          </div>
        )}
        {first && unpacked && (
          <div className="space-y-2 rounded border border-slate-200 p-3 dark:border-slate-700">
            <p>
              <Rich text={t("seedRecv", { repr: pyBytesRepr(first.data), n: first.length })} />
            </p>
            <p>
              <Code>{"struct.unpack('If', response)"}</Code>
            </p>
            {unpacked.ok ? (
              <p>
                <Rich text={t("seedUnpackOk", { values: unpacked.values })} />
              </p>
            ) : (
              <p className="rounded bg-red-50 p-2 font-mono text-red-900 dark:bg-red-950 dark:text-red-100" data-testid="seed-error">
                {unpacked.error}
              </p>
            )}
            {!unpacked.ok && <p>{t("seedExplain", { n: first.length })}</p>}
          </div>
        )}
        {second && (
          <div className="space-y-2 rounded border border-slate-200 p-3 dark:border-slate-700">
            <p>
              <Rich text={t("seedQueued", { hex: toHex(second.data), n: second.length })} />
            </p>
            {nextRead ? (
              <p>
                <Rich text={t("seedNextRead", { error: `UnicodeDecodeError: ${nextRead}` })} />
              </p>
            ) : (
              <p>
                <Rich text={t("seedNextReadText", { text: visibleText(new TextDecoder().decode(second.data)) })} />
              </p>
            )}
          </div>
        )}
      </div>
      <Paragraphs texts={[t("seedFix")]} />
    </Panel>
  );
}
