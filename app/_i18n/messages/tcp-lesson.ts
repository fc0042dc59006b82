// UI text and prose of lesson 1, "Sockets and TCP". In prose, `backticks` mark code (see
// app/_components/tcp-lesson/prose.tsx). Facts come from the course's seed documents 000, 002 and 003;
// the wording is the lab's own.

import { defineMessages } from "../define";

export default defineMessages({
  en: {
    metaTitle: "Sockets and TCP",
    metaDescription:
      "Lesson 1 of Protocol Lab: what a socket is, the calls of a TCP server and client, characters versus bytes, and why TCP is a stream.",
    kicker: "Lesson 1",
    title: "Sockets and TCP",
    lede: "In this lesson you talk to three small TCP servers running on this machine: one tells the time, one greets you, one repeats whatever you send. On the way you meet the calls every networked program makes, watch text turn into bytes, and find out what TCP does not promise.",
    tocLabel: "On this page",
    errorText: "The lesson failed to show. The lab's servers keep running: try again, or go back to the lessons.",

    socketHeading: "What a socket is",
    socketP1:
      "A program cannot reach into the memory of a program on another computer. What it can do is ask its operating system for a socket: one end of a communication channel. The program writes bytes into the socket and reads bytes out of it, much as it would with an open file. In Unix the resemblance goes further: the program holds a socket by a file descriptor, the same small integer it gets for any open file.",
    socketP2:
      "A TCP connection joins two sockets, and each end is named by an IP address and a port. The address finds the computer; the port, a 16-bit number from 0 to 65535, finds the program on it. Ports below 1024 are reserved for well-known services: SSH on 22, HTTP on 80, HTTPS on 443. The lab's servers use higher ones: the echo server listens on 8888, the time server on 8000, the greeting server on 8007.",
    socketP3:
      "A program that creates a socket chooses two things. The address family: `AF_INET` for IPv4, `AF_INET6` for IPv6, `AF_UNIX` for programs on the same machine. And the socket type: `SOCK_STREAM` is a reliable, ordered, two-way stream of bytes, which over IP means TCP; `SOCK_DGRAM` sends separate datagrams with no promise of delivery, which means UDP, the subject of a later lesson.",

    callsHeading: "The calls, server and client",
    callsP1:
      "Before they can talk, the server and the client make different calls; once connected, they use the same ones. Here they are under the names Python's socket module gives them.",
    callsServerHeading: "The server",
    callServerSocket: "`socket()` creates the socket that will wait for clients.",
    callServerBind:
      "`bind((address, port))` attaches it to an address and a port, so that clients know where to find it. Only one program at a time can bind a given port on an address; a second one gets the error \"address already in use\".",
    callServerListen:
      "`listen(backlog)` makes it a listening socket: the operating system now accepts connections on the server's behalf and queues up to backlog of them until the program takes them.",
    callServerAccept:
      "`accept()` waits until a client has connected, then returns a new socket for that one client together with the client's address. The listening socket stays as it was, ready for the next client: this is how one server serves many.",
    callsClientHeading: "The client",
    callClientSocket: "`socket()` creates the client's socket.",
    callClientConnect:
      "`connect((address, port))` opens the connection to the server. The client does not call `bind()`: the operating system picks a free port for its end, and that is the port the server sees in the client's address.",
    callsBothHeading: "Both sides, once connected",
    callSend:
      "`send(data)` hands bytes to the operating system for delivery and returns how many it took, which may be fewer than you gave. Python's `sendall()` keeps going until everything is handed over.",
    callRecv:
      "`recv(n)` waits until data has arrived and returns what is there, at most n bytes. It returns an empty result, 0 bytes, when the other side has finished sending: that is how a reader learns that the stream has ended.",
    callShutdown:
      "`shutdown(SHUT_WR)` says \"I will send nothing more\" while the socket can still read: a half-close. The other side's `recv()` then returns 0 bytes.",
    callClose: "`close()` ends the connection on this side and releases the socket.",
    callsP2:
      "The socket-calls diagram (beside the timeline on a wide screen, after the experiments on a narrow one) follows these calls live. Run an experiment and watch which calls light up on which side.",
    callsP3:
      "The lab watches each connection through the socket API, so the diagram shows the calls that each event implies: an arrow of bytes from the client means that the client's `send()` handed them over and the server's `recv()` returned them. Bytes from the client are recorded as the server read them, so two quick `send()` calls that arrive together show as one. The server made its `socket()`, `bind()` and `listen()` only once, when the lab host started.",

    experimentsHeading: "Experiments",
    experimentsP1:
      "Each button uses the lab's own client: it opens a real TCP connection to a real server on this machine and writes real bytes. Every arrow on the timeline is something that actually crossed the connection; select one to see its bytes.",
    connectionLabel: "Connection:",
    clientPortIs: "client port {port}",
    stateIdle: "not connected",
    stateConnecting: "connecting…",
    stateOpen: "open",
    stateClientHalfClosed: "half-closed by you: the client can still read",
    stateServerHalfClosed: "the server has finished sending",
    stateBothHalfClosed: "both sides have finished sending",
    stateClosed: "closed",
    stateError: "failed",
    labUnreachable: "The lab host did not answer. Is npm start still running in its terminal?",
    labRefused: "The lab host refused: {message}",
    timelineDisconnected:
      "This page is not receiving the timeline's events right now, so the server's answers cannot be shown here. It reconnects by itself.",
    timelinePaused: "The timeline is paused: the server's answers will appear here when you resume it.",

    timeTitle: "1. The time server, port 8000",
    timeP1:
      "The simplest server there is: it accepts a connection, writes the current time and closes. The client sends nothing at all; it connects and reads until the server closes.",
    timeP2:
      "The time is the lab host's local time in ISO 8601 form: the date, the letter `T`, then the time with microseconds. A newline follows, and a newline is a byte too: you will see it written as `\\n`.",
    timeConnect: "Connect to the time server",
    timeReceived: { one: "Received {n} byte:", other: "Received {n} bytes:" },
    timeClosed:
      "Then the server closed the connection, and the client's `recv()` returned 0 bytes. With this server, that is the only sign that the answer is complete.",

    greetingTitle: "2. The greeting server, port 8007: characters and bytes",
    greetingP1: "The greeting server reads one message, answers `Привет, клиент` and closes the connection.",
    greetingP2:
      "A network carries bytes, not letters. Before sending, a program encodes its text into bytes; after receiving, it decodes the bytes back into text, and both sides must agree on the encoding. In Python that is `text.encode(\"utf-8\")` and `data.decode(\"utf-8\")`.",
    greetingP3:
      "In UTF-8, Latin letters, digits, spaces and punctuation take one byte each, and every Cyrillic letter takes two. So `Привет, клиент` is 14 characters but 26 bytes: 12 letters of two bytes, plus a comma and a space. Older Russian encodings such as cp1251 and koi8-r spend one byte per letter, which is why text decoded with the wrong encoding turns into gibberish.",
    greetingInput: "Message to send",
    greetingSend: "Connect and send",
    greetingCounts: "Characters: {chars} · bytes in UTF-8: {n}",
    greetingBreakdown: "Each character with its UTF-8 bytes (a thick border marks characters of two bytes or more):",
    greetingCharBytes: { one: "{n} byte", other: "{n} bytes" },
    greetingBreakdownCut: "Only the first {n} characters are shown.",
    greetingTableCaption: "What crossed the connection",
    greetingColText: "Text",
    greetingColChars: "Characters",
    greetingColBytes: "Bytes",
    greetingRowSent: "You sent",
    greetingRowAnswer: "The server answered",

    echoTitle: "3. The echo server, port 8888",
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
    echoPreview: { one: "Will send {n} byte:", other: "Will send {n} bytes:" },
    hexBadChar: "Use only the hex digits 0–9 and a–f; spaces between bytes are fine.",
    hexOddLength: "Each byte needs two hex digits; one digit is missing.",
    echoSend: "Send",
    echoQuick: "Quick commands:",
    echoQuickSend: "Send",
    echoConnectFirst: "Connect first; then you can send messages.",
    echoLastAnswer: {
      one: "The server's latest answer, {n} byte (one box per DATA event on the timeline):",
      other: "The server's latest answer, {n} bytes (one box per DATA event on the timeline):",
    },

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
    streamDone: {
      one: "Done: the server read the data in {n} recv() call.",
      other: "Done: the server read the data in {n} recv() calls.",
    },
    streamTimedOut:
      "Stopped waiting: {got} of {total} bytes came back within 10 seconds. The timeline may have dropped events, or the server stopped answering.",
    streamPairWrites: "You made two `send()` calls, back to back: `ping` (4 bytes), then `pong` (4 bytes).",
    streamBulkWrites: "You made one `send()` call with {n} bytes.",
    streamReads: {
      one: "The server's `recv(1024)` has returned data {n} time:",
      other: "The server's `recv(1024)` has returned data {n} times:",
    },
    streamSizes: "Bytes per read:",
    streamDataEvents: {
      one: "The timeline shows {n} DATA arrow from client to server: one chunk that the server's socket read from the operating system.",
      other: "The timeline shows {n} DATA arrows from client to server: each is one chunk that the server's socket read from the operating system.",
    },
    streamPairJoined:
      "This time both writes had arrived before the server read, and one `recv()` returned `pingpong`: the border between your two messages is gone.",
    streamPairSeparate:
      "This time the server read `ping` and `pong` in two separate `recv()` calls. Nothing guaranteed that: the server was simply quick enough. Run it again, or imagine a busy server that reads a moment later.",
    streamPairOther:
      "This time the bytes were cut into pieces that do not match your two writes. TCP allows any split, as long as the bytes keep their order.",
    streamBulkExplained: {
      one: "One `send()` became {n} read on the server.",
      other:
        "One `send()` became {n} reads of at most 1024 bytes on the server. The operating system handed the 100 KB to the server in the chunks you see as DATA arrows (a Node.js server takes up to 64 KB at once); the echo server then cuts each chunk 1024 bytes at a time, just as the course's Python server gets it from `recv(1024)`.",
    },

    asideLabel: "Socket calls and timeline",
    diagramHeading: "Socket calls, live",
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
    callCount: { one: "once", other: "{n} times" },
    callBytes: { one: "({n} byte)", other: "({n} bytes)" },
    callEof: "returned 0 bytes: the other side has finished sending",
    stepError: "The connection failed: {code} {message}",
    latestCall: "Latest: {text}",
    diagramSteps: "Steps of this connection: {n}",
    timelineHeading: "Packet timeline",
    timelineLead:
      "Every event on your connections, including programs you run from your own terminal. Select an arrow to see its bytes.",

    terminalHeading: "Try it from your terminal",
    terminalP1:
      "The same servers accept your own programs. Run these in a terminal on this computer, or on the class network when the lab runs in class mode. Your connections appear on the timeline as external clients, next to the lab's own.",
    terminalP2:
      "The Python programs use nothing but the socket module: `socket()`, `connect()`, `sendall()`, `recv()`, and `close()`, which the `with` block calls for you.",
    termHost: "The lab host's address: {host}.",
    termHostUnknown: "The lab host did not answer, so the commands show the default ports at this page's address.",
    termHostChecking: "Asking the lab host for its address and ports…",
    termTime: "Time server, port {port}",
    termGreeting: "Greeting server, port {port}",
    termEcho: "Echo server, port {port}",
    termNc: "nc",
    termPython: "Python",
    termTimeNote:
      "nc prints the time and exits when the server closes. The Python program prints the text with `repr()`, so you can see the `\\n` at its end.",
    termGreetingNote:
      "`printf '%s'` sends the message without a newline. The Python program prints the answer and its length in bytes: 26, for 14 characters.",
    termEchoNote:
      "In nc, each line you type is sent when you press Enter, newline included; the server trims it before answering. Type `exit` to finish, or press Ctrl+C. The Python program reads the welcome, sends `hello`, then `exit`, and reads until the server closes.",

    rememberHeading: "What to remember",
    remember1: "A socket is one end of a connection, named by an IP address and a port and used through a file descriptor.",
    remember2:
      "The server calls `socket()`, `bind()` and `listen()`, then `accept()` for each client; the client calls `socket()` and `connect()`. After that both sides use `send()`, `recv()` and `close()`.",
    remember3: "`accept()` returns a new socket for each client, and the listening socket goes on waiting for the next one.",
    remember4: "Only bytes travel. Text needs the same encoding on both ends, and characters are not bytes: in UTF-8 a Cyrillic letter takes two.",
    remember5:
      "TCP is a stream: it keeps the order of the bytes but not the borders of your writes. Marking where a message ends is the application protocol's job.",
  },
  ru: {
    metaTitle: "Сокеты и TCP",
    metaDescription:
      "Урок 1 Protocol Lab: что такое сокет, какие вызовы делают TCP-сервер и клиент, чем символы отличаются от байтов и почему TCP — это поток.",
    kicker: "Урок 1",
    title: "Сокеты и TCP",
    lede: "В этом уроке вы поговорите с тремя небольшими TCP-серверами, которые работают на этом компьютере: один сообщает время, другой здоровается, третий повторяет всё, что вы ему отправите. По дороге вы познакомитесь с вызовами, которые делает любая сетевая программа, увидите, как текст превращается в байты, и узнаете, чего TCP не обещает.",
    tocLabel: "На этой странице",
    errorText: "Урок не удалось показать. Серверы лаборатории продолжают работать: попробуйте снова или вернитесь к урокам.",

    socketHeading: "Что такое сокет",
    socketP1:
      "Программа не может заглянуть в память программы на другом компьютере. Зато она может попросить у операционной системы сокет — один конец канала связи. Программа записывает в сокет байты и читает байты из него почти так же, как работала бы с открытым файлом. В Unix сходство идёт ещё дальше: программа обращается к сокету через файловый дескриптор — такое же небольшое целое число, какое она получает для любого открытого файла.",
    socketP2:
      "TCP-соединение связывает два сокета, и у каждого конца есть имя: IP-адрес и порт. По адресу находится компьютер, по порту — программа на нём. Порт — это 16-битное число от 0 до 65535; порты ниже 1024 закреплены за известными службами: SSH на 22, HTTP на 80, HTTPS на 443. Серверы лаборатории используют порты выше: эхо-сервер слушает 8888, сервер времени — 8000, сервер приветствия — 8007.",
    socketP3:
      "Создавая сокет, программа выбирает две вещи. Семейство адресов: `AF_INET` для IPv4, `AF_INET6` для IPv6, `AF_UNIX` для программ на одном компьютере. И тип сокета: `SOCK_STREAM` — надёжный упорядоченный двусторонний поток байтов, то есть поверх IP это TCP; `SOCK_DGRAM` отправляет отдельные датаграммы без гарантии доставки — это UDP, ему посвящён один из следующих уроков.",

    callsHeading: "Вызовы сервера и клиента",
    callsP1:
      "Пока соединения нет, сервер и клиент делают разные вызовы; после соединения — одни и те же. Вот они под теми именами, которые им даёт модуль socket в Python.",
    callsServerHeading: "Сервер",
    callServerSocket: "`socket()` создаёт сокет, который будет ждать клиентов.",
    callServerBind:
      "`bind((address, port))` привязывает его к адресу и порту, чтобы клиенты знали, где его искать. Занять порт на адресе может только одна программа; вторая получит ошибку «address already in use» — адрес уже используется.",
    callServerListen:
      "`listen(backlog)` делает сокет слушающим: теперь операционная система сама принимает соединения от имени сервера и держит в очереди до backlog из них, пока программа их не заберёт.",
    callServerAccept:
      "`accept()` ждёт, пока подключится клиент, и возвращает новый сокет для этого клиента вместе с его адресом. Слушающий сокет остаётся прежним и готов к следующему клиенту: так один сервер обслуживает многих.",
    callsClientHeading: "Клиент",
    callClientSocket: "`socket()` создаёт сокет клиента.",
    callClientConnect:
      "`connect((address, port))` открывает соединение с сервером. Клиент не вызывает `bind()`: операционная система сама выбирает свободный порт для его конца — именно этот порт сервер видит в адресе клиента.",
    callsBothHeading: "Обе стороны после соединения",
    callSend:
      "`send(data)` передаёт байты операционной системе для доставки и возвращает, сколько она приняла, — иногда меньше, чем вы дали. `sendall()` в Python повторяет отправку, пока не передаст всё.",
    callRecv:
      "`recv(n)` ждёт, пока придут данные, и возвращает то, что есть, но не больше n байт. Пустой результат, 0 байт, означает, что другая сторона закончила отправку: так читающий узнаёт, что поток кончился.",
    callShutdown:
      "`shutdown(SHUT_WR)` сообщает «больше ничего не отправлю», а читать из сокета по-прежнему можно: это полузакрытие. `recv()` на другой стороне после этого возвращает 0 байт.",
    callClose: "`close()` закрывает соединение со своей стороны и освобождает сокет.",
    callsP2:
      "Схема вызовов сокетов (на широком экране — рядом с временной шкалой, на узком — после экспериментов) показывает эти вызовы вживую. Запустите эксперимент и посмотрите, какие вызовы загораются на какой стороне.",
    callsP3:
      "Лаборатория наблюдает за каждым соединением через API сокетов, поэтому схема показывает вызовы, которые следуют из каждого события: стрелка с байтами от клиента значит, что `send()` клиента их отправил, а `recv()` сервера их получил. Байты от клиента записываются так, как их прочитал сервер, поэтому два быстрых `send()`, пришедших вместе, выглядят как один. Свои `socket()`, `bind()` и `listen()` сервер сделал один раз — при запуске лаборатории.",

    experimentsHeading: "Эксперименты",
    experimentsP1:
      "Каждая кнопка работает через клиент лаборатории: он открывает настоящее TCP-соединение с настоящим сервером на этом компьютере и записывает настоящие байты. Каждая стрелка на временной шкале — то, что действительно прошло по соединению; выберите её, чтобы увидеть байты.",
    connectionLabel: "Соединение:",
    clientPortIs: "порт клиента {port}",
    stateIdle: "не подключено",
    stateConnecting: "подключение…",
    stateOpen: "открыто",
    stateClientHalfClosed: "вы закрыли свою половину: клиент ещё может читать",
    stateServerHalfClosed: "сервер закончил отправку",
    stateBothHalfClosed: "обе стороны закончили отправку",
    stateClosed: "закрыто",
    stateError: "ошибка",
    labUnreachable: "Сервер лаборатории не ответил. Работает ли ещё npm start в своём терминале?",
    labRefused: "Сервер лаборатории отказал: {message}",
    timelineDisconnected:
      "Сейчас страница не получает события временной шкалы, поэтому ответы сервера здесь показать нельзя. Подключение восстановится само.",
    timelinePaused: "Временная шкала на паузе: ответы сервера появятся здесь, когда вы её продолжите.",

    timeTitle: "1. Сервер времени, порт 8000",
    timeP1:
      "Самый простой сервер из возможных: принимает соединение, записывает текущее время и закрывает соединение. Клиент ничего не отправляет: он подключается и читает, пока сервер не закроет соединение.",
    timeP2:
      "Время — местное время компьютера, на котором работает лаборатория, в формате ISO 8601: дата, буква `T`, затем время с микросекундами. Следом идёт перевод строки, а он тоже байт: вы увидите его как `\\n`.",
    timeConnect: "Подключиться к серверу времени",
    timeReceived: { one: "Получен {n} байт:", few: "Получено {n} байта:", many: "Получено {n} байт:", other: "Получено {n} байта:" },
    timeClosed:
      "Затем сервер закрыл соединение, и `recv()` клиента вернул 0 байт. У этого сервера это единственный признак того, что ответ получен целиком.",

    greetingTitle: "2. Сервер приветствия, порт 8007: символы и байты",
    greetingP1: "Сервер приветствия читает одно сообщение, отвечает `Привет, клиент` и закрывает соединение.",
    greetingP2:
      "Сеть передаёт байты, а не буквы. Перед отправкой программа кодирует текст в байты, после получения — декодирует байты обратно в текст, и обе стороны должны использовать одну и ту же кодировку. В Python это `text.encode(\"utf-8\")` и `data.decode(\"utf-8\")`.",
    greetingP3:
      "В UTF-8 латинские буквы, цифры, пробелы и знаки препинания занимают по одному байту, а каждая буква кириллицы — два. Поэтому `Привет, клиент` — это 14 символов, но 26 байт: 12 букв по два байта, запятая и пробел. Старые русские кодировки, например cp1251 и koi8-r, тратят на букву один байт — вот почему текст, декодированный не той кодировкой, превращается в «кракозябры».",
    greetingInput: "Сообщение для отправки",
    greetingSend: "Подключиться и отправить",
    greetingCounts: "Символов: {chars} · байтов в UTF-8: {n}",
    greetingBreakdown: "Каждый символ и его байты в UTF-8 (толстая рамка — у символов из двух байтов и больше):",
    greetingCharBytes: { one: "{n} байт", few: "{n} байта", many: "{n} байт", other: "{n} байта" },
    greetingBreakdownCut: "Показаны только первые {n} символов.",
    greetingTableCaption: "Что прошло по соединению",
    greetingColText: "Текст",
    greetingColChars: "Символы",
    greetingColBytes: "Байты",
    greetingRowSent: "Вы отправили",
    greetingRowAnswer: "Сервер ответил",

    echoTitle: "3. Эхо-сервер, порт 8888",
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
    echoPreview: {
      one: "Будет отправлен {n} байт:",
      few: "Будет отправлено {n} байта:",
      many: "Будет отправлено {n} байт:",
      other: "Будет отправлено {n} байта:",
    },
    hexBadChar: "Используйте только шестнадцатеричные цифры 0–9 и a–f; пробелы между байтами допустимы.",
    hexOddLength: "На каждый байт нужны две шестнадцатеричные цифры, одной не хватает.",
    echoSend: "Отправить",
    echoQuick: "Быстрые команды:",
    echoQuickSend: "Отправить",
    echoConnectFirst: "Сначала подключитесь, потом можно отправлять сообщения.",
    echoLastAnswer: {
      one: "Последний ответ сервера, {n} байт (по рамке на каждое событие DATA на шкале):",
      few: "Последний ответ сервера, {n} байта (по рамке на каждое событие DATA на шкале):",
      many: "Последний ответ сервера, {n} байт (по рамке на каждое событие DATA на шкале):",
      other: "Последний ответ сервера, {n} байта (по рамке на каждое событие DATA на шкале):",
    },

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
    streamDone: {
      one: "Готово: сервер прочитал данные за {n} вызов recv().",
      few: "Готово: сервер прочитал данные за {n} вызова recv().",
      many: "Готово: сервер прочитал данные за {n} вызовов recv().",
      other: "Готово: сервер прочитал данные за {n} вызова recv().",
    },
    streamTimedOut:
      "Ожидание остановлено: за 10 секунд вернулось {got} из {total} байт. Возможно, шкала потеряла часть событий или сервер перестал отвечать.",
    streamPairWrites: "Вы сделали два вызова `send()` подряд: `ping` (4 байта), затем `pong` (4 байта).",
    streamBulkWrites: "Вы сделали один вызов `send()` на {n} байт.",
    streamReads: {
      one: "`recv(1024)` на сервере вернул данные {n} раз:",
      few: "`recv(1024)` на сервере вернул данные {n} раза:",
      many: "`recv(1024)` на сервере вернул данные {n} раз:",
      other: "`recv(1024)` на сервере вернул данные {n} раза:",
    },
    streamSizes: "Байтов за одно чтение:",
    streamDataEvents: {
      one: "На шкале {n} стрелка DATA от клиента к серверу: один кусок, который сокет сервера прочитал у операционной системы.",
      few: "На шкале {n} стрелки DATA от клиента к серверу: каждая — один кусок, который сокет сервера прочитал у операционной системы.",
      many: "На шкале {n} стрелок DATA от клиента к серверу: каждая — один кусок, который сокет сервера прочитал у операционной системы.",
      other: "На шкале {n} стрелки DATA от клиента к серверу: каждая — один кусок, который сокет сервера прочитал у операционной системы.",
    },
    streamPairJoined:
      "На этот раз обе записи успели прийти до того, как сервер начал читать, и один `recv()` вернул `pingpong`: граница между вашими двумя сообщениями пропала.",
    streamPairSeparate:
      "На этот раз сервер прочитал `ping` и `pong` двумя отдельными вызовами `recv()`. Это ничем не гарантировано: сервер просто успел. Запустите ещё раз или представьте загруженный сервер, который читает чуть позже.",
    streamPairOther:
      "На этот раз байты разрезаны на куски, не совпадающие с вашими двумя записями. TCP допускает любое разбиение, лишь бы байты шли по порядку.",
    streamBulkExplained: {
      one: "Один `send()` превратился на сервере в {n} чтение.",
      few: "Один `send()` превратился на сервере в {n} чтения по 1024 байта или меньше. Операционная система отдала серверу 100 КБ кусками, которые видны на шкале как стрелки DATA (сервер на Node.js берёт до 64 КБ за раз); затем эхо-сервер режет каждый кусок по 1024 байта — ровно так, как их получил бы `recv(1024)` у Python-сервера из курса.",
      many: "Один `send()` превратился на сервере в {n} чтений по 1024 байта или меньше. Операционная система отдала серверу 100 КБ кусками, которые видны на шкале как стрелки DATA (сервер на Node.js берёт до 64 КБ за раз); затем эхо-сервер режет каждый кусок по 1024 байта — ровно так, как их получил бы `recv(1024)` у Python-сервера из курса.",
      other:
        "Один `send()` превратился на сервере в {n} чтения по 1024 байта или меньше. Операционная система отдала серверу 100 КБ кусками, которые видны на шкале как стрелки DATA (сервер на Node.js берёт до 64 КБ за раз); затем эхо-сервер режет каждый кусок по 1024 байта — ровно так, как их получил бы `recv(1024)` у Python-сервера из курса.",
    },

    asideLabel: "Вызовы сокетов и временная шкала",
    diagramHeading: "Вызовы сокетов вживую",
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
    callCount: { one: "{n} раз", few: "{n} раза", many: "{n} раз", other: "{n} раза" },
    callBytes: { one: "({n} байт)", few: "({n} байта)", many: "({n} байт)", other: "({n} байта)" },
    callEof: "вернул 0 байт: другая сторона закончила отправку",
    stepError: "Ошибка соединения: {code} {message}",
    latestCall: "Последний шаг: {text}",
    diagramSteps: "Шаги этого соединения: {n}",
    timelineHeading: "Временная шкала пакетов",
    timelineLead:
      "Все события ваших соединений, в том числе от программ, запущенных в вашем терминале. Выберите стрелку, чтобы увидеть её байты.",

    terminalHeading: "Попробуйте из терминала",
    terminalP1:
      "Те же серверы принимают и ваши собственные программы. Запустите эти команды в терминале на этом компьютере или в сети класса, если лаборатория работает в режиме класса. Ваши соединения появятся на шкале как внешние клиенты, рядом с соединениями лаборатории.",
    terminalP2:
      "Программам на Python нужен только модуль socket: `socket()`, `connect()`, `sendall()`, `recv()` и `close()`, который за вас вызывает блок `with`.",
    termHost: "Адрес сервера лаборатории: {host}.",
    termHostUnknown: "Сервер лаборатории не ответил, поэтому в командах стоят порты по умолчанию и адрес этой страницы.",
    termHostChecking: "Спрашиваем у сервера лаборатории адрес и порты…",
    termTime: "Сервер времени, порт {port}",
    termGreeting: "Сервер приветствия, порт {port}",
    termEcho: "Эхо-сервер, порт {port}",
    termNc: "nc",
    termPython: "Python",
    termTimeNote:
      "nc печатает время и завершается, когда сервер закрывает соединение. Программа на Python печатает текст через `repr()`, чтобы был виден `\\n` в конце.",
    termGreetingNote:
      "`printf '%s'` отправляет сообщение без перевода строки. Программа на Python печатает ответ и его длину в байтах: 26 — при 14 символах.",
    termEchoNote:
      "В nc каждая набранная строка отправляется по Enter вместе с переводом строки; сервер отрезает его перед ответом. Наберите `exit`, чтобы закончить, или нажмите Ctrl+C. Программа на Python читает приветствие, отправляет `hello`, затем `exit` и читает, пока сервер не закроет соединение.",

    rememberHeading: "Что запомнить",
    remember1: "Сокет — один конец соединения; у него есть IP-адрес и порт, а программа работает с ним через файловый дескриптор.",
    remember2:
      "Сервер вызывает `socket()`, `bind()` и `listen()`, затем `accept()` для каждого клиента; клиент вызывает `socket()` и `connect()`. После этого обе стороны используют `send()`, `recv()` и `close()`.",
    remember3: "`accept()` возвращает новый сокет для каждого клиента, а слушающий сокет продолжает ждать следующего.",
    remember4:
      "По сети идут только байты. Текст требует одной и той же кодировки на обоих концах, и символы — это не байты: в UTF-8 буква кириллицы занимает два.",
    remember5:
      "TCP — это поток: он сохраняет порядок байтов, но не границы ваших записей. Отмечать, где кончается сообщение, — задача прикладного протокола.",
  },
});
