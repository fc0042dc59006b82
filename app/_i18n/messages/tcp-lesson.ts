// UI text of lesson 1, "Sockets and TCP": what its panels, diagrams and segment explanations say. The
// lesson's prose is MDX (app/lessons/tcp/content.<locale>.mdx). `backticks` mark code (see
// app/_components/lesson-kit/prose.tsx). Facts come from the course's seed documents 000, 002 and 003;
// the wording is the lab's own.

import { defineMessages } from "../define";

export default defineMessages({
  en: {
    errorText: "The lesson failed to show. The lab's servers keep running: try again, or go back to the lessons.",

    timeTitle: "1. The time server, port {port}",
    timeP1:
      "The simplest server there is: it accepts a connection, writes the current time and closes. The client sends nothing at all; it connects and reads until the server closes.",
    timeP2:
      "The time is the lab host's local time in ISO 8601 form: the date, the letter `T`, then the time with microseconds. A newline follows, and a newline is a byte too: you will see it written as `\\n`.",
    timeConnect: "Connect to the time server",
    timeReceived: "{n, plural, one {Received # byte:} other {Received # bytes:}}",
    timeClosed:
      "Then the server closed the connection, and the client's `recv()` returned 0 bytes. With this server, that is the only sign that the answer is complete.",

    greetingTitle: "2. The greeting server, port {port}: characters and bytes",
    greetingP1: "The greeting server reads one message, answers `Привет, клиент` and closes the connection.",
    greetingP2:
      "A network carries bytes, not letters. Before sending, a program encodes its text into bytes; after receiving, it decodes the bytes back into text, and both sides must agree on the encoding. In Python that is `text.encode(\"utf-8\")` and `data.decode(\"utf-8\")`.",
    greetingP3:
      "In UTF-8, Latin letters, digits, spaces and punctuation take one byte each, and every Cyrillic letter takes two. So `Привет, клиент` is 14 characters but 26 bytes: 12 letters of two bytes, plus a comma and a space. Older Russian encodings such as cp1251 and koi8-r spend one byte per letter, which is why text decoded with the wrong encoding turns into gibberish.",
    greetingInput: "Message to send",
    greetingSend: "Connect and send",
    greetingCounts: "Characters: {chars} · bytes in UTF-8: {n}",
    greetingBreakdown: "Each character with its UTF-8 bytes (a thick border marks characters of two bytes or more):",
    greetingCharBytes: "{n, plural, one {# byte} other {# bytes}}",
    greetingBreakdownCut: "Only the first {n} characters are shown.",
    greetingTableCaption: "What crossed the connection",
    greetingColText: "Text",
    greetingColChars: "Characters",
    greetingColBytes: "Bytes",
    greetingRowSent: "You sent",
    greetingRowAnswer: "The server answered",

    echoTitle: "3. The echo server, port {port}",
    echoP1:
      "This server keeps the connection open. As soon as you connect, it sends a welcome with your address as it sees it, the client's IP and port: `Welcome to TCP Server! Your address: ('127.0.0.1', 54321)`.",
    echoP2:
      "After that, each time its `recv(1024)` returns data, it answers `ECHO: ` and what it read, with spaces and newlines trimmed from both ends and no newline added. Send `time` and it also sends its clock; send `exit` and it says `Goodbye!` and closes.",
    echoP3:
      "Try the half-close as well. After it your side can no longer send, but it can still read. The server's `recv()` returns 0 bytes, which this server takes to mean that the client is done, so it closes too.",
    echoConnect: "Connect",
    echoReconnect: "Connect again",
    echoHalfClose: "Half-close (shutdown)",
    echoClose: "Close",
    echoModeLegend: "Type the message as",
    echoModeText: "text (UTF-8)",
    echoModeHex: "hex bytes",
    echoInputText: "Message",
    echoInputHex: "Bytes in hex, for example 68 69 0a",
    echoNewline: "Add a newline at the end, as nc does when you press Enter:",
    echoPreview: "{n, plural, one {Will send # byte:} other {Will send # bytes:}}",
    hexBadChar: "Use only the hex digits 0–9 and a–f; spaces between bytes are fine.",
    hexOddLength: "Each byte needs two hex digits; one digit is missing.",
    echoSend: "Send",
    echoQuick: "Quick commands:",
    echoQuickSend: "Send",
    echoConnectFirst: "Connect first; then you can send messages.",
    echoLastAnswer:
      "{n, plural," +
      " one {The server's latest answer, # byte (one box per DATA event on the timeline):}" +
      " other {The server's latest answer, # bytes (one box per DATA event on the timeline):}}",

    streamTitle: "4. A stream, not messages",
    streamP1:
      "TCP delivers every byte, in order, but it does not keep the borders between your `send()` calls. A reader's `recv()` returns whatever has arrived by then: two sends can come out of one read, and one send can take many reads.",
    streamP2:
      "Button A makes two `send()` calls straight after each other, `ping` and `pong`, on a fresh connection to the echo server. Button B makes one `send()` of 100 KB. The echo server gives one `ECHO:` answer for every `recv(1024)`, so counting its answers counts its reads.",
    streamP3:
      "Whether the two small writes arrive together depends on timing: how quickly the server gets to its next `recv()`, and how the operating system schedules the two programs. In this lab the client and the servers run in one program, so the server usually gets to read only after both writes are done; a client on another computer may well see them apart. Run A several times. What you see below is what really happened on that connection, counted from the timeline; nothing is simulated.",
    streamP4:
      "So a protocol built on TCP has to mark where its messages end by itself: with a newline, with the message's length written before it, or by closing the connection, as the time server does. Every protocol in the following lessons uses one of these.",
    streamPairButton: "A: two writes, ping and pong",
    streamBulkButton: "B: one write of 100 KB",
    streamWaiting: "Waiting for the echo server's answers…",
    streamDone:
      "{n, plural," +
      " one {Done: the server read the data in # recv() call.}" +
      " other {Done: the server read the data in # recv() calls.}}",
    streamTimedOut:
      "Stopped waiting: {got} of {total} bytes came back within 10 seconds. The timeline may have dropped events, or the server stopped answering.",
    streamPairWrites: "You made two `send()` calls, back to back: `ping` (4 bytes), then `pong` (4 bytes).",
    streamBulkWrites: "You made one `send()` call with {n} bytes.",
    streamReads:
      "{n, plural," +
      " one {The server's `recv(1024)` has returned data # time:}" +
      " other {The server's `recv(1024)` has returned data # times:}}",
    streamSizes: "Bytes per read:",
    streamDataEvents:
      "{n, plural," +
      " one {The timeline shows # DATA arrow from client to server: one chunk that the server's socket read from the operating system.}" +
      " other {The timeline shows # DATA arrows from client to server: each is one chunk that the server's socket read from the operating system.}}",
    streamPairJoined:
      "This time both writes had arrived before the server read, and one `recv()` returned `pingpong`: the border between your two messages is gone.",
    streamPairSeparate:
      "This time the server read `ping` and `pong` in two separate `recv()` calls. Nothing guaranteed that: the server was simply quick enough. Run it again, or imagine a busy server that reads a moment later.",
    streamPairOther:
      "This time the bytes were cut into pieces that do not match your two writes. TCP allows any split, as long as the bytes keep their order.",
    streamBulkExplained:
      "{n, plural," +
      " one {One `send()` became # read on the server.}" +
      " other {One `send()` became # reads of at most 1024 bytes on the server. The operating system handed the 100 KB to the server in the chunks you see as DATA arrows (a Node.js server takes up to 64 KB at once); the echo server then cuts each chunk 1024 bytes at a time, just as the course's Python server gets it from `recv(1024)`.}}",

    diagramLead: "The calls behind one connection of the lab's client: ✓ done (×2: twice), ▶ the latest step, ○ not yet.",
    diagramFollow: "Connection:",
    diagramLatest: "The latest connection",
    diagramLatestOf: "The latest connection ({label})",
    diagramConversation: "{service}, client port {port}",
    diagramEmpty: "No connection yet. Run one of the experiments and watch the calls light up.",
    diagramClient: "Client (the lab's)",
    diagramServer: "Server",
    sideClient: "client",
    sideServer: "server",
    callAtStart: "at lab start",
    callNotYet: "not yet",
    callNow: "now",
    callFailed: "failed: {code}",
    callCount: "{n, plural, one {once} other {# times}}",
    callBytes: "{n, plural, one {(# byte)} other {(# bytes)}}",
    callEof: "returned 0 bytes: the other side has finished sending",
    callTimes: "×{times}, {n, plural, one {# byte} other {# bytes}} each",
    stepError: "The call failed: {code}. {message}",
    latestCall: "Latest: {text}",
    diagramSteps: "Steps of this connection: {n}",
    diagramMore: "{n, plural, one {… and # more step like this one} other {… and # more steps like these}} ({total} in all)",

    termTime: "Time server, port {port}",
    termGreeting: "Greeting server, port {port}",
    termEcho: "Echo server, port {port}",
    termNc: "nc",
    termPython: "Python",
    termTimeNote:
      "nc prints the time and exits when the server closes: `-d` tells it not to read your keyboard, which it would otherwise go on doing after the server has gone. No nc? On Debian or Ubuntu: `sudo apt install netcat-openbsd`; macOS has one. The Python program prints the text with `repr()`, so you can see the `\\n` at its end.",
    termGreetingNote:
      "`printf '%s'` sends the message without a newline. The Python program prints the answer and its length in bytes: 26, for 14 characters.",
    termEchoNote:
      "In nc, each line you type is sent when you press Enter, newline included; the server trims it before answering. Type `exit`: the server says `Goodbye!` and closes, and nc ends once you press Enter or Ctrl+D (it is still reading your keyboard), or at once with Ctrl+C. The Python program reads the welcome, sends `hello`, then `exit`, and reads until the server closes.",

    captureOffExpect:
      "With capture on, this panel lists the connection's segments in order, each with the numbers from its header: the client's SYN, the server's SYN-ACK and the client's ACK; the welcome and its ACK; `hello`, its ACK and the echo; the client's FIN after the half-close; then the server's FIN and the last ACK.",

    hsTitle: "5. The handshake, the data and the FINs, segment by segment",
    hsP1:
      "The button opens a connection to the echo server, waits for the welcome, sends `hello` (5 bytes), waits for the echo and then half-closes. The echo server's `recv()` returns 0 bytes, so it closes its side too. Below is every segment the capture recorded for this connection, in order, with its real values.",
    hsButton: "Connect to the echo server and watch the handshake",
    hsStepConnecting: "Connecting…",
    hsStepWelcome: "Connected; waiting for the welcome…",
    hsStepSending: "Sending hello…",
    hsStepEcho: "Waiting for the echo…",
    hsStepHalfClose: "Half-closing (shutdown)…",
    hsStepDone: "Done: the client has half-closed. The server's FIN follows once its recv() has returned 0 bytes.",
    hsStepFailed: "The experiment stopped: see the message below.",
    hsCount:
      "{n, plural," +
      " one {# segment of this connection has reached the timeline.}" +
      " other {# segments of this connection have reached the timeline.}}",
    hsNoSegments:
      "No segments of this connection have reached the timeline. The timeline may be paused, or the capture may have stopped.",
    hsListLabel: "Segments of the connection, in order",
    hsDirectionClient: "client → server",
    hsDirectionServer: "server → client",
    hsShow: "Show in the header diagram",
    hsShowWhich: "segment {n}",

    rstTitle: "6. A closed port: the reset",
    rstP1: "The lab keeps port {port} closed: no program listens there. The button makes the lab's client call `connect()` to that port.",
    rstP1Unknown: "The lab keeps one port closed: no program listens there. The button makes the lab's client call `connect()` to it.",
    rstP2:
      "The kernel answers the SYN with a reset by itself, because nothing listens there: no program has to run for a connection to be refused.",
    rstButton: "Connect to a closed port ({port})",
    rstButtonUnknown: "Connect to the closed port",
    rstPending: "Connecting…",
    rstRefused: "`connect()` failed with `ECONNREFUSED` (connection refused): the system at the other end answered the SYN with RST, ACK, because no program listens on that port.",
    rstCallFailed: "The lab could not open the connection ({code}): {message}",
    rstTimelineError: "The timeline recorded an error for this attempt: {code}. {message}",
    rstTimelineRefused:
      "The timeline shows the attempt as one event, “connect() refused: ECONNREFUSED”, not as a connection: the client's kernel got a reset in answer to its SYN, so no connection was opened, nothing was accepted, and there is nothing to close. In Python the same refusal is a `ConnectionRefusedError`.",
    rstWaiting: "Waiting for the timeline's record of the attempt…",
    rstNoRecord: "The timeline has no record of this attempt. It may be paused, or the lab host may be older than this page.",
    rstOpened: "The connection opened: something does listen on that port. The lab has closed it again.",
    rstCaptureOff:
      "The lab is not capturing packets (see the previous experiment for how to enable it), so the SYN and the reset themselves cannot be shown here: only the refused `connect()`, which is all the socket API reports.",
    rstNoSegments: "No segments of this attempt have reached the timeline.",
    rstListLabel: "Segments of the refused connection",

    optMss: "MSS {value}",
    optSackPermitted: "SACK permitted",
    optTimestamps: "timestamps",
    optTimestampsValues: "timestamps (TSval {val}, TSecr {ecr})",
    optWscale: "window scale {shift} (×{factor})",
    optSack: "SACK {blocks}",
    optOther: "{n, plural, one {option {kind} (# byte)} other {option {kind} (# bytes)}}",

    segRawOnly: "{raw} (raw: this side's SYN was not captured)",
    segWindow: "window {window}",
    segWindowScaled: "{n, plural, one {window {window} × {factor} = # byte} other {window {window} × {factor} = # bytes}}",
    segOptions: ", options: {options}",
    segHeadSyn: "SYN from {from}: seq {seq} (raw {raw}), {window}{options}",
    segHeadSynAck: "SYN-ACK from {from}: seq {seq} (raw {raw}), ack {ack}, {window}{options}",
    segHeadAck: "ACK from {from}: seq {seq}, ack {ack}, {window}",
    segHeadData: "Data from {from}: seq {seq}, Len {n}, ack {ack}, {window}",
    segHeadFin: "FIN from {from}: seq {seq}, ack {ack}",
    segHeadFinData: "FIN with data from {from}: seq {seq}, Len {n}, ack {ack}",
    segHeadRst: "RST from {from}: seq {seq}",
    segHeadRstAck: "RST, ACK from {from}: seq {seq}, ack {ack}",
    segHeadRstRefused: "RST, ACK from {from}: Seq=1 Ack={ack} as the timeline shows them; on the wire seq {rawSeq}, ack {rawAck}",
    segHeadOther: "Segment from {from}: flags {flags}, seq {seq}, ack {ack}",
    segNoFlags: "none",
    segNoteSyn:
      "The client asks for a connection. Its ISN is random, so the raw number differs on every run; counted from the ISN, this SYN is seq 0. The SYN uses one sequence number, so the client's first data byte will be seq 1.",
    segNoteSynAck:
      "The server accepts and sends its own random ISN. ack {ack} = the peer's seq + 1: the SYN used one number, so the next thing expected is number 1.",
    segNoteSynAckOdd: "The server accepts and sends its own random ISN; its ack does not match a captured SYN.",
    segNoteHandshakeAck:
      "ack {ack} = the peer's seq + 1. With this third segment the handshake is complete: each side knows the other's ISN, and the connection is established.",
    segNoteData: "Seq grows by the payload's length: the next new byte from this side will be seq {next}.",
    segNotePiggyback:
      "{n, plural," +
      " one {The same segment confirms # byte from the other side: the ACK rides on the data.}" +
      " other {The same segment confirms # bytes from the other side: the ACK rides on the data.}}",
    segNoteAckedData:
      "{n, plural," +
      " one {Confirms # more byte: everything before {ack} has arrived.}" +
      " other {Confirms # more bytes: everything before {ack} has arrived.}}",
    segNoteAckedDataAfter:
      "{n, plural," +
      " one {Confirms # more byte (everything before {ack} has arrived), {ms} ms after it was sent.}" +
      " other {Confirms # more bytes (everything before {ack} has arrived), {ms} ms after they were sent.}}",
    segNoteDelayedAck:
      "The receiver held this ACK back, in case it could travel with a reply: a delayed ACK. No reply came, so the timer sent it alone.",
    segNoteAckedFin: "Confirms the other side's FIN: ack {ack} = the FIN's seq + 1.",
    segNoteAckNothingNew: "Confirms nothing new: a repeated ACK or a window update.",
    segNoteFinClient:
      "The client will send nothing more (`shutdown()` or `close()`), but it can still receive. The FIN uses one sequence number, so its ACK will say {next}.",
    segNoteFinServer:
      "The server will send nothing more: it is closing its side. The FIN uses one sequence number, so its ACK will say {next}.",
    segNoteFinNoNumbers: "This side will send nothing more. The FIN uses one sequence number, acknowledged like a byte.",
    segNoteRstRefused:
      "Nothing listens on port {port}, so the kernel answers the SYN itself with a reset, and `connect()` fails with ECONNREFUSED. The ack on the wire, {rawAck}, is the SYN's seq + 1: it names the SYN being refused (relative ack {ack}). The seq on the wire is 0 because this side never chose an ISN; the timeline, like Wireshark, counts a side whose SYN it did not see from one before its first seq, so it shows Seq=1.",
    segNoteRst: "A reset: the connection is dropped on both sides at once, without the FIN exchange, and undelivered data is lost.",
    segNoteRetransmission: "This side sent these bytes before: a retransmission.",
    segUnreadable: "A captured packet the lesson cannot read as TCP over IP (link type {linkType}).",

    headerCaption: "The TCP header, 32 bits a row",
    headerCaptionOf: "The TCP header of the segment {flags} from {from}, 32 bits a row",
    headerShowingSelected: "The segment selected on the timeline: {summary}",
    headerShowingLatest: "The latest segment of your latest connection: {summary}. Select another segment on the timeline to see its values.",
    headerEmptyCapture:
      "No segment to show yet. Run one of the experiments above, or select a segment on the timeline, and the table fills with its real values.",
    headerEmptyNoCapture:
      "The lab is not capturing packets, so there is no segment to fill the table with: it shows the fields only.",
    headerRoute: "From {from} to {to}. The IP addresses are not part of the TCP header: they travel in the IP header in front of it.",
    headerPayload: "{n, plural, one {After the header: # byte of payload.} other {After the header: # bytes of payload.}}",
    headerNoPayload: "No payload: this segment is the header alone.",
    headerBytesCol: "Bytes",
    headerBits: "Bits 0 to 31",
    headerNoValue: "no value",
    headerFlagSet: "set",
    headerFlagClear: "not set",
    headerExplanations: "What each field means",
    headerRegion: "TCP header diagram",
    hdrRawOnly: "{raw} (raw)",
    hdrRelRaw: "{rel} · raw {raw}",
    hdrAckUnused: "{raw} (unused: the ACK flag is 0)",
    hdrOffsetValue: "{words} = {bytes} B",
    hdrWindowScaled: "{window} × {factor} = {n} B",
    hdrChecksumCorrect: "{hex}, correct",
    hdrChecksumOffload: "{hex}, left unfinished (offload)",
    hdrChecksumUnknown: "{hex}",
    hdrUrgentUnused: "{value} (unused)",
    hdrOptionsBytes: "20–…",
    hdrOptionsValue: "{n, plural, one {{options} (# byte)} other {{options} (# bytes)}}",
    hdrPaddingValue: "{n, plural, =0 {none: the options end on a 32-bit boundary} one {# byte (end of options, zeros)} other {# bytes (end of options, zeros)}}",

    fieldSrcPort: "Source port",
    fieldSrcPortBlurb: "The port of the socket that sent the segment. A client's port is picked by its operating system when `connect()` runs.",
    fieldDstPort: "Destination port",
    fieldDstPortBlurb:
      "The port of the socket the segment is for: in a segment to the echo server, the port it listens on. The two ports and the two IP addresses together name the connection.",
    fieldSeq: "Sequence number",
    fieldSeqBlurb:
      "The number of the segment's first payload byte in the sender's stream (in a SYN: the ISN itself). Shown relative to the ISN, from 0, and raw.",
    fieldAck: "Acknowledgment number",
    fieldAckBlurb: "Valid when the ACK flag is set: the next byte the sender expects from the other side. Everything before it has arrived.",
    fieldDataOffset: "Data offset",
    fieldDataOffsetShort: "Offset",
    fieldDataOffsetBlurb:
      "The header's length in 32-bit words: 5 (20 bytes) without options, 15 (60 bytes) at most. The payload starts right after it.",
    fieldReserved: "Reserved",
    fieldReservedShort: "Res.",
    fieldReservedBlurb: "Bits kept for future use; senders write zeros. The course's drawing shows six reserved bits, from before ECN took two of them.",
    fieldCwr: "CWR, congestion window reduced",
    fieldCwrBlurb: "ECN (RFC 3168): the sender has slowed down after being told of congestion. Part of \"Reserved\" in the course's drawing.",
    fieldEce: "ECE, ECN echo",
    fieldEceBlurb:
      "ECN: the receiver reports that a router marked congestion (in a SYN: the sender can use ECN). Part of \"Reserved\" in the course's drawing.",
    fieldUrg: "URG, urgent",
    fieldUrgBlurb: "The urgent pointer is valid. Hardly used today.",
    fieldAckFlag: "ACK, acknowledgment",
    fieldAckFlagBlurb: "The acknowledgment number is valid. Set in every segment except the very first SYN.",
    fieldPsh: "PSH, push",
    fieldPshBlurb: "Pass the data to the application now, without waiting for more. Senders set it on the last segment of a write.",
    fieldRst: "RST, reset",
    fieldRstBlurb: "Abort the connection at once, or refuse it: the answer to a SYN for a port where nothing listens.",
    fieldSyn: "SYN, synchronise",
    fieldSynBlurb: "Opens a connection and carries the sender's ISN. Only in the first segment from each side; it uses one sequence number.",
    fieldFin: "FIN, finish",
    fieldFinBlurb: "The sender has no more data for this direction. It uses one sequence number and is acknowledged like a byte.",
    fieldWindow: "Window",
    fieldWindowBlurb:
      "How many more bytes the sender of this segment can receive now. After the SYNs it is multiplied by 2 to the window-scale shift that side announced.",
    fieldChecksum: "Checksum",
    fieldChecksumBlurb:
      "Covers the header, the payload and the IP addresses. A sender may leave it for the network card to finish (checksum offload); on loopback no card does, so a capture there often shows it unfinished.",
    fieldUrgentPointer: "Urgent pointer",
    fieldUrgentPointerBlurb: "With URG set: where the urgent data ends. Otherwise unused, normally 0.",
    fieldOptions: "Options",
    fieldOptionsBlurb:
      "Extras after the 20 fixed bytes. SYNs carry MSS (the largest payload the sender accepts), SACK permitted, timestamps and window scale; later segments mostly timestamps.",
    fieldPadding: "Padding",
    fieldPaddingBlurb: "The end-of-options byte and the zeros after it, so that the header is a whole number of 32-bit words. A NOP between two options is not padding: it is an option of its own that aligns the next one.",
  },
  ru: {
    errorText: "Урок не удалось показать. Серверы лаборатории продолжают работать: попробуйте снова или вернитесь к урокам.",

    timeTitle: "1. Сервер времени, порт {port}",
    timeP1:
      "Самый простой сервер из возможных: принимает соединение, записывает текущее время и закрывает соединение. Клиент ничего не отправляет: он подключается и читает, пока сервер не закроет соединение.",
    timeP2:
      "Время — местное время компьютера, на котором работает лаборатория, в формате ISO 8601: дата, буква `T`, затем время с микросекундами. Следом идёт перевод строки, а он тоже байт: вы увидите его как `\\n`.",
    timeConnect: "Подключиться к серверу времени",
    timeReceived: "{n, plural, one {Получен # байт:} few {Получено # байта:} many {Получено # байт:} other {Получено # байта:}}",
    timeClosed:
      "Затем сервер закрыл соединение, и `recv()` клиента вернул 0 байт. У этого сервера это единственный признак того, что ответ получен целиком.",

    greetingTitle: "2. Сервер приветствия, порт {port}: символы и байты",
    greetingP1: "Сервер приветствия читает одно сообщение, отвечает `Привет, клиент` и закрывает соединение.",
    greetingP2:
      "Сеть передаёт байты, а не буквы. Перед отправкой программа кодирует текст в байты, после получения — декодирует байты обратно в текст, и обе стороны должны использовать одну и ту же кодировку. В Python это `text.encode(\"utf-8\")` и `data.decode(\"utf-8\")`.",
    greetingP3:
      "В UTF-8 латинские буквы, цифры, пробелы и знаки препинания занимают по одному байту, а каждая буква кириллицы — два. Поэтому `Привет, клиент` — это 14 символов, но 26 байт: 12 букв по два байта, запятая и пробел. Старые русские кодировки, например cp1251 и koi8-r, тратят на букву один байт — вот почему текст, декодированный не той кодировкой, превращается в «кракозябры».",
    greetingInput: "Сообщение для отправки",
    greetingSend: "Подключиться и отправить",
    greetingCounts: "Символов: {chars} · байтов в UTF-8: {n}",
    greetingBreakdown: "Каждый символ и его байты в UTF-8 (толстая рамка — у символов из двух байтов и больше):",
    greetingCharBytes: "{n, plural, one {# байт} few {# байта} many {# байт} other {# байта}}",
    greetingBreakdownCut: "Показаны только первые {n} символов.",
    greetingTableCaption: "Что прошло по соединению",
    greetingColText: "Текст",
    greetingColChars: "Символы",
    greetingColBytes: "Байты",
    greetingRowSent: "Вы отправили",
    greetingRowAnswer: "Сервер ответил",

    echoTitle: "3. Эхо-сервер, порт {port}",
    echoP1:
      "Этот сервер держит соединение открытым. Сразу после подключения он присылает приветствие с вашим адресом — таким, каким его видит сервер: IP и порт клиента, например `Welcome to TCP Server! Your address: ('127.0.0.1', 54321)`.",
    echoP2:
      "Дальше каждый раз, когда его `recv(1024)` возвращает данные, он отвечает `ECHO: ` и прочитанным — без пробелов и переводов строки по краям и без перевода строки в конце. Отправьте `time`, и он пришлёт ещё и своё время; отправьте `exit`, и он ответит `Goodbye!` и закроет соединение.",
    echoP3:
      "Попробуйте и полузакрытие. После него ваша сторона уже не может отправлять, но ещё может читать. `recv()` на сервере возвращает 0 байт, а этот сервер понимает это как «клиент закончил» и тоже закрывает соединение.",
    echoConnect: "Подключиться",
    echoReconnect: "Подключиться снова",
    echoHalfClose: "Полузакрыть (shutdown)",
    echoClose: "Закрыть",
    echoModeLegend: "Как вводить сообщение",
    echoModeText: "текстом (UTF-8)",
    echoModeHex: "байтами в hex",
    echoInputText: "Сообщение",
    echoInputHex: "Байты в шестнадцатеричном виде, например 68 69 0a",
    echoNewline: "Добавить перевод строки в конце, как делает nc при нажатии Enter:",
    echoPreview:
      "{n, plural," +
      " one {Будет отправлен # байт:}" +
      " few {Будет отправлено # байта:}" +
      " many {Будет отправлено # байт:}" +
      " other {Будет отправлено # байта:}}",
    hexBadChar: "Используйте только шестнадцатеричные цифры 0–9 и a–f; пробелы между байтами допустимы.",
    hexOddLength: "На каждый байт нужны две шестнадцатеричные цифры, одной не хватает.",
    echoSend: "Отправить",
    echoQuick: "Быстрые команды:",
    echoQuickSend: "Отправить",
    echoConnectFirst: "Сначала подключитесь, потом можно отправлять сообщения.",
    echoLastAnswer:
      "{n, plural," +
      " one {Последний ответ сервера, # байт (по рамке на каждое событие DATA на шкале):}" +
      " few {Последний ответ сервера, # байта (по рамке на каждое событие DATA на шкале):}" +
      " many {Последний ответ сервера, # байт (по рамке на каждое событие DATA на шкале):}" +
      " other {Последний ответ сервера, # байта (по рамке на каждое событие DATA на шкале):}}",

    streamTitle: "4. Поток, а не сообщения",
    streamP1:
      "TCP доставляет все байты и в том же порядке, но не сохраняет границы между вашими вызовами `send()`. `recv()` у читающей стороны возвращает всё, что успело прийти: два вызова send могут прийти за одно чтение, а один может потребовать многих.",
    streamP2:
      "Кнопка A делает два вызова `send()` подряд, `ping` и `pong`, в новом соединении с эхо-сервером. Кнопка B делает один `send()` на 100 КБ. На каждый `recv(1024)` эхо-сервер даёт один ответ `ECHO:`, поэтому, считая ответы, мы считаем его чтения.",
    streamP3:
      "Придут ли две короткие записи вместе, зависит от времени: от того, как быстро сервер дойдёт до следующего `recv()` и как операционная система распределит время между двумя программами. В лаборатории клиент и серверы работают в одной программе, поэтому сервер обычно успевает прочитать только после обеих записей; клиент на другом компьютере вполне может увидеть их раздельно. Нажмите A несколько раз. Ниже показано то, что действительно произошло в этом соединении, — по событиям временной шкалы, без всякой симуляции.",
    streamP4:
      "Поэтому протокол поверх TCP должен сам отмечать, где кончается сообщение: переводом строки, длиной, записанной перед сообщением, или закрытием соединения, как делает сервер времени. Каждый протокол в следующих уроках использует один из этих способов.",
    streamPairButton: "A: две записи, ping и pong",
    streamBulkButton: "B: одна запись на 100 КБ",
    streamWaiting: "Ждём ответов эхо-сервера…",
    streamDone:
      "{n, plural," +
      " one {Готово: сервер прочитал данные за # вызов recv().}" +
      " few {Готово: сервер прочитал данные за # вызова recv().}" +
      " many {Готово: сервер прочитал данные за # вызовов recv().}" +
      " other {Готово: сервер прочитал данные за # вызова recv().}}",
    streamTimedOut:
      "Ожидание остановлено: за 10 секунд вернулось {got} из {total} байт. Возможно, шкала потеряла часть событий или сервер перестал отвечать.",
    streamPairWrites: "Вы сделали два вызова `send()` подряд: `ping` (4 байта), затем `pong` (4 байта).",
    streamBulkWrites: "Вы сделали один вызов `send()` на {n} байт.",
    streamReads:
      "{n, plural," +
      " one {`recv(1024)` на сервере вернул данные # раз:}" +
      " few {`recv(1024)` на сервере вернул данные # раза:}" +
      " many {`recv(1024)` на сервере вернул данные # раз:}" +
      " other {`recv(1024)` на сервере вернул данные # раза:}}",
    streamSizes: "Байтов за одно чтение:",
    streamDataEvents:
      "{n, plural," +
      " one {На шкале # стрелка DATA от клиента к серверу: один кусок, который сокет сервера прочитал у операционной системы.}" +
      " few {На шкале # стрелки DATA от клиента к серверу: каждая — один кусок, который сокет сервера прочитал у операционной системы.}" +
      " many {На шкале # стрелок DATA от клиента к серверу: каждая — один кусок, который сокет сервера прочитал у операционной системы.}" +
      " other {На шкале # стрелки DATA от клиента к серверу: каждая — один кусок, который сокет сервера прочитал у операционной системы.}}",
    streamPairJoined:
      "На этот раз обе записи успели прийти до того, как сервер начал читать, и один `recv()` вернул `pingpong`: граница между вашими двумя сообщениями пропала.",
    streamPairSeparate:
      "На этот раз сервер прочитал `ping` и `pong` двумя отдельными вызовами `recv()`. Это ничем не гарантировано: сервер просто успел. Запустите ещё раз или представьте загруженный сервер, который читает чуть позже.",
    streamPairOther:
      "На этот раз байты разрезаны на куски, не совпадающие с вашими двумя записями. TCP допускает любое разбиение, лишь бы байты шли по порядку.",
    streamBulkExplained:
      "{n, plural," +
      " one {Один `send()` превратился на сервере в # чтение.}" +
      " few {Один `send()` превратился на сервере в # чтения по 1024 байта или меньше. Операционная система отдала серверу 100 КБ кусками, которые видны на шкале как стрелки DATA (сервер на Node.js берёт до 64 КБ за раз); затем эхо-сервер режет каждый кусок по 1024 байта — ровно так, как их получил бы `recv(1024)` у Python-сервера из курса.}" +
      " many {Один `send()` превратился на сервере в # чтений по 1024 байта или меньше. Операционная система отдала серверу 100 КБ кусками, которые видны на шкале как стрелки DATA (сервер на Node.js берёт до 64 КБ за раз); затем эхо-сервер режет каждый кусок по 1024 байта — ровно так, как их получил бы `recv(1024)` у Python-сервера из курса.}" +
      " other {Один `send()` превратился на сервере в # чтения по 1024 байта или меньше. Операционная система отдала серверу 100 КБ кусками, которые видны на шкале как стрелки DATA (сервер на Node.js берёт до 64 КБ за раз); затем эхо-сервер режет каждый кусок по 1024 байта — ровно так, как их получил бы `recv(1024)` у Python-сервера из курса.}}",

    diagramLead: "Вызовы, стоящие за одним соединением клиента лаборатории: ✓ — выполнен (×2 — дважды), ▶ — последний шаг, ○ — ещё нет.",
    diagramFollow: "Соединение:",
    diagramLatest: "Последнее соединение",
    diagramLatestOf: "Последнее соединение ({label})",
    diagramConversation: "{service}, порт клиента {port}",
    diagramEmpty: "Соединений пока нет. Запустите один из экспериментов и смотрите, как загораются вызовы.",
    diagramClient: "Клиент (лаборатории)",
    diagramServer: "Сервер",
    sideClient: "клиент",
    sideServer: "сервер",
    callAtStart: "при запуске лаборатории",
    callNotYet: "ещё нет",
    callNow: "сейчас",
    callFailed: "не удался: {code}",
    callCount: "{n, plural, one {# раз} few {# раза} many {# раз} other {# раза}}",
    callBytes: "{n, plural, one {(# байт)} few {(# байта)} many {(# байт)} other {(# байта)}}",
    callEof: "вернул 0 байт: другая сторона закончила отправку",
    callTimes: "×{times}, {n, plural, one {по # байту} few {по # байта} many {по # байт} other {по # байта}}",
    stepError: "Вызов не удался: {code}. {message}",
    latestCall: "Последний шаг: {text}",
    diagramSteps: "Шаги этого соединения: {n}",
    diagramMore: "{n, plural, one {… и ещё # такой же шаг} few {… и ещё # таких же шага} many {… и ещё # таких же шагов} other {… и ещё # таких же шага}} (всего {total})",

    termTime: "Сервер времени, порт {port}",
    termGreeting: "Сервер приветствия, порт {port}",
    termEcho: "Эхо-сервер, порт {port}",
    termNc: "nc",
    termPython: "Python",
    termTimeNote:
      "nc печатает время и завершается, когда сервер закрывает соединение: ключ `-d` велит ему не читать клавиатуру, иначе он продолжал бы её читать и после ухода сервера. Нет nc? В Debian или Ubuntu: `sudo apt install netcat-openbsd`; в macOS он есть. Программа на Python печатает текст через `repr()`, чтобы был виден `\\n` в конце.",
    termGreetingNote:
      "`printf '%s'` отправляет сообщение без перевода строки. Программа на Python печатает ответ и его длину в байтах: 26 — при 14 символах.",
    termEchoNote:
      "В nc каждая набранная строка отправляется по Enter вместе с переводом строки; сервер отрезает его перед ответом. Наберите `exit`: сервер ответит `Goodbye!` и закроет соединение, а nc завершится, когда вы нажмёте Enter или Ctrl+D (он всё ещё читает клавиатуру), или сразу по Ctrl+C. Программа на Python читает приветствие, отправляет `hello`, затем `exit` и читает, пока сервер не закроет соединение.",

    captureOffExpect:
      "С захватом эта панель перечисляет сегменты соединения по порядку, каждый — с числами из его заголовка: SYN клиента, SYN-ACK сервера и ACK клиента; приветствие и его подтверждение; `hello`, его подтверждение и эхо; FIN клиента после полузакрытия; затем FIN сервера и последний ACK.",

    hsTitle: "5. Рукопожатие, данные и FIN — сегмент за сегментом",
    hsP1:
      "Кнопка открывает соединение с эхо-сервером, ждёт приветствия, отправляет `hello` (5 байт), ждёт эха и делает полузакрытие. `recv()` эхо-сервера возвращает 0 байт, и он тоже закрывает свою сторону. Ниже — все сегменты этого соединения, которые записал захват, по порядку и с настоящими значениями.",
    hsButton: "Подключиться к эхо-серверу и посмотреть на рукопожатие",
    hsStepConnecting: "Подключаемся…",
    hsStepWelcome: "Соединение есть; ждём приветствия…",
    hsStepSending: "Отправляем hello…",
    hsStepEcho: "Ждём эха…",
    hsStepHalfClose: "Полузакрываем (shutdown)…",
    hsStepDone: "Готово: клиент сделал полузакрытие. FIN сервера придёт, когда его recv() вернёт 0 байт.",
    hsStepFailed: "Опыт остановлен: см. сообщение ниже.",
    hsCount:
      "{n, plural," +
      " one {На шкалу пришёл # сегмент этого соединения.}" +
      " few {На шкалу пришли # сегмента этого соединения.}" +
      " many {На шкалу пришли # сегментов этого соединения.}" +
      " other {На шкалу пришли # сегмента этого соединения.}}",
    hsNoSegments: "Ни один сегмент этого соединения не пришёл на шкалу. Возможно, шкала на паузе или захват остановился.",
    hsListLabel: "Сегменты соединения по порядку",
    hsDirectionClient: "клиент → сервер",
    hsDirectionServer: "сервер → клиент",
    hsShow: "Показать в схеме заголовка",
    hsShowWhich: "сегмент {n}",

    rstTitle: "6. Закрытый порт: сброс",
    rstP1: "Лаборатория держит порт {port} закрытым: там никто не слушает. Кнопка заставляет клиент лаборатории вызвать `connect()` на этот порт.",
    rstP1Unknown: "Лаборатория держит один порт закрытым: там никто не слушает. Кнопка заставляет клиент лаборатории вызвать `connect()` на этот порт.",
    rstP2:
      "Ядро само отвечает на SYN сбросом, потому что там никто не слушает: чтобы в соединении отказали, не нужна никакая работающая программа.",
    rstButton: "Подключиться к закрытому порту ({port})",
    rstButtonUnknown: "Подключиться к закрытому порту",
    rstPending: "Подключаемся…",
    rstRefused: "`connect()` не удался с ошибкой `ECONNREFUSED` («в соединении отказано»): система на другой стороне ответила на SYN сегментом RST, ACK, потому что на этом порту никакая программа не слушает.",
    rstCallFailed: "Лаборатория не смогла открыть соединение ({code}): {message}",
    rstTimelineError: "Шкала записала для этой попытки ошибку: {code}. {message}",
    rstTimelineRefused:
      "Шкала показывает попытку одним событием, «connect() отвергнут: ECONNREFUSED», а не соединением: ядро клиента получило сброс в ответ на свой SYN, поэтому соединение не открылось, никто его не принял и закрывать нечего. В Python такой отказ — это `ConnectionRefusedError`.",
    rstWaiting: "Ждём записи о попытке на шкале…",
    rstNoRecord: "На шкале нет записи об этой попытке. Возможно, шкала на паузе или сервер лаборатории старше этой страницы.",
    rstOpened: "Соединение открылось: на этом порту всё-таки кто-то слушает. Лаборатория его снова закрыла.",
    rstCaptureOff:
      "Лаборатория не захватывает пакеты (как включить захват, сказано в предыдущем опыте), поэтому сами SYN и сброс здесь показать нельзя — только отказ `connect()`: это всё, что сообщает API сокетов.",
    rstNoSegments: "Ни один сегмент этой попытки не пришёл на шкалу.",
    rstListLabel: "Сегменты отвергнутого соединения",

    optMss: "MSS {value}",
    optSackPermitted: "SACK разрешён",
    optTimestamps: "метки времени",
    optTimestampsValues: "метки времени (TSval {val}, TSecr {ecr})",
    optWscale: "масштаб окна {shift} (×{factor})",
    optSack: "SACK {blocks}",
    optOther:
      "{n, plural," +
      " one {параметр {kind} (# байт)}" +
      " few {параметр {kind} (# байта)}" +
      " many {параметр {kind} (# байт)}" +
      " other {параметр {kind} (# байта)}}",

    segRawOnly: "{raw} (сырое значение: SYN этой стороны не попал в захват)",
    segWindow: "окно {window}",
    segWindowScaled:
      "{n, plural," +
      " one {окно {window} × {factor} = # байт}" +
      " few {окно {window} × {factor} = # байта}" +
      " many {окно {window} × {factor} = # байт}" +
      " other {окно {window} × {factor} = # байта}}",
    segOptions: ", параметры: {options}",
    segHeadSyn: "SYN от {from}: seq {seq} (сырое {raw}), {window}{options}",
    segHeadSynAck: "SYN-ACK от {from}: seq {seq} (сырое {raw}), ack {ack}, {window}{options}",
    segHeadAck: "ACK от {from}: seq {seq}, ack {ack}, {window}",
    segHeadData: "Данные от {from}: seq {seq}, Len {n}, ack {ack}, {window}",
    segHeadFin: "FIN от {from}: seq {seq}, ack {ack}",
    segHeadFinData: "FIN с данными от {from}: seq {seq}, Len {n}, ack {ack}",
    segHeadRst: "RST от {from}: seq {seq}",
    segHeadRstAck: "RST, ACK от {from}: seq {seq}, ack {ack}",
    segHeadRstRefused: "RST, ACK от {from}: Seq=1 Ack={ack}, как на шкале; в сети seq {rawSeq}, ack {rawAck}",
    segHeadOther: "Сегмент от {from}: флаги {flags}, seq {seq}, ack {ack}",
    segNoFlags: "нет",
    segNoteSyn:
      "Клиент просит о соединении. Его ISN случаен, поэтому сырое число при каждом запуске другое; если считать от ISN, этот SYN — seq 0. SYN расходует один порядковый номер, так что первый байт данных клиента будет seq 1.",
    segNoteSynAck:
      "Сервер соглашается и присылает свой, тоже случайный ISN. ack {ack} = seq собеседника + 1: SYN израсходовал один номер, поэтому дальше ожидается номер 1.",
    segNoteSynAckOdd: "Сервер соглашается и присылает свой случайный ISN; его ack не совпадает ни с одним захваченным SYN.",
    segNoteHandshakeAck:
      "ack {ack} = seq собеседника + 1. Третьим сегментом рукопожатие завершено: каждая сторона знает ISN другой, соединение установлено.",
    segNoteData: "seq растёт на длину данных: следующий новый байт с этой стороны будет seq {next}.",
    segNotePiggyback:
      "{n, plural," +
      " one {Этот же сегмент подтверждает # байт другой стороны: ACK едет вместе с данными.}" +
      " few {Этот же сегмент подтверждает # байта другой стороны: ACK едет вместе с данными.}" +
      " many {Этот же сегмент подтверждает # байт другой стороны: ACK едет вместе с данными.}" +
      " other {Этот же сегмент подтверждает # байта другой стороны: ACK едет вместе с данными.}}",
    segNoteAckedData:
      "{n, plural," +
      " one {Подтверждает ещё # байт: всё до {ack} пришло.}" +
      " few {Подтверждает ещё # байта: всё до {ack} пришло.}" +
      " many {Подтверждает ещё # байт: всё до {ack} пришло.}" +
      " other {Подтверждает ещё # байта: всё до {ack} пришло.}}",
    segNoteAckedDataAfter:
      "{n, plural," +
      " one {Подтверждает ещё # байт (всё до {ack} пришло) через {ms} мс после отправки.}" +
      " few {Подтверждает ещё # байта (всё до {ack} пришло) через {ms} мс после отправки.}" +
      " many {Подтверждает ещё # байт (всё до {ack} пришло) через {ms} мс после отправки.}" +
      " other {Подтверждает ещё # байта (всё до {ack} пришло) через {ms} мс после отправки.}}",
    segNoteDelayedAck:
      "Получатель придержал этот ACK — вдруг получится отправить его вместе с ответом: это отложенное подтверждение. Ответа не было, и по таймеру ACK ушёл отдельно.",
    segNoteAckedFin: "Подтверждает FIN другой стороны: ack {ack} = seq FIN + 1.",
    segNoteAckNothingNew: "Не подтверждает ничего нового: повторный ACK или обновление окна.",
    segNoteFinClient:
      "Клиент больше ничего не отправит (`shutdown()` или `close()`), но ещё может принимать. FIN расходует один порядковый номер, поэтому подтверждение для него будет {next}.",
    segNoteFinServer:
      "Сервер больше ничего не отправит: он закрывает свою сторону. FIN расходует один порядковый номер, поэтому подтверждение для него будет {next}.",
    segNoteFinNoNumbers: "Эта сторона больше ничего не отправит. FIN расходует один порядковый номер и подтверждается как байт.",
    segNoteRstRefused:
      "На порту {port} никто не слушает, поэтому ядро само отвечает на SYN сбросом, и `connect()` завершается ошибкой ECONNREFUSED. ack в сети, {rawAck}, равен seq SYN + 1: он указывает, какому SYN отказано (относительный ack {ack}). seq в сети равен 0, потому что эта сторона так и не выбрала ISN; шкала, как Wireshark, считает номера стороны, чей SYN она не видела, от числа на единицу меньше её первого seq, поэтому показывает Seq=1.",
    segNoteRst: "Сброс: соединение обрывается сразу на обеих сторонах, без обмена FIN, и недоставленные данные теряются.",
    segNoteRetransmission: "Эти байты эта сторона уже отправляла: это повторная передача.",
    segUnreadable: "Захваченный пакет, который урок не может прочитать как TCP поверх IP (тип канального уровня {linkType}).",

    headerCaption: "Заголовок TCP, 32 бита в строке",
    headerCaptionOf: "Заголовок TCP сегмента {flags} от {from}, 32 бита в строке",
    headerShowingSelected: "Сегмент, выбранный на шкале: {summary}",
    headerShowingLatest: "Последний сегмент вашего последнего соединения: {summary}. Выберите на шкале другой сегмент, чтобы увидеть его значения.",
    headerEmptyCapture:
      "Показать пока нечего. Запустите один из опытов выше или выберите сегмент на шкале — и таблица заполнится его настоящими значениями.",
    headerEmptyNoCapture:
      "Лаборатория не захватывает пакеты, поэтому заполнить таблицу нечем: в ней показаны только поля.",
    headerRoute: "От {from} к {to}. IP-адреса не входят в заголовок TCP: они едут в IP-заголовке перед ним.",
    headerPayload:
      "{n, plural," +
      " one {После заголовка — # байт данных.}" +
      " few {После заголовка — # байта данных.}" +
      " many {После заголовка — # байт данных.}" +
      " other {После заголовка — # байта данных.}}",
    headerNoPayload: "Данных нет: этот сегмент — один заголовок.",
    headerBytesCol: "Байты",
    headerBits: "Биты с 0 по 31",
    headerNoValue: "нет значения",
    headerFlagSet: "установлен",
    headerFlagClear: "не установлен",
    headerExplanations: "Что значит каждое поле",
    headerRegion: "Схема заголовка TCP",
    hdrRawOnly: "{raw} (сырое)",
    hdrRelRaw: "{rel} · сырое {raw}",
    hdrAckUnused: "{raw} (не используется: флаг ACK равен 0)",
    hdrOffsetValue: "{words} = {bytes} Б",
    hdrWindowScaled: "{window} × {factor} = {n} Б",
    hdrChecksumCorrect: "{hex}, верна",
    hdrChecksumOffload: "{hex}, не досчитана (offload)",
    hdrChecksumUnknown: "{hex}",
    hdrUrgentUnused: "{value} (не используется)",
    hdrOptionsBytes: "20–…",
    hdrOptionsValue:
      "{n, plural," +
      " one {{options} (# байт)}" +
      " few {{options} (# байта)}" +
      " many {{options} (# байт)}" +
      " other {{options} (# байта)}}",
    hdrPaddingValue: "{n, plural, =0 {нет: параметры кончаются на границе 32 бит} one {# байт (конец параметров, нули)} few {# байта (конец параметров, нули)} many {# байт (конец параметров, нули)} other {# байта (конец параметров, нули)}}",

    fieldSrcPort: "Порт отправителя",
    fieldSrcPortBlurb: "Порт сокета, отправившего сегмент. Порт клиента выбирает его операционная система во время `connect()`.",
    fieldDstPort: "Порт получателя",
    fieldDstPortBlurb:
      "Порт сокета, которому предназначен сегмент: в сегменте эхо-серверу — порт, на котором он слушает. Два порта вместе с двумя IP-адресами и есть имя соединения.",
    fieldSeq: "Порядковый номер",
    fieldSeqBlurb:
      "Номер первого байта данных сегмента в потоке отправителя (в SYN — сам ISN). Показан относительно ISN, от 0, и в сыром виде.",
    fieldAck: "Номер подтверждения",
    fieldAckBlurb: "Действует, когда установлен флаг ACK: следующий байт, который отправитель ждёт от другой стороны. Всё, что до него, уже пришло.",
    fieldDataOffset: "Смещение данных",
    fieldDataOffsetShort: "Смещ.",
    fieldDataOffsetBlurb:
      "Длина заголовка в 32-битных словах: 5 (20 байт) без параметров, не больше 15 (60 байт). Данные начинаются сразу за ним.",
    fieldReserved: "Зарезервировано",
    fieldReservedShort: "Рез.",
    fieldReservedBlurb:
      "Биты на будущее; отправитель пишет нули. В конспекте курса зарезервированных битов шесть — так было до того, как два из них отдали ECN.",
    fieldCwr: "CWR — окно перегрузки уменьшено",
    fieldCwrBlurb: "ECN (RFC 3168): отправитель сбавил скорость после сообщения о перегрузке. На рисунке курса входит в «Зарезервировано».",
    fieldEce: "ECE — эхо ECN",
    fieldEceBlurb:
      "ECN: получатель сообщает, что маршрутизатор отметил перегрузку (в SYN — что отправитель умеет ECN). На рисунке курса входит в «Зарезервировано».",
    fieldUrg: "URG — срочно",
    fieldUrgBlurb: "Указатель срочности действителен. Сегодня почти не используется.",
    fieldAckFlag: "ACK — подтверждение",
    fieldAckFlagBlurb: "Номер подтверждения действителен. Установлен во всех сегментах, кроме самого первого SYN.",
    fieldPsh: "PSH — протолкнуть",
    fieldPshBlurb: "Отдать данные приложению сразу, не дожидаясь новых. Отправители ставят его на последний сегмент записи.",
    fieldRst: "RST — сброс",
    fieldRstBlurb: "Немедленно оборвать соединение или отказать в нём: так отвечают на SYN к порту, где никто не слушает.",
    fieldSyn: "SYN — синхронизация",
    fieldSynBlurb: "Открывает соединение и несёт ISN отправителя. Только в первом сегменте каждой стороны; расходует один порядковый номер.",
    fieldFin: "FIN — конец",
    fieldFinBlurb: "У отправителя больше нет данных в этом направлении. Расходует один порядковый номер и подтверждается как байт.",
    fieldWindow: "Окно",
    fieldWindowBlurb:
      "Сколько ещё байтов отправитель этого сегмента может принять сейчас. После SYN умножается на 2 в степени масштаба окна, объявленного этой стороной.",
    fieldChecksum: "Контрольная сумма",
    fieldChecksumBlurb:
      "Охватывает заголовок, данные и IP-адреса. Отправитель может оставить её досчитывать сетевой карте (checksum offload); на loopback карты нет, поэтому в захвате там сумма часто не досчитана.",
    fieldUrgentPointer: "Указатель срочности",
    fieldUrgentPointerBlurb: "При флаге URG — где кончаются срочные данные. Иначе не используется, обычно 0.",
    fieldOptions: "Параметры",
    fieldOptionsBlurb:
      "Дополнения после 20 постоянных байтов. В SYN — MSS (наибольший размер данных, который примет отправитель), разрешение SACK, метки времени и масштаб окна; дальше — в основном метки времени.",
    fieldPadding: "Выравнивание",
    fieldPaddingBlurb: "Байт конца списка параметров и нули после него, чтобы заголовок занимал целое число 32-битных слов. NOP между двумя параметрами — не выравнивание заголовка, а отдельный параметр, выравнивающий следующий.",
  },
});
