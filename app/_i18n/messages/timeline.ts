import { defineMessages } from "../define";

export default defineMessages({
  en: {
    regionLabel: "Packet timeline",
    sheetLabel: "Event details",
    sheetClose: "Close the details",
    loading: "Loading the timeline…",

    connected: "Connected to the lab",
    connecting: "Connecting to the lab…",
    liveStatus: "Live",
    pausedStatus: "Paused",
    pendingEvents: "{n, plural, one {# new event waiting} other {# new events waiting}}",
    pause: "Pause",
    resume: "Resume",
    eventCount: "{n, plural, one {# event} other {# events}}",
    byteCount: "{n, plural, one {# byte} other {# bytes}}",
    filterLabel: "Filter",
    filterPlaceholder: "service, endpoint or id",
    conversationsShown: "{n, plural, one {{shown} of # conversation shown} other {{shown} of # conversations shown}}",
    exportJson: "Export JSON",
    downloadPcapng: "Download pcapng",
    downloadPcapngShown: "Download pcapng (shown)",
    downloadPcapngAll: "Download all",
    downloadPcapngAllTitle: "Every conversation of this session as a pcapng file, whatever the filter shows.",
    downloadHar: "Download HAR",
    downloadHarTitle: "This session's HTTP requests and responses as a HAR file, for a browser's developer tools or a HAR viewer.",
    downloadPcapngReal: "This session's packets as a pcapng file for Wireshark: the captured segments.",
    downloadPcapngSynthesized:
      "This session's traffic as a pcapng file for Wireshark. Wire capture is off, so the IP and TCP headers are synthesised around the real bytes, and the file says so.",
    clear: "Clear",
    filtersToggle: "{n, plural, =0 {Filters} one {Filters (# on)} other {Filters (# on)}}",
    playbackToggle: "Playback",
    exportToggle: "Export",
    clearFailed: "The timeline could not be cleared. Is the lab still running?",
    zoomLabel: "Zoom",
    zoomMessages: "Messages",
    zoomSegments: "Segments",
    segmentCount: "{n, plural, one {# segment} other {# segments}}",
    wireByteCount: "{n, plural, one {# byte on the wire} other {# bytes on the wire}}",
    captureLabel: "Capture:",
    captureReal: "real segments",
    captureSocket: "socket events only",
    captureWhy: "Why?",
    captureOffTitle: "Socket events only: the lab is not capturing packets",
    captureOffExplain:
      "Without packet capture the lab sees only what programs do through the socket API: connect, send, receive, close. Nothing on this timeline is drawn as if it were seen on the wire, so the Segments zoom is off.",
    captureReason: "What the lab says: {reason}",
    captureEnable: "To see real TCP segments, run this command, then restart the lab:",

    dropped:
      "{n, plural," +
      " one {# earlier event was dropped: the lab and this page keep only the most recent events of a session.}" +
      " other {# earlier events were dropped: the lab and this page keep only the most recent events of a session.}}",
    empty: "No traffic yet. Open a connection in a lesson, or point nc at a lab server, and every byte will appear here.",
    noMatch: "No conversation matches “{query}”.",
    emptySegments:
      "No TCP segments captured yet. Connect to a lab server and every segment will appear here: the handshake, the data, the acknowledgements and the goodbye.",

    eventsLabel: "Events",
    ladderHelp:
      "Up and Down move between events, Page Up and Page Down jump a screen, Home and End go to the first and the last event, Enter opens the details.",
    lanesLabel: "Endpoints",
    segmentWord: "TCP segment",
    datagramWord: "UDP datagram",
    relatedSegmentNote: "Carries bytes of the selected message",
    relatedMessageNote: "Its bytes travelled in the selected segment",
    relatedPairNote: "The other half of the selected HTTP exchange (its request or its response)",
    httpRequestWord: "HTTP request",
    httpResponseWord: "HTTP response",
    httpWaiting: "no answer yet",
    httpUnanswered: "never answered",
    httpInterim: "interim",
    httpAnsweredWith: "answered {status} ({kind})",
    httpAnswers: "answers {request}",
    httpTtfb: "TTFB {ms} ms",
    httpClass0: "no status",
    httpClass1: "informational",
    httpClass2: "success",
    httpClass3: "redirection",
    httpClass4: "client error",
    httpClass5: "server error",
    httpRequestHeading: "HTTP request",
    httpResponseHeading: "HTTP response",
    httpHeadersHeading: "{n, plural, =0 {No headers} one {# header} other {# headers}}",
    httpBodyHeading: "Body, {n, plural, one {# byte} other {# bytes}}",
    httpBodyKinds: "Body, {n, plural, one {# byte} other {# bytes}}: {kinds}",
    httpNoBody: "No body",
    httpShowResponse: "Its response: {line}",
    httpShowRequest: "Its request: {line}",
    timeHeader: "Time, ms",
    laneClient: "client",
    laneLabClient: "lab client",
    laneYourProgram: "your program",
    laneYourProgramNamed: "your program: {name}",
    laneOtherMachine: "your program, on another machine",
    laneConnections: "{n, plural, one {# connection} other {# connections}}",
    laneFlows: "{n, plural, one {# flow} other {# flows}}",
    laneConversations: "{n, plural, one {# conversation} other {# conversations}}",
    laneSplitHint: "of {role} {host}, a lane for each socket",
    laneServer: "lab server",
    laneServerService: "lab server: {service}",
    laneNothingListens: "nothing listens here (closed port)",
    laneCallClient: "call's client, stream {stream}",
    laneCallServer: "call's server, stream {stream}",
    laneCallUnnamed: "call",
    laneCallName: "{side, select, client {client} other {server}} end of the call {method}, stream {stream} of the HTTP/2 connection {endpoint}",
    rowCall: "call {method}, stream {stream}",
    laneCallChosen: "the call the console points at",
    clientToServer: "Client to server",
    serverToClient: "Server to client",
    markOpen: "connection opened",
    markHalfCloseClient: "client finished sending (FIN)",
    markHalfCloseServer: "server finished sending (FIN)",
    markClose: "connection closed",
    markError: "connection failed",
    markErrorCode: "connection failed: {code}",
    markRefused: "connect() refused: ECONNREFUSED",
    markConnectFailed: "connect() failed: {code}",
    markOpenUdp: "first datagram (no handshake)",
    markCloseUdp: "flow idle, forgotten",
    markErrorUdp: "error: {code}",
    markLost: "lost datagram",
    markTimeout: "no answer (timeout)",
    duplicateTag: "duplicate",
    moreFrames: "{n, plural, one {and # more frame} other {and # more frames}}",
    atMs: "{ms} ms",
    findingName: "{severity}: {text}",
    afterGap: "after a pause of {duration}",
    conversationName: "{service} from {client} to {server}",
    gapMarker: "⋯ {duration}",
    durationMs: "{value} ms",
    durationS: "{value} s",
    durationMin: "{value} min",
    durationH: "{value} h",
    severityChat: "chat",
    severityNote: "note",
    severityWarn: "warning",
    severityError: "error",

    detailsHeading: "Details",
    eventHeading: "Event {n}",
    selectPrompt: "Select an arrow on the timeline to see its bytes and what each of them means.",
    notArrived: "The event this link names is not on the timeline yet. It will show here as soon as it arrives.",
    goneCleared: "The event this link names was cleared from the timeline, with everything before it (Clear, or a restart of the lab).",
    gone: "The event this link names is no longer on the timeline: only the most recent events of a session are kept.",
    factWhat: "What",
    factTime: "Time",
    factConversation: "Conversation",
    factProgram: "Program",
    programNamed: "{name} (process {pid})",
    programOtherMachine: "on another machine: the lab cannot name it",
    segmentHeading: "Event {n}: TCP segment",
    segmentWhat: "{n, plural, one {TCP segment, # byte on the wire} other {TCP segment, # bytes on the wire}}",
    datagramHeading: "Event {n}: UDP datagram",
    datagramWhat: "{n, plural, one {UDP datagram, # byte on the wire} other {UDP datagram, # bytes on the wire}}",
    datagramPayload: "{n, plural, one {# byte} other {# bytes}}",
    factPayload: "Payload",
    payloadNone: "none: headers only",
    payloadRange: "{n, plural, one {# byte at stream offset {start}} other {# bytes at stream offsets {start}–{end}}}",
    factLink: "Link layer",
    explainSegment:
      "This is one TCP segment as the wire capture saw it: the headers of every layer, from the link up to TCP, then the payload. Select a layer or a field to see its bytes.",
    explainDatagram:
      "This is one UDP datagram as the wire capture saw it: the headers of every layer, from the link up to UDP's eight bytes (ports, length, checksum), then the message, whole: UDP never cuts a message into pieces or joins two. Select a layer or a field to see its bytes.",
    packetBytesHeading: "Packet bytes",
    layersHeading: "Layers",
    layersLabel: "Layers and fields of the packet",
    carriesHeading: "Messages in this segment",
    datagramCarriesHeading: "The message in this datagram",
    carriesNone: "No message on the timeline holds these bytes: it may have been dropped, or it has not arrived yet.",
    carriedByHeading: "Segments that carried it",
    datagramCarriedByHeading: "The datagram that carried it",
    jumpToMessagesHelp: "Choosing one shows it among the messages.",
    jumpToSegmentsHelp: "Choosing one shows it among the segments.",
    jumpItem: "Event {n}: {label}",
    partWhole: "{n, plural, one {whole message (# byte)} other {whole message (# bytes)}}",
    partBytes: "bytes {from}–{to} of {n}",
    partByte: "byte {from} of {n}",
    joinedMore: "and {n} more",
    bytesHeading: "Bytes",
    reassembledHeading: "Reassembled message: stream bytes {start} to {end}, some of them from earlier reads",
    bytesHelp: "Click a byte, or move through the bytes with the arrow keys, to find the field it belongs to.",
    bytesLabel: "{n, plural, one {# byte: offset, hex and text} other {# bytes: offset, hex and text}}",
    noBytes: "This event carries no bytes.",
    fieldsHeading: "Fields",
    noFrames: "No dissector reads this conversation's bytes, so they are shown as they are.",
    wholeLoading: "Fetching the bytes and fields of this event…",
    wholeFailed: "The lab did not send this event's bytes: it may no longer hold them. Select the event again to retry.",
    treeLabel: "Fields of the event",
    findingsHeading: "Findings",
    showBytes: "Show bytes",
    showFindingBytes: "Show the bytes of {code}",
    fieldByte: "Byte {start}",
    fieldRange: "{n, plural, one {Bytes {start}–{end} (# byte)} other {Bytes {start}–{end} (# bytes)}}",
    fieldEmpty: "No bytes of its own (at offset {start})",
    fieldMask: "mask {mask}",
    errorCode: "Error code",
    errorMessage: "What happened",
    explainOpen:
      "The client {client} connected to the server {server}. The TCP handshake is over: from now on both sides can send bytes.",
    explainOpenUdp:
      "The first datagram between {client} and {server} started this conversation. UDP sets up no connection: every datagram travels on its own.",
    explainHalfCloseClient:
      "The client finished sending: it shut down its side of the connection, which sends a FIN. It can still receive what the server sends.",
    explainHalfCloseServer:
      "The server finished sending: it shut down its side of the connection, which sends a FIN. It can still receive what the client sends.",
    explainClose: "The connection is closed: neither side can send anything more on it.",
    explainReset:
      "The connection was reset (an RST on the wire): one side dropped it at once, and any bytes not yet read were thrown away.",
    explainError: "The connection failed. The operating system's error code below says how.",
    explainRefused:
      "connect() from {client} to {server} was refused, so no connection was ever opened: the client's system sent a SYN, and the server's system answered it at once with RST, ACK, because no program listens on port {port}. connect() returned the error ECONNREFUSED (\"connection refused\"); in Python it is a ConnectionRefusedError. Nothing was accepted, sent or closed. With wire capture on, the two segments show at the segments zoom.",
    explainConnectFailed:
      "connect() from {client} to {server} failed, so no connection was ever opened. The operating system's error code below says why.",
    explainUnknown: "The lab recorded this event without saying what kind it is.",
    explainCloseUdp:
      "Nothing has passed between these two addresses for a while, so the lab stopped treating them as one conversation. UDP has no close: no datagram was sent for this, it is only the lab's bookkeeping. The next datagram starts a new conversation.",
    explainEvictedUdp:
      "The lab keeps track of only so many UDP flows at once (per address and in all), and this one had been quiet the longest when a new one came, so the lab stopped following it. No datagram was sent for this and the server goes on answering: a later datagram from the same port starts a new conversation.",
    explainLost:
      "This datagram was sent and never arrived: your session's loss setting dropped it on the way, as a busy router or a weak Wi-Fi link would. Nobody is told. The sender thinks it went out, the receiver never knew it existed, and UDP does not send it again: a program that needs it must notice the missing answer (a timeout) and resend it itself. Below are the bytes it would have carried.",
    explainDuplicate:
      "A second copy of a datagram that already arrived: your session's duplication setting delivered it twice, as a network sometimes does. UDP does not notice; the program receives it twice and must cope (here the echo server answers it twice).",
    explainTimeout:
      "The client waited for an answer and none came in time, like the course's client with settimeout(5.0): recvfrom raises socket.timeout. With UDP a silent server, a lost request and a lost answer all look the same from here.",
    explainTimeoutTcp:
      "The lab's HTTP client waited for the server's whole answer and it did not come in time, so the client gave up and closed the connection, as Python's requests does when its timeout= runs out (ReadTimeout). TCP lost nothing on the way: whatever the server sent is above, and the server never finished its answer.",
    explainRefusedUdp:
      "Nothing listens on that port: the other host answered the datagram with an ICMP \"port unreachable\" message, and the operating system reports it on the client's connected socket as ECONNREFUSED, at its next send or receive.",
    explainRateLimit:
      "This source sent more datagrams at once than the lab's server accepts from one address, so the server dropped the rest of the burst unread (a limit that keeps one student's flood from starving the class). Each burst is told once.",
    explainErrorUdp: "Sending or receiving this datagram failed. The operating system's error code below says how.",
  },
  ru: {
    regionLabel: "Временная шкала пакетов",
    sheetLabel: "Подробности события",
    sheetClose: "Закрыть подробности",
    loading: "Загружаем временную шкалу…",

    connected: "Связь с лабораторией есть",
    connecting: "Подключаемся к лаборатории…",
    liveStatus: "В реальном времени",
    pausedStatus: "На паузе",
    pendingEvents:
      "{n, plural," +
      " one {ждёт # новое событие}" +
      " few {ждут # новых события}" +
      " many {ждут # новых событий}" +
      " other {ждут # новых события}}",
    pause: "Приостановить",
    resume: "Продолжить",
    eventCount: "{n, plural, one {# событие} few {# события} many {# событий} other {# события}}",
    byteCount: "{n, plural, one {# байт} few {# байта} many {# байт} other {# байта}}",
    filterLabel: "Фильтр",
    filterPlaceholder: "сервис, адрес или id",
    conversationsShown:
      "{n, plural," +
      " one {показано {shown} из # соединения}" +
      " few {показано {shown} из # соединений}" +
      " many {показано {shown} из # соединений}" +
      " other {показано {shown} из # соединения}}",
    exportJson: "Экспорт в JSON",
    downloadPcapng: "Скачать pcapng",
    downloadPcapngShown: "Скачать pcapng (показанное)",
    downloadPcapngAll: "Скачать всё",
    downloadPcapngAllTitle: "Все соединения этой сессии в файле pcapng, что бы ни показывал фильтр.",
    downloadHar: "Скачать HAR",
    downloadHarTitle: "Запросы и ответы HTTP этой сессии в файле HAR для инструментов разработчика браузера или просмотрщика HAR.",
    downloadPcapngReal: "Пакеты этой сессии в файле pcapng для Wireshark: захваченные сегменты.",
    downloadPcapngSynthesized:
      "Трафик этой сессии в файле pcapng для Wireshark. Захват пакетов выключен, поэтому заголовки IP и TCP построены вокруг настоящих байтов, и в файле это сказано.",
    clear: "Очистить",
    filtersToggle: "{n, plural, =0 {Фильтры} one {Фильтры (включено: #)} few {Фильтры (включено: #)} many {Фильтры (включено: #)} other {Фильтры (включено: #)}}",
    playbackToggle: "Пошаговый просмотр",
    exportToggle: "Экспорт",
    clearFailed: "Не удалось очистить временную шкалу. Лаборатория всё ещё запущена?",
    zoomLabel: "Масштаб",
    zoomMessages: "Сообщения",
    zoomSegments: "Сегменты",
    segmentCount: "{n, plural, one {# сегмент} few {# сегмента} many {# сегментов} other {# сегмента}}",
    wireByteCount: "{n, plural, one {# байт в сети} few {# байта в сети} many {# байт в сети} other {# байта в сети}}",
    captureLabel: "Захват:",
    captureReal: "настоящие сегменты",
    captureSocket: "только события сокетов",
    captureWhy: "Почему?",
    captureOffTitle: "Только события сокетов: лаборатория не перехватывает пакеты",
    captureOffExplain:
      "Без перехвата пакетов лаборатория видит только то, что программы делают через API сокетов: подключаются, отправляют, принимают, закрывают соединение. Ничто на этой шкале не нарисовано так, будто это видно в сети, поэтому масштаб «Сегменты» недоступен.",
    captureReason: "Что сообщает лаборатория: {reason}",
    captureEnable: "Чтобы видеть настоящие сегменты TCP, выполните эту команду и перезапустите лабораторию:",

    dropped:
      "{n, plural," +
      " one {# более раннее событие не сохранилось: лаборатория и эта страница хранят только последние события сеанса.}" +
      " few {# более ранних события не сохранились: лаборатория и эта страница хранят только последние события сеанса.}" +
      " many {# более ранних событий не сохранились: лаборатория и эта страница хранят только последние события сеанса.}" +
      " other {# более ранних события не сохранились: лаборатория и эта страница хранят только последние события сеанса.}}",
    empty:
      "Трафика пока нет. Откройте соединение в уроке или подключитесь к серверу лаборатории через nc, и каждый байт появится здесь.",
    noMatch: "Ни одно соединение не подходит под «{query}».",
    emptySegments:
      "Сегментов TCP пока нет. Подключитесь к серверу лаборатории, и здесь появится каждый сегмент: рукопожатие, данные, подтверждения и прощание.",

    eventsLabel: "События",
    ladderHelp:
      "Стрелки вверх и вниз переходят между событиями, Page Up и Page Down листают на экран, Home и End ведут к первому и последнему событию, Enter открывает подробности.",
    lanesLabel: "Участники обмена",
    segmentWord: "сегмент TCP",
    datagramWord: "датаграмма UDP",
    relatedSegmentNote: "Несёт байты выбранного сообщения",
    relatedMessageNote: "Его байты шли в выбранном сегменте",
    relatedPairNote: "Вторая половина выбранного обмена HTTP (его запрос или ответ)",
    httpRequestWord: "запрос HTTP",
    httpResponseWord: "ответ HTTP",
    httpWaiting: "ответа пока нет",
    httpUnanswered: "ответа не было",
    httpInterim: "промежуточный",
    httpAnsweredWith: "ответ {status} ({kind})",
    httpAnswers: "ответ на {request}",
    httpTtfb: "TTFB {ms} мс",
    httpClass0: "без кода",
    httpClass1: "информационный",
    httpClass2: "успех",
    httpClass3: "перенаправление",
    httpClass4: "ошибка клиента",
    httpClass5: "ошибка сервера",
    httpRequestHeading: "Запрос HTTP",
    httpResponseHeading: "Ответ HTTP",
    httpHeadersHeading: "{n, plural, =0 {Заголовков нет} one {# заголовок} few {# заголовка} many {# заголовков} other {# заголовка}}",
    httpBodyHeading: "Тело, {n, plural, one {# байт} few {# байта} many {# байт} other {# байта}}",
    httpBodyKinds: "Тело, {n, plural, one {# байт} few {# байта} many {# байт} other {# байта}}: {kinds}",
    httpNoBody: "Тела нет",
    httpShowResponse: "Его ответ: {line}",
    httpShowRequest: "Его запрос: {line}",
    timeHeader: "Время, мс",
    laneClient: "клиент",
    laneLabClient: "клиент лаборатории",
    laneYourProgram: "ваша программа",
    laneYourProgramNamed: "ваша программа: {name}",
    laneOtherMachine: "ваша программа, на другой машине",
    laneConnections: "{n, plural, one {# соединение} few {# соединения} many {# соединений} other {# соединения}}",
    laneFlows: "{n, plural, one {# поток} few {# потока} many {# потоков} other {# потока}}",
    laneConversations: "{n, plural, one {# обмен} few {# обмена} many {# обменов} other {# обмена}}",
    laneSplitHint: "({role}, {host}): по дорожке на каждый сокет",
    laneServer: "сервер лаборатории",
    laneServerService: "сервер лаборатории: {service}",
    laneNothingListens: "здесь никто не слушает (закрытый порт)",
    laneCallClient: "клиент вызова, поток {stream}",
    laneCallServer: "сервер вызова, поток {stream}",
    laneCallUnnamed: "вызов",
    laneCallName: "{side, select, client {сторона клиента} other {сторона сервера}} вызова {method}, поток {stream} HTTP/2-соединения {endpoint}",
    rowCall: "вызов {method}, поток {stream}",
    laneCallChosen: "вызов, выбранный в консоли",
    clientToServer: "От клиента к серверу",
    serverToClient: "От сервера к клиенту",
    markOpen: "соединение открыто",
    markHalfCloseClient: "клиент закончил передачу (FIN)",
    markHalfCloseServer: "сервер закончил передачу (FIN)",
    markClose: "соединение закрыто",
    markError: "сбой соединения",
    markErrorCode: "сбой соединения: {code}",
    markRefused: "connect() отвергнут: ECONNREFUSED",
    markConnectFailed: "connect() не удался: {code}",
    markOpenUdp: "первая датаграмма (без рукопожатия)",
    markCloseUdp: "поток затих и забыт",
    markErrorUdp: "ошибка: {code}",
    markLost: "потерянная датаграмма",
    markTimeout: "нет ответа (тайм-аут)",
    duplicateTag: "дубликат",
    moreFrames: "{n, plural, one {и ещё # кадр} few {и ещё # кадра} many {и ещё # кадров} other {и ещё # кадра}}",
    atMs: "{ms} мс",
    findingName: "{severity}: {text}",
    afterGap: "после паузы {duration}",
    conversationName: "{service}: от {client} к {server}",
    gapMarker: "⋯ {duration}",
    durationMs: "{value} мс",
    durationS: "{value} с",
    durationMin: "{value} мин",
    durationH: "{value} ч",
    severityChat: "сведения",
    severityNote: "примечание",
    severityWarn: "предупреждение",
    severityError: "ошибка",

    detailsHeading: "Подробности",
    eventHeading: "Событие {n}",
    selectPrompt: "Выберите стрелку на временной шкале, чтобы увидеть её байты и узнать, что означает каждый из них.",
    notArrived: "События, на которое указывает ссылка, на шкале пока нет. Оно появится здесь, как только придёт.",
    goneCleared: "Событие, на которое указывает ссылка, стёрто со шкалы вместе со всем, что было до него (кнопкой «Очистить» или перезапуском лаборатории).",
    gone: "События, на которое указывает ссылка, на шкале больше нет: хранятся только последние события сеанса.",
    factWhat: "Что",
    factTime: "Время",
    factConversation: "Соединение",
    factProgram: "Программа",
    programNamed: "{name} (процесс {pid})",
    programOtherMachine: "на другой машине: лаборатория не может её назвать",
    segmentHeading: "Событие {n}: сегмент TCP",
    datagramHeading: "Событие {n}: датаграмма UDP",
    datagramWhat:
      "{n, plural," +
      " one {датаграмма UDP, # байт в сети}" +
      " few {датаграмма UDP, # байта в сети}" +
      " many {датаграмма UDP, # байт в сети}" +
      " other {датаграмма UDP, # байта в сети}}",
    datagramPayload: "{n, plural, one {# байт} few {# байта} many {# байт} other {# байта}}",
    segmentWhat:
      "{n, plural," +
      " one {сегмент TCP, # байт в сети}" +
      " few {сегмент TCP, # байта в сети}" +
      " many {сегмент TCP, # байт в сети}" +
      " other {сегмент TCP, # байта в сети}}",
    factPayload: "Данные",
    payloadNone: "нет, только заголовки",
    payloadRange:
      "{n, plural," +
      " one {# байт, смещение в потоке {start}}" +
      " few {# байта, смещения в потоке {start}–{end}}" +
      " many {# байт, смещения в потоке {start}–{end}}" +
      " other {# байта, смещения в потоке {start}–{end}}}",
    factLink: "Канальный уровень",
    explainSegment:
      "Это один сегмент TCP в том виде, в каком его перехватила лаборатория: заголовки всех уровней, от канального до TCP, а за ними данные. Выберите уровень или поле, чтобы увидеть его байты.",
    explainDatagram:
      "Это одна датаграмма UDP в том виде, в каком её перехватила лаборатория: заголовки всех уровней, от канального до восьми байтов UDP (порты, длина, контрольная сумма), а за ними сообщение целиком: UDP никогда не режет сообщение на части и не склеивает два в одно. Выберите уровень или поле, чтобы увидеть его байты.",
    packetBytesHeading: "Байты пакета",
    layersHeading: "Уровни",
    layersLabel: "Уровни и поля пакета",
    carriesHeading: "Сообщения в этом сегменте",
    datagramCarriesHeading: "Сообщение в этой датаграмме",
    carriesNone: "Ни одно сообщение на шкале не содержит этих байтов: возможно, оно не сохранилось или ещё не пришло.",
    carriedByHeading: "В каких сегментах шли его байты",
    datagramCarriedByHeading: "В какой датаграмме оно шло",
    jumpToMessagesHelp: "Выберите сообщение, чтобы увидеть его среди сообщений.",
    jumpToSegmentsHelp: "Выберите сегмент, чтобы увидеть его среди сегментов.",
    jumpItem: "Событие {n}: {label}",
    partWhole:
      "{n, plural," +
      " one {всё сообщение (# байт)}" +
      " few {всё сообщение (# байта)}" +
      " many {всё сообщение (# байт)}" +
      " other {всё сообщение (# байта)}}",
    partBytes: "байты {from}–{to} из {n}",
    partByte: "байт {from} из {n}",
    joinedMore: "и ещё {n}",
    bytesHeading: "Байты",
    reassembledHeading: "Собранное сообщение: байты потока с {start} по {end}, часть из них пришла в прежних чтениях",
    bytesHelp: "Щёлкните байт или пройдите по байтам стрелками, чтобы найти поле, к которому он относится.",
    bytesLabel:
      "{n, plural," +
      " one {# байт: смещение, шестнадцатеричный вид и текст}" +
      " few {# байта: смещение, шестнадцатеричный вид и текст}" +
      " many {# байт: смещение, шестнадцатеричный вид и текст}" +
      " other {# байта: смещение, шестнадцатеричный вид и текст}}",
    noBytes: "В этом событии нет байтов.",
    fieldsHeading: "Поля",
    noFrames: "Для байтов этого соединения нет разборщика, поэтому они показаны как есть.",
    wholeLoading: "Загружаем байты и поля этого события…",
    wholeFailed: "Лаборатория не прислала байты этого события: возможно, их уже нет. Выберите событие ещё раз, чтобы повторить.",
    treeLabel: "Поля события",
    findingsHeading: "Замечания",
    showBytes: "Показать байты",
    showFindingBytes: "Показать байты замечания {code}",
    fieldByte: "Байт {start}",
    fieldRange:
      "{n, plural," +
      " one {Байты {start}–{end} (# байт)}" +
      " few {Байты {start}–{end} (# байта)}" +
      " many {Байты {start}–{end} (# байт)}" +
      " other {Байты {start}–{end} (# байта)}}",
    fieldEmpty: "Своих байтов нет (смещение {start})",
    fieldMask: "маска {mask}",
    errorCode: "Код ошибки",
    errorMessage: "Что произошло",
    explainOpen:
      "Клиент {client} подключился к серверу {server}. Рукопожатие TCP завершено: теперь обе стороны могут отправлять байты.",
    explainOpenUdp:
      "Первая датаграмма между {client} и {server} начала этот обмен. В UDP соединение не устанавливается: каждая датаграмма идёт сама по себе.",
    explainHalfCloseClient:
      "Клиент закончил передачу: он закрыл свою сторону соединения, и серверу ушёл FIN. Принимать то, что шлёт сервер, клиент всё ещё может.",
    explainHalfCloseServer:
      "Сервер закончил передачу: он закрыл свою сторону соединения, и клиенту ушёл FIN. Принимать то, что шлёт клиент, сервер всё ещё может.",
    explainClose: "Соединение закрыто: ни одна из сторон больше ничего не может по нему отправить.",
    explainReset:
      "Соединение сброшено (в сети это сегмент RST): одна из сторон оборвала его сразу, и ещё не прочитанные байты пропали.",
    explainError: "Соединение завершилось ошибкой. Код ошибки операционной системы ниже говорит, что случилось.",
    explainRefused:
      "connect() от {client} к {server} отвергнут, и соединение так и не открылось: система клиента отправила SYN, а система сервера сразу ответила на него RST, ACK, потому что на порту {port} никакая программа не слушает. connect() вернул ошибку ECONNREFUSED («в соединении отказано»); в Python это ConnectionRefusedError. Ничего не было принято, отправлено или закрыто. Если захват сети включён, оба сегмента видны в масштабе сегментов.",
    explainConnectFailed:
      "connect() от {client} к {server} не удался, и соединение так и не открылось. Код ошибки операционной системы ниже говорит почему.",
    explainUnknown: "Лаборатория записала это событие, не указав, что это за событие.",
    explainCloseUdp:
      "Между этими двумя адресами давно ничего не передавалось, и лаборатория перестала считать их одним обменом. Закрытия в UDP нет: никакой датаграммы при этом не отправлено, это лишь учёт лаборатории. Следующая датаграмма начнёт новый обмен.",
    explainEvictedUdp:
      "Лаборатория следит лишь за ограниченным числом потоков UDP одновременно (с одного адреса и всего), и этот дольше всех молчал, когда появился новый, поэтому лаборатория перестала за ним следить. Никакой датаграммы при этом не отправлено, и сервер продолжает отвечать: следующая датаграмма с того же порта начнёт новый обмен.",
    explainLost:
      "Эта датаграмма была отправлена, но не дошла: её отбросила настройка потерь вашей сессии, как это сделал бы перегруженный маршрутизатор или слабый Wi-Fi. Никто об этом не узнаёт. Отправитель считает, что она ушла, получатель не знает о ней вовсе, а UDP не пошлёт её заново: если она нужна, программа должна сама заметить, что ответа нет (тайм-аут), и отправить её ещё раз. Ниже байты, которые она несла бы.",
    explainDuplicate:
      "Вторая копия уже пришедшей датаграммы: настройка дублирования вашей сессии доставила её дважды, как иногда случается в сети. UDP этого не замечает; программа получает датаграмму два раза и должна с этим справиться (здесь эхо-сервер отвечает на неё дважды).",
    explainTimeout:
      "Клиент ждал ответа, но он не пришёл вовремя, как у клиента из методички с settimeout(5.0): recvfrom выбрасывает socket.timeout. В UDP молчащий сервер, потерянный запрос и потерянный ответ отсюда выглядят одинаково.",
    explainTimeoutTcp:
      "HTTP-клиент лаборатории ждал от сервера весь ответ, но он не пришёл вовремя, и клиент закрыл соединение, как requests в Python, когда истекает timeout= (ReadTimeout). TCP по дороге ничего не потерял: всё, что сервер прислал, показано выше, а свой ответ сервер так и не закончил.",
    explainRefusedUdp:
      "На этом порту никто не слушает: хост ответил на датаграмму сообщением ICMP «порт недоступен», и операционная система сообщает об этом на подключённом сокете клиента как ECONNREFUSED при следующей отправке или приёме.",
    explainRateLimit:
      "Этот источник прислал за раз больше датаграмм, чем сервер лаборатории принимает с одного адреса, и сервер отбросил остаток пачки не читая (ограничение, из-за которого поток от одного студента не мешает всему классу). О каждой пачке сообщается один раз.",
    explainErrorUdp: "Отправка или приём этой датаграммы завершились ошибкой. Код ошибки операционной системы ниже говорит, что случилось.",
  },
});
