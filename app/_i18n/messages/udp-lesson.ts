// UI text of the UDP lesson: what its panels, the header diagram and the terminal commands say. The lesson's
// prose is MDX (app/lessons/udp/content.<locale>.mdx). `backticks` mark code (see
// app/_components/lesson-kit/prose.tsx). Facts come from the course's seed documents 000 and 002; the wording is
// the lab's own. Ports are passed as strings, so that 8889 is never written "8,889".

import { defineMessages } from "../define";

export default defineMessages({
  en: {
    errorText: "The lesson failed to show. The lab's servers keep running: try again, or go back to the lessons.",

    flowNone: "No socket yet: sending opens one.",
    flowLine: "Your lab client's socket {from} sends to {to}.",
    flowTtl: "IP TTL {ttl}.",

    listToServer: "to the server",
    listToClient: "to the client",
    listLost: "lost",
    listTimeout: "no answer within 5 s",
    listCopy: "duplicate copy",
    listBytes: "{n, plural, one {# byte} other {# bytes}}",
    listUnpacked: "struct.unpack('If') = {values}",
    listShow: "Show on the timeline",
    listShowShort: "Show",
    listShowRest: "on the timeline ({way})",
    listNewest: "The newest {n} of {total}:",

    echoTitle: "1. The UDP echo server, port {port}",
    echoP1:
      "Every datagram that reaches this server gets one datagram back: `UDP-ECHO: ` and your message. A message that starts with `BINARY` gets a second datagram after the first: 8 bytes that are not text at all, but a number and a fraction packed with Python's `struct` module.",
    echoP2:
      "This panel keeps one socket, as the course's client does, and each Send is one `sendto()`: one datagram. Press the course's two messages, `Hello UDP!` and then `BINARY_TEST`, and count the datagrams that come back.",
    echoP3:
      "The third button sends two bytes that are not UTF-8. The course's server cannot decode them: it logs the error and sends nothing, and nothing tells your client. It waits 5 seconds and gives up.",
    echoNotUtf8: "(not UTF-8)",
    echoInput: "Message",
    echoSend: "Send",
    echoPreview: "{n, plural, one {The datagram will carry # byte:} other {The datagram will carry # bytes:}}",
    echoQuick: "Quick sends:",
    echoQuickSend: "Send",
    echoDatagrams: "Datagrams on this socket, oldest first",

    hdrRegion: "The UDP header",
    hdrCaption: "The UDP header (no datagram yet)",
    hdrCaptionOf: "The UDP header of the datagram from {from} to {to}",
    hdrBytesCol: "Bytes",
    hdrBits: "Bits 0 to 31 of each row",
    hdrSrcPort: "Source port",
    hdrDstPort: "Destination port",
    hdrLength: "Length",
    hdrChecksum: "Checksum",
    hdrSrcPortBlurb:
      "The port of the socket that sent the datagram. The operating system picked it when your lab client's socket was created, as it does for a client's TCP socket; the server sends its answer back to exactly this port.",
    hdrDstPortBlurb:
      "The port of the program that should get the datagram. The receiving system hands the datagram to whichever socket is bound to this port; if none is, it drops the datagram and may answer with an ICMP \"port unreachable\".",
    hdrLengthBlurb:
      "The whole datagram's length in bytes, these 8 header bytes included: the payload is this minus 8. It is 16 bits, so a datagram is at most 65,535 bytes; over IPv4, with the IP header's 20, at most 65,507 of them can be payload.",
    hdrChecksumBlurb:
      "A sum over the header, the payload and a pseudo-header made of both IP addresses, the protocol number and the length. The receiver adds it all up again and silently drops a datagram that does not match. Over IPv4 a 0 here means \"not computed\"; over IPv6 the checksum is required. On a loopback the sending kernel often leaves the sum unfinished, because nothing can damage the bytes on the way.",
    hdrChecksumUnknown: "not seen",
    hdrLengthValue: "{n} (8 + {payload})",
    hdrChoose: "Pick a field to light up its bytes:",
    hdrBytesLabel: "The header's 8 bytes",
    hdrBytesRange: "bytes {from} and {to}",
    hdrEmpty: "Send a datagram in one of the experiments, or select a UDP datagram on the timeline, and the table fills with its values.",
    hdrShowingSelected: "Showing the datagram selected on the timeline, with {n, plural, one {# byte} other {# bytes}} of payload.",
    hdrShowingLatest: "Showing the latest datagram your lab clients sent, with {n, plural, one {# byte} other {# bytes}} of payload. Select another datagram on the timeline to see its header.",
    hdrFromPacket: "These are the bytes of the packet the lab captured on the wire.",
    hdrFromPacketTtl: "These are the bytes of the packet the lab captured on the wire. Its IP header carried it to {dst} with TTL {ttl}.",
    hdrFromSocket:
      "The lab does not capture packets here, so these values are what the socket API knows: both ports, and the length, which is always 8 plus the payload. The checksum exists only in the packet the kernel built, which the lab did not see.",

    firstTitle: "2. The first packet is already data",
    firstP1:
      "The button opens a new lab client socket and sends one datagram, `Hello UDP!`. Below it, two lists: how every TCP connection starts (you saw these segments in lesson 1), and this socket's events as the timeline recorded them.",
    firstButton: "Send one datagram from a new socket",
    firstTcpHeading: "TCP: three segments before any data",
    tcpSyn: "→ SYN: \"I want a connection\", no data",
    tcpSynAck: "← SYN-ACK: \"agreed\", no data",
    tcpAck: "→ ACK: the connection is open, no data",
    tcpData: "→ only now the first bytes of data",
    firstUdpHeading: "UDP: this socket, as it happened",
    firstEmpty: "Nothing yet: press the button.",
    firstOpen: "the socket is ready (connect() only noted the server's address; nothing was sent)",
    firstDataOut: "→ a datagram with {n, plural, one {# byte} other {# bytes}} of data",
    firstDataIn: "← the answer, a datagram with {n, plural, one {# byte} other {# bytes}}",
    firstPacketOut: "→ the captured packet of that datagram, {n, plural, one {# byte} other {# bytes}} with its headers",
    firstPacketIn: "← the captured packet of the answer, {n, plural, one {# byte} other {# bytes}} with its headers",
    firstLost: "→ a datagram of {n, plural, one {# byte} other {# bytes}}, lost by the impairment you set",
    firstOther: "another event",
    firstVerdict: "The first thing this socket sent was the datagram with your data: nothing was exchanged before it.",
    firstVerdictPacket: "The first packet on this flow was the datagram with your data: there was no handshake before it.",
    firstAnswered: "The answer came {ms} ms after it.",

    boundTitle: "3. Two sends, two datagrams",
    boundP1:
      "The same two writes as the TCP lesson's stream experiment: `ping` and `pong`, sent straight after each other. Over TCP the server's `recv()` often returned `pingpong` in one piece. Over UDP each `sendto()` is one datagram, and each `recvfrom()` returns exactly one datagram, whole.",
    boundP2: "The button sends both from a new socket. Below are the datagrams the server received, and the answers it sent.",
    boundButton: "Send ping and pong",
    boundReceived: "{n, plural, one {The server's `recvfrom()` returned # datagram:} other {The server's `recvfrom()` returned # datagrams:}}",
    boundVerdict: "Two sends, two datagrams, two answers: the borders between your messages arrived intact. No protocol on top has to mark where a message ends.",
    boundVerdictLost: "Some datagrams were lost: the impairment you set is on (experiment 6). The ones that arrived still arrived whole and separate; none was joined to another.",
    boundVerdictOther: "The datagrams did not arrive as sent; look at them on the timeline.",
    boundDatagrams: "This socket's datagrams",

    sizeTitle: "4. A datagram bigger than the server reads",
    sizeP1:
      "A datagram arrives whole or not at all, but the receiver decides how much of it to take. The course's server calls `recvfrom(1024)`: it gets at most 1,024 bytes of each datagram, and the system throws the rest of that datagram away. Unlike TCP, nothing is left for the next read.",
    sizeP2: "The button sends one datagram of 2,000 bytes: the digits 0 to 9, over and over.",
    sizeButton: "Send one datagram of {n} bytes",
    sizeSent: "{n, plural, one {One datagram of # byte left your socket.} other {One datagram of # bytes left your socket.}}",
    sizeFinding: "The dissector's note:",
    sizeShowSent: "Show the big datagram on the timeline",
    sizeEcho:
      "The echo that came back has {n, plural, one {# byte} other {# bytes}}: the 10 bytes of `UDP-ECHO: ` and the first 1,024 bytes of yours. The other bytes never reached the server's program.",
    sizeClientCut:
      "The course's client reads with `recvfrom(1024)` too, so it would get only 1,024 of this answer's {n} bytes, and lose the last {lost}, without any error.",
    sizeShowEcho: "Show the echo on the timeline",
    sizeP3:
      "Both sides have to agree on the largest message. A datagram can be up to 65,507 bytes over IPv4, but one bigger than the network's packet size (about 1,500 bytes on Ethernet) is split into IP fragments, and losing any fragment loses the whole datagram. That is why protocols such as DNS keep their datagrams small.",

    seedTitle: "5. What the course's client meets with BINARY_TEST",
    seedP1:
      "The course's client sends `BINARY_TEST` with `expect_binary=True`, calls `recvfrom(1024)` once, and hands what it got to `struct.unpack('If', response)`. It expects the 8 bytes. But the server sends two datagrams, and the text echo goes first.",
    seedP2: "The button does the same from a new socket. Below, the answers in the order they arrived, and what the client does with the first one.",
    seedButton: "Send BINARY_TEST and read one datagram",
    seedOrder: "{n, plural, one {# datagram came back, in this order:} other {# datagrams came back, in this order:}}",
    seedRecv: "The client's one `recvfrom(1024)` returns the first: `{repr}`, {n, plural, one {# byte} other {# bytes}}. Then it calls",
    seedUnpackOk: "and gets `{values}`: this time the binary datagram came first.",
    seedExplain:
      "The format 'If' needs exactly 8 bytes, and the text echo has {n}, so Python raises struct.error. The client catches it and prints a communication error, although the server did everything right.",
    seedQueued:
      "The 8-byte datagram `{hex}` is not lost: it waits in the socket's receive queue. The client's next `recvfrom()` takes it, whatever it sent in between.",
    seedNextRead:
      "The course's client sends `Another message` next and decodes what it reads as text: it reads these 8 bytes instead of its echo, and gets `{error}`. From then on every answer is one step behind.",
    seedNextReadText: "The next read gets it as text: `{text}`.",
    seedFix:
      "A client of this server has to read two datagrams after a BINARY message and tell them apart, by their length or by trying the text first. A better protocol would put a type or a length at the start of every datagram.",

    impTitle: "6. Loss, duplicates, reordering, delay",
    impP1:
      "On a loopback datagrams are almost never lost, so the lab can lose them for you. These settings apply to the UDP sockets the lab opens for this browser, both ways: your datagrams to the server and its answers to you. Other students and your own programs are never affected.",
    impP2:
      "The seed makes it repeatable: the same settings and the same seed lose the same datagrams on every run, so a class can compare its timelines. A lost datagram is drawn on the timeline as a broken arrow; a duplicate's second copy is marked.",
    impDrop: "Drop",
    impDuplicate: "Duplicate",
    impReorder: "Reorder window (datagrams)",
    impDelay: "Delay",
    impJitter: "Jitter",
    impSeed: "Seed",
    impPercent: "%",
    impMs: "ms",
    impApply: "Apply",
    impExample: "Example: 50% loss, seed 7",
    impOff: "Turn impairment off",
    impCurrentUnknown: "Asking the lab for the current setting…",
    impCurrentOff: "Now: no impairment. Every datagram goes through once, at once and in order.",
    impCurrent:
      "Now: drop {dropPercent}%, duplicate {duplicatePercent}%, reorder window {reorderWindow}, delay {delayMs} ms + jitter up to {jitterMs} ms, seed {seed}.",
    impProblem: "{field} must be from {min} to {max}.",
    impProblemWhole: "{field} must be a whole number from {min} to {max}.",
    impBurstP:
      "Then send {n} numbered datagrams from a new socket, as fast as they go. For every datagram whose answer does not come, the lab's client, like the course's, gives up after 5 seconds: a \"no answer\" mark appears on the timeline.",
    impBurst: "Send {n} datagrams",
    impTally:
      "Sent {sent}: {arrived} reached the server, {lostOnTheWay} lost on the way there; {answers} answers arrived, {answersLost} lost on the way back; {copies} duplicate copies; {timeouts} without an answer within 5 s.",
    impDatagrams: "This socket's datagrams",
    impP3:
      "Nobody told either program about the losses: UDP has no acknowledgments. The sender learns only what its own code notices, here a timeout. If the application needs everything, it must number its messages, acknowledge them and send again, which is what TCP does for you and what QUIC does over UDP.",

    groupTitle: "7. Broadcast and multicast",
    groupP1:
      "A datagram needs no connection, so it can go to many receivers at once. Broadcast goes to every machine on the local network; multicast goes to the machines whose programs joined a group. Neither receiver here answers: the experiment succeeds when the receiver's side records your datagram.",
    groupBroadcastHeading: "Broadcast to the receiver on port {port}",
    groupBroadcastP:
      "The course's broadcast receiver sets `SO_REUSEADDR` and `SO_BROADCAST` and prints whatever reaches its port. A sender needs `SO_BROADCAST` too, or the system refuses to send to a broadcast address.",
    groupBroadcastButton: "Send a broadcast",
    groupTargetBroadcast: "The destination is the broadcast address of the network the lab serves: every machine on it receives the datagram.",
    groupTargetBroadcastLoopback:
      "The lab serves only this machine's loopback, whose broadcast address 127.255.255.255 reaches this machine alone: here a broadcast has nowhere else to go. In class mode the lab uses the classroom network's broadcast address.",
    groupTargetMulticast: "The destination is the group's address. The IP TTL 1 keeps the datagram on the local network: the first router would drop it.",
    groupHeard: "{n, plural, one {The receiver recorded # datagram from your socket.} other {The receiver recorded # datagrams from your socket.}} It sends nothing back.",
    groupNotHeard: "The receiver has recorded nothing from this socket yet.",
    groupLost:
      "{n, plural, one {# datagram never left your socket: the impairment you set in experiment 6 lost it.} other {# datagrams never left your socket: the impairment you set in experiment 6 lost them.}}",
    groupMulticastHeading: "Multicast to the group {group}, port {port}",
    groupMulticastP:
      "The course's receiver binds the port and joins the group with `IP_ADD_MEMBERSHIP`. Its argument is `struct.pack('4sL', group, INADDR_ANY)`: the group's 4 bytes, then INADDR_ANY as a native unsigned long, which on 64-bit Linux is 8 bytes after 4 bytes of padding, 16 bytes in all (try `4sL` in the struct sandbox above). The sender sets `IP_MULTICAST_TTL` to 1 and sends to the group's address, not to any one machine.",
    groupChecking: "Asking the lab whether its receiver joined the group…",
    groupJoined: "The lab's receiver has joined {group}.",
    groupUnknown: "The lab did not say whether its receiver joined the group.",
    groupNotJoined: "The lab's receiver could not join {group}. The system said:",
    groupNotJoinedWhy:
      "This usually means the interface the lab serves has no multicast route (on Linux: no 224.0.0.0/4 route, or the loopback without the MULTICAST flag). The receiver still runs and records what reaches its port; datagrams to the group may just not arrive.",
    groupMulticastButton: "Send to the group",
    groupDatagrams: "Datagrams to the group",
    groupP2:
      "Select a datagram on the timeline: its destination is the broadcast address or the group, not the receiver's own address, and when the lab captures packets the header diagram above shows the IP TTL each one left with.",

    termHost: "The lab's UDP servers listen at {host}. The commands use the ports this lab really runs on.",
    termHostChecking: "Asking the lab for its address and ports…",
    termHostUnknown: "The lab did not answer; the commands show the course's ports at this page's address.",
    termEcho: "The echo server, udp port {port}",
    termBroadcast: "The broadcast receiver, udp port {port}",
    termMulticast: "The multicast group {group}, udp port {port}",
    termNcOnce: "nc: one datagram",
    termNcLines: "nc: every line you type is a datagram",
    termPython: "Python",
    termEchoNote:
      "With `-u`, nc speaks UDP; `-w1` makes it wait a second for answers and quit. Typed lines end with a newline, and the newline is part of each datagram: the echo shows it. The Python program reads both of BINARY_TEST's answers and unpacks the second with `<If`, which states the byte order instead of relying on the machine's.",
    termBroadcastNote: "Nothing comes back: look for your datagram on the timeline.",
    termMulticastNote: "Nothing comes back from the group either; your datagram appears on the timeline when the lab's receiver has joined the group.",
  },
  ru: {
    errorText: "Урок не удалось показать. Серверы лаборатории продолжают работать: попробуйте снова или вернитесь к урокам.",

    flowNone: "Сокета ещё нет: он откроется при отправке.",
    flowLine: "Сокет вашего клиента лаборатории {from} отправляет на {to}.",
    flowTtl: "IP TTL {ttl}.",

    listToServer: "серверу",
    listToClient: "клиенту",
    listLost: "потеряна",
    listTimeout: "нет ответа за 5 с",
    listCopy: "копия-дубликат",
    listBytes: "{n, plural, one {# байт} few {# байта} many {# байт} other {# байта}}",
    listUnpacked: "struct.unpack('If') = {values}",
    listShow: "Показать на шкале",
    listShowShort: "Показать",
    listShowRest: "на шкале ({way})",
    listNewest: "Последние {n} из {total}:",

    echoTitle: "1. UDP-эхо-сервер, порт {port}",
    echoP1:
      "На каждую датаграмму, дошедшую до этого сервера, он отвечает одной датаграммой: `UDP-ECHO: ` и ваше сообщение. Если сообщение начинается с `BINARY`, за первой датаграммой следует вторая: 8 байт, которые вовсе не текст, а целое число и дробное, упакованные модулем Python `struct`.",
    echoP2:
      "Эта панель держит один сокет, как клиент из курса, и каждое нажатие «Отправить» — это один вызов `sendto()`, то есть одна датаграмма. Нажмите сообщения из курса, сначала `Hello UDP!`, потом `BINARY_TEST`, и посчитайте, сколько датаграмм придёт в ответ.",
    echoP3:
      "Третья кнопка отправляет два байта, которые не являются UTF-8. Сервер из курса не может их декодировать: он записывает ошибку в журнал и ничего не отправляет, и вашему клиенту никто об этом не сообщает. Тот ждёт 5 секунд и сдаётся.",
    echoNotUtf8: "(не UTF-8)",
    echoInput: "Сообщение",
    echoSend: "Отправить",
    echoPreview: "{n, plural, one {Датаграмма понесёт # байт:} few {Датаграмма понесёт # байта:} many {Датаграмма понесёт # байт:} other {Датаграмма понесёт # байта:}}",
    echoQuick: "Быстрая отправка:",
    echoQuickSend: "Отправить",
    echoDatagrams: "Датаграммы этого сокета, сначала старые",

    hdrRegion: "Заголовок UDP",
    hdrCaption: "Заголовок UDP (датаграмм ещё нет)",
    hdrCaptionOf: "Заголовок UDP датаграммы от {from} к {to}",
    hdrBytesCol: "Байты",
    hdrBits: "Биты с 0 по 31 каждой строки",
    hdrSrcPort: "Порт отправителя",
    hdrDstPort: "Порт получателя",
    hdrLength: "Длина",
    hdrChecksum: "Контрольная сумма",
    hdrSrcPortBlurb:
      "Порт сокета, отправившего датаграмму. Операционная система выбрала его, когда создавался сокет вашего клиента, — так же, как для клиентского TCP-сокета. Ответ сервер отправляет именно на этот порт.",
    hdrDstPortBlurb:
      "Порт программы, которой адресована датаграмма. Система получателя отдаёт датаграмму тому сокету, который привязан к этому порту; если такого нет, она отбрасывает датаграмму и может ответить ICMP-сообщением «порт недоступен».",
    hdrLengthBlurb:
      "Длина всей датаграммы в байтах вместе с этими 8 байтами заголовка: полезная нагрузка — это длина минус 8. Поле 16-битное, поэтому датаграмма не длиннее 65 535 байт; поверх IPv4, за вычетом 20 байт IP-заголовка, нагрузки может быть не больше 65 507 байт.",
    hdrChecksumBlurb:
      "Сумма по заголовку, нагрузке и псевдозаголовку из обоих IP-адресов, номера протокола и длины. Получатель пересчитывает её и молча отбрасывает датаграмму, если сумма не сходится. В IPv4 ноль здесь означает «не вычислялась»; в IPv6 сумма обязательна. На loopback ядро-отправитель часто не досчитывает сумму: по дороге байты никто не испортит.",
    hdrChecksumUnknown: "не видна",
    hdrLengthValue: "{n} (8 + {payload})",
    hdrChoose: "Выберите поле, чтобы подсветить его байты:",
    hdrBytesLabel: "8 байт заголовка",
    hdrBytesRange: "байты {from} и {to}",
    hdrEmpty: "Отправьте датаграмму в одном из опытов или выберите UDP-датаграмму на шкале, и таблица заполнится её значениями.",
    hdrShowingSelected:
      "Показана датаграмма, выбранная на шкале; в ней {n, plural, one {# байт} few {# байта} many {# байт} other {# байта}} полезной нагрузки.",
    hdrShowingLatest:
      "Показана последняя датаграмма, отправленная вашими клиентами лаборатории; в ней {n, plural, one {# байт} few {# байта} many {# байт} other {# байта}} полезной нагрузки. Выберите на шкале другую датаграмму, чтобы увидеть её заголовок.",
    hdrFromPacket: "Это байты пакета, который лаборатория перехватила на линии.",
    hdrFromPacketTtl: "Это байты пакета, который лаборатория перехватила на линии. Его IP-заголовок вёз его к {dst} с TTL {ttl}.",
    hdrFromSocket:
      "Здесь лаборатория не перехватывает пакеты, поэтому значения взяты из того, что знает API сокетов: оба порта и длина, которая всегда равна 8 плюс нагрузка. Контрольная сумма есть только в пакете, который собрало ядро, а его лаборатория не видела.",

    firstTitle: "2. Первый же пакет — это данные",
    firstP1:
      "Кнопка открывает новый сокет клиента лаборатории и отправляет одну датаграмму, `Hello UDP!`. Под ней два списка: как начинается любое TCP-соединение (эти сегменты вы видели в уроке 1) и события этого сокета, как их записала шкала.",
    firstButton: "Отправить одну датаграмму из нового сокета",
    firstTcpHeading: "TCP: три сегмента до любых данных",
    tcpSyn: "→ SYN: «хочу соединение», без данных",
    tcpSynAck: "← SYN-ACK: «согласен», без данных",
    tcpAck: "→ ACK: соединение открыто, без данных",
    tcpData: "→ только теперь первые байты данных",
    firstUdpHeading: "UDP: этот сокет, как всё было",
    firstEmpty: "Пока ничего: нажмите кнопку.",
    firstOpen: "сокет готов (connect() лишь запомнил адрес сервера; ничего не отправлено)",
    firstDataOut: "→ датаграмма с {n, plural, one {# байтом} few {# байтами} many {# байтами} other {# байта}} данных",
    firstDataIn: "← ответ, датаграмма из {n, plural, one {# байта} few {# байт} many {# байт} other {# байта}}",
    firstPacketOut: "→ перехваченный пакет этой датаграммы, {n, plural, one {# байт} few {# байта} many {# байт} other {# байта}} вместе с заголовками",
    firstPacketIn: "← перехваченный пакет ответа, {n, plural, one {# байт} few {# байта} many {# байт} other {# байта}} вместе с заголовками",
    firstLost: "→ датаграмма из {n, plural, one {# байта} few {# байт} many {# байт} other {# байта}}, потерянная из-за заданных вами помех",
    firstOther: "другое событие",
    firstVerdict: "Первым этот сокет отправил датаграмму с вашими данными: до неё никакого обмена не было.",
    firstVerdictPacket: "Первым пакетом этого потока была датаграмма с вашими данными: никакого рукопожатия до неё не было.",
    firstAnswered: "Ответ пришёл через {ms} мс после неё.",

    boundTitle: "3. Две отправки — две датаграммы",
    boundP1:
      "Те же две записи, что в опыте с потоком из урока про TCP: `ping` и `pong` сразу друг за другом. По TCP сервер часто получал одним `recv()` слитное `pingpong`. В UDP каждый `sendto()` — это одна датаграмма, а каждый `recvfrom()` возвращает ровно одну датаграмму, целиком.",
    boundP2: "Кнопка отправляет обе из нового сокета. Ниже — датаграммы, которые получил сервер, и ответы, которые он отправил.",
    boundButton: "Отправить ping и pong",
    boundReceived:
      "{n, plural, one {`recvfrom()` сервера вернул # датаграмму:} few {`recvfrom()` сервера вернул # датаграммы:} many {`recvfrom()` сервера вернул # датаграмм:} other {`recvfrom()` сервера вернул # датаграммы:}}",
    boundVerdict: "Две отправки, две датаграммы, два ответа: границы между сообщениями дошли в целости. Протоколу поверх UDP не нужно самому отмечать, где кончается сообщение.",
    boundVerdictLost: "Часть датаграмм потерялась: включены заданные вами помехи (опыт 6). Те, что дошли, всё равно дошли целыми и по отдельности; ни одна не слилась с другой.",
    boundVerdictOther: "Датаграммы пришли не так, как были отправлены; посмотрите на них на шкале.",
    boundDatagrams: "Датаграммы этого сокета",

    sizeTitle: "4. Датаграмма больше, чем читает сервер",
    sizeP1:
      "Датаграмма приходит целиком или не приходит вовсе, но сколько из неё взять, решает получатель. Сервер из курса вызывает `recvfrom(1024)`: он получает не больше 1024 байт каждой датаграммы, а остаток этой датаграммы система выбрасывает. В отличие от TCP, следующему чтению ничего не остаётся.",
    sizeP2: "Кнопка отправляет одну датаграмму из 2000 байт: цифры от 0 до 9 снова и снова.",
    sizeButton: "Отправить одну датаграмму из {n} байт",
    sizeSent:
      "{n, plural, one {Из вашего сокета ушла одна датаграмма из # байта.} few {Из вашего сокета ушла одна датаграмма из # байт.} many {Из вашего сокета ушла одна датаграмма из # байт.} other {Из вашего сокета ушла одна датаграмма из # байта.}}",
    sizeFinding: "Замечание диссектора:",
    sizeShowSent: "Показать большую датаграмму на шкале",
    sizeEcho:
      "Вернувшееся эхо — {n, plural, one {# байт} few {# байта} many {# байт} other {# байта}}: 10 байт `UDP-ECHO: ` и первые 1024 байта ваших. Остальные байты до программы сервера так и не дошли.",
    sizeClientCut:
      "Клиент из курса тоже читает через `recvfrom(1024)`, поэтому из {n} байт этого ответа он получил бы только 1024, а последние {lost} потерял бы без всякой ошибки.",
    sizeShowEcho: "Показать эхо на шкале",
    sizeP3:
      "Обеим сторонам нужно договориться о наибольшем размере сообщения. Поверх IPv4 датаграмма может нести до 65 507 байт, но датаграмму больше размера пакета в сети (в Ethernet около 1500 байт) IP делит на фрагменты, и потеря любого фрагмента губит всю датаграмму. Поэтому такие протоколы, как DNS, держат свои датаграммы маленькими.",

    seedTitle: "5. Что встречает клиент из курса с BINARY_TEST",
    seedP1:
      "Клиент из курса отправляет `BINARY_TEST` с `expect_binary=True`, один раз вызывает `recvfrom(1024)` и передаёт полученное в `struct.unpack('If', response)`. Он ждёт 8 байт. Но сервер отправляет две датаграммы, и текстовое эхо идёт первым.",
    seedP2: "Кнопка делает то же из нового сокета. Ниже — ответы в порядке прихода и то, что клиент делает с первым из них.",
    seedButton: "Отправить BINARY_TEST и прочитать одну датаграмму",
    seedOrder:
      "{n, plural, one {Пришла # датаграмма, в таком порядке:} few {Пришли # датаграммы, в таком порядке:} many {Пришло # датаграмм, в таком порядке:} other {Пришло # датаграммы, в таком порядке:}}",
    seedRecv:
      "Единственный `recvfrom(1024)` клиента возвращает первую: `{repr}`, {n, plural, one {# байт} few {# байта} many {# байт} other {# байта}}. Затем клиент вызывает",
    seedUnpackOk: "и получает `{values}`: на этот раз двоичная датаграмма пришла первой.",
    seedExplain:
      "Формату 'If' нужно ровно 8 байт, а в текстовом эхе их {n}, поэтому Python выбрасывает struct.error. Клиент ловит исключение и печатает ошибку связи, хотя сервер всё сделал правильно.",
    seedQueued:
      "8-байтовая датаграмма `{hex}` не потерялась: она ждёт в очереди приёма сокета. Её заберёт следующий `recvfrom()` клиента, что бы тот ни отправил в промежутке.",
    seedNextRead:
      "Следующим клиент из курса отправляет `Another message` и декодирует прочитанное как текст: он читает эти 8 байт вместо своего эха и получает `{error}`. С этого момента каждый ответ отстаёт на шаг.",
    seedNextReadText: "Следующее чтение получит её как текст: `{text}`.",
    seedFix:
      "Клиент этого сервера должен после сообщения BINARY прочитать две датаграммы и различить их — по длине или попробовав сначала текст. Протокол получше начинал бы каждую датаграмму с типа или длины.",

    impTitle: "6. Потери, дубликаты, перестановки, задержка",
    impP1:
      "На loopback датаграммы почти никогда не теряются, поэтому лаборатория может терять их за вас. Эти настройки действуют на UDP-сокеты, которые лаборатория открывает для этого браузера, в обе стороны: на ваши датаграммы серверу и на его ответы вам. Других студентов и ваши собственные программы они не затрагивают.",
    impP2:
      "Зерно делает опыт повторяемым: те же настройки с тем же зерном теряют те же датаграммы при каждом запуске, и группа может сравнить свои шкалы. Потерянная датаграмма рисуется на шкале оборванной стрелкой, вторая копия дубликата помечается.",
    impDrop: "Потери",
    impDuplicate: "Дубликаты",
    impReorder: "Окно перестановки (датаграмм)",
    impDelay: "Задержка",
    impJitter: "Разброс задержки",
    impSeed: "Зерно",
    impPercent: "%",
    impMs: "мс",
    impApply: "Применить",
    impExample: "Пример: 50% потерь, зерно 7",
    impOff: "Выключить помехи",
    impCurrentUnknown: "Спрашиваем у лаборатории текущие настройки…",
    impCurrentOff: "Сейчас помех нет: каждая датаграмма проходит один раз, сразу и по порядку.",
    impCurrent:
      "Сейчас: потери {dropPercent}%, дубликаты {duplicatePercent}%, окно перестановки {reorderWindow}, задержка {delayMs} мс + разброс до {jitterMs} мс, зерно {seed}.",
    impProblem: "{field}: нужно значение от {min} до {max}.",
    impProblemWhole: "{field}: нужно целое число от {min} до {max}.",
    impBurstP:
      "Затем отправьте {n} пронумерованных датаграмм из нового сокета, так быстро, как получится. Если ответ на датаграмму не приходит, клиент лаборатории, как и клиент из курса, через 5 секунд перестаёт ждать: на шкале появляется отметка «нет ответа».",
    impBurst: "Отправить {n} датаграмм",
    impTally:
      "Отправлено {sent}: до сервера дошло {arrived}, по пути туда потеряно {lostOnTheWay}; ответов пришло {answers}, на обратном пути потеряно {answersLost}; копий-дубликатов {copies}; без ответа за 5 с — {timeouts}.",
    impDatagrams: "Датаграммы этого сокета",
    impP3:
      "Ни одной из программ никто не сообщил о потерях: в UDP нет подтверждений. Отправитель узнаёт только то, что заметит его собственный код, — здесь это тайм-аут. Если приложению нужно всё, оно само должно нумеровать сообщения, подтверждать их и отправлять заново — это то, что за вас делает TCP и что QUIC делает поверх UDP.",

    groupTitle: "7. Широковещание и мультикаст",
    groupP1:
      "Датаграмме не нужно соединение, поэтому она может уйти многим получателям сразу. Широковещательная (broadcast) — всем машинам локальной сети, мультикаст — тем машинам, чьи программы вступили в группу. Ни один из получателей здесь не отвечает: опыт удался, если сторона получателя записала вашу датаграмму.",
    groupBroadcastHeading: "Широковещание получателю на порту {port}",
    groupBroadcastP:
      "Широковещательный получатель из курса включает `SO_REUSEADDR` и `SO_BROADCAST` и печатает всё, что приходит на его порт. Отправителю тоже нужен `SO_BROADCAST`, иначе система откажется отправлять на широковещательный адрес.",
    groupBroadcastButton: "Отправить широковещательную датаграмму",
    groupTargetBroadcast: "Адрес назначения — широковещательный адрес сети, которую обслуживает лаборатория: датаграмму получит каждая машина этой сети.",
    groupTargetBroadcastLoopback:
      "Лаборатория обслуживает только loopback этой машины, а его широковещательный адрес 127.255.255.255 ведёт лишь на эту же машину: здесь широковещанию больше некуда идти. В режиме класса лаборатория берёт широковещательный адрес сети класса.",
    groupTargetMulticast: "Адрес назначения — адрес группы. IP TTL 1 не выпускает датаграмму из локальной сети: первый же маршрутизатор её отбросит.",
    groupHeard:
      "{n, plural, one {Получатель записал # датаграмму от вашего сокета.} few {Получатель записал # датаграммы от вашего сокета.} many {Получатель записал # датаграмм от вашего сокета.} other {Получатель записал # датаграммы от вашего сокета.}} В ответ он ничего не отправляет.",
    groupNotHeard: "Получатель пока ничего не записал от этого сокета.",
    groupLost:
      "{n, plural, one {# датаграмма так и не ушла из вашего сокета: её потеряли помехи, заданные в опыте 6.} few {# датаграммы так и не ушли из вашего сокета: их потеряли помехи, заданные в опыте 6.} many {# датаграмм так и не ушли из вашего сокета: их потеряли помехи, заданные в опыте 6.} other {# датаграммы так и не ушли из вашего сокета: их потеряли помехи, заданные в опыте 6.}}",
    groupMulticastHeading: "Мультикаст в группу {group}, порт {port}",
    groupMulticastP:
      "Получатель из курса привязывается к порту и вступает в группу через `IP_ADD_MEMBERSHIP`. Аргумент — `struct.pack('4sL', group, INADDR_ANY)`: 4 байта группы, затем INADDR_ANY как машинное unsigned long, которое в 64-битном Linux занимает 8 байт после 4 байт выравнивания, всего 16 байт (попробуйте `4sL` в песочнице struct выше). Отправитель ставит `IP_MULTICAST_TTL` в 1 и отправляет на адрес группы, а не какой-то одной машине.",
    groupChecking: "Спрашиваем у лаборатории, вступил ли её получатель в группу…",
    groupJoined: "Получатель лаборатории вступил в группу {group}.",
    groupUnknown: "Лаборатория не сообщила, вступил ли её получатель в группу.",
    groupNotJoined: "Получатель лаборатории не смог вступить в группу {group}. Система ответила:",
    groupNotJoinedWhy:
      "Обычно это значит, что у интерфейса, который обслуживает лаборатория, нет маршрута для мультикаста (в Linux — нет маршрута 224.0.0.0/4 или у loopback нет флага MULTICAST). Получатель всё равно работает и записывает то, что приходит на его порт; датаграммы в группу могут просто не дойти.",
    groupMulticastButton: "Отправить в группу",
    groupDatagrams: "Датаграммы в группу",
    groupP2:
      "Выберите датаграмму на шкале: её адрес назначения — широковещательный адрес или группа, а не собственный адрес получателя. Когда лаборатория перехватывает пакеты, схема заголовка выше показывает IP TTL, с которым ушла каждая из них.",

    termHost: "UDP-серверы лаборатории слушают на {host}. В командах — порты, на которых эта лаборатория действительно работает.",
    termHostChecking: "Спрашиваем у лаборатории её адрес и порты…",
    termHostUnknown: "Лаборатория не ответила; в командах — порты из курса по адресу этой страницы.",
    termEcho: "Эхо-сервер, UDP-порт {port}",
    termBroadcast: "Широковещательный получатель, UDP-порт {port}",
    termMulticast: "Мультикаст-группа {group}, UDP-порт {port}",
    termNcOnce: "nc: одна датаграмма",
    termNcLines: "nc: каждая набранная строка — датаграмма",
    termPython: "Python",
    termEchoNote:
      "С ключом `-u` nc работает по UDP; `-w1` велит ждать ответов секунду и выйти. Набранные строки заканчиваются переводом строки, и он входит в каждую датаграмму: эхо его покажет. Программа на Python читает оба ответа на BINARY_TEST и распаковывает второй форматом `<If`, который задаёт порядок байтов явно, а не полагается на порядок машины.",
    termBroadcastNote: "Ответа не будет: ищите свою датаграмму на шкале.",
    termMulticastNote: "Из группы тоже ничего не придёт; ваша датаграмма появится на шкале, если получатель лаборатории вступил в группу.",
  },
});
