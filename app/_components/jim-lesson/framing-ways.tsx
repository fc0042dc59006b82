"use client";
// Three correct ways to read JIM objects off a stream, each with the few lines of Python that do it: a delimiter
// (a newline after every object), a length prefix (struct's 4 bytes before every object), and an incremental decoder
// (json.JSONDecoder.raw_decode over a buffer, what the lab's server does for clients that use neither).

import { useT } from "@/app/_i18n/client";
import { Paragraphs } from "../lesson-kit/prose";

const DELIMITER = `# send: one object, then b"\\n"
sock.sendall(json.dumps(msg).encode("ascii") + b"\\n")

# receive: a file over the socket reads up to each b"\\n"
reader = sock.makefile("rb")
for line in reader:
    msg = json.loads(line)`;

const LENGTH = `# send: the length in 4 bytes (network order), then the object
data = json.dumps(msg).encode("ascii")
sock.sendall(struct.pack("!I", len(data)) + data)

# receive: exactly 4 bytes, then exactly that many
def recv_exactly(sock, n):
    buf = b""
    while len(buf) < n:
        part = sock.recv(n - len(buf))
        if not part:
            raise ConnectionError("closed")
        buf += part
    return buf

(size,) = struct.unpack("!I", recv_exactly(sock, 4))
msg = json.loads(recv_exactly(sock, size))`;

const DECODER = `# receive: keep what came, cut off every whole object
decoder = json.JSONDecoder()
buf = ""
while True:
    part = sock.recv(1024)
    if not part:
        break
    buf += part.decode("utf-8")  # see the note on split characters
    while True:
        buf = buf.lstrip()
        try:
            msg, end = decoder.raw_decode(buf)
        except json.JSONDecodeError:
            break  # not whole yet: wait for more bytes
        buf = buf[end:]
        handle(msg)`;

const WAYS = [
  { id: "delimiter", code: DELIMITER },
  { id: "length", code: LENGTH },
  { id: "decoder", code: DECODER },
] as const;

export function FramingWays() {
  const t = useT("jimLesson");
  const words = {
    delimiter: [t("wayDelimiterTitle"), t("wayDelimiterNote")],
    length: [t("wayLengthTitle"), t("wayLengthNote")],
    decoder: [t("wayDecoderTitle"), t("wayDecoderNote")],
  } as const;
  return (
    <ol className="space-y-4">
      {WAYS.map((way, i) => (
        <li key={way.id} className="space-y-2 rounded-lg border border-slate-200 p-3 dark:border-slate-700">
          <h3 className="text-lg font-semibold">
            {i + 1}. {words[way.id][0]}
          </h3>
          <pre className="overflow-x-auto rounded bg-slate-50 p-2 font-mono text-xs text-slate-900 dark:bg-slate-950 dark:text-slate-100" tabIndex={0} aria-label={words[way.id][0]}>
            {way.code}
          </pre>
          <Paragraphs texts={[words[way.id][1]]} className="text-sm leading-relaxed text-slate-800 dark:text-slate-200" />
        </li>
      ))}
    </ol>
  );
}
