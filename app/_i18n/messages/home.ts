// UI text of the home page, plus the shared copy button, error panel and 404 text.
// Lesson topics (lesson*Topics) are separated by "|" and shown as a list.

import { defineMessages } from "../define";

export default defineMessages({
  en: {
    heroTitle: "Learn network protocols by doing",
    heroLead:
      "Protocol Lab runs real servers on this machine. You press a button or type a message, the lab's own client talks to a server, and every byte of the exchange shows up on a timeline, explained.",
    heroStep1: "Pick a lesson and press a button, or type your own message.",
    heroStep2: "The lab's client opens a real connection to a real server and sends your bytes.",
    heroStep3: "Every byte, both ways, lands on the packet timeline, where you can open it and read what it means.",
    heroOwnClients:
      "Your own programs take part too: connect with nc or with a Python client from the course, and their traffic appears on the same timeline.",
    heroStart: "Start with Sockets and TCP",

    lessonsHeading: "Lessons",
    lessonsLead:
      "One lesson for each topic of the course. Begin with sockets and TCP: the protocols of the later lessons all travel over a TCP connection or a UDP socket.",
    lessonReady: "Ready",
    comingSoon: "Coming soon",
    lessonTopics: "Topics",
    lessonTcpTitle: "Sockets and TCP",
    lessonTcpText:
      "What a socket is, which calls the server and the client make, how text becomes bytes, and why TCP delivers a stream rather than messages.",
    lessonTcpTopics: "time server|greeting server|echo server|bytes and characters|stream, not messages",
    lessonUdpTitle: "UDP",
    lessonUdpText: "Datagrams without a connection: an echo server, a binary reply packed with struct, broadcast and multicast.",
    lessonUdpTopics: "echo|BINARY struct|broadcast|multicast",
    lessonHttpTitle: "HTTP and REST",
    lessonHttpText: "Requests and responses you can read line by line: a users API, redirects, and JSON-RPC.",
    lessonHttpTopics: "users API|redirects|JSON-RPC",
    lessonWsTitle: "WebSocket",
    lessonWsText: "How an HTTP request is upgraded into a two-way channel, with an echo endpoint and a class chat.",
    lessonWsTopics: "upgrade|echo|chat",
    lessonJimTitle: "JIM instant messaging",
    lessonJimText: "The course's JSON protocol over TCP: presence, messages to users and rooms, and response codes.",
    lessonJimTopics: "presence|messages|chat rooms|response codes",
    lessonGrpcTitle: "gRPC",
    lessonGrpcText: "Protocol Buffers over HTTP/2: unary calls, streams both ways, metadata and deadlines.",
    lessonGrpcTopics: "unary|streaming|metadata|deadlines",
    lessonSegmentsTitle: "TCP segments",
    lessonSegmentsText: "The packets beneath the stream: a real SYN, SYN-ACK and ACK captured from the wire.",
    lessonSegmentsTopics: "SYN/ACK capture|sequence numbers|FIN and RST",

    statusHeading: "Lab status",
    statusLead: "The servers of the lab host on this machine, checked every 5 seconds.",
    statusCaption: "Lab services with transport, port and state",
    statusChecking: "Checking the lab host…",
    statusUnreachable:
      "The lab host does not answer. Is npm start still running in its terminal? This page keeps trying every 5 seconds.",
    statusSummary: "Listening: {up} of {total} services.",
    statusCheckedAt: "Last checked at {time}.",
    colService: "Service",
    colTransport: "Transport",
    colPort: "Port",
    colState: "State",
    stateListening: "Listening",
    stateFailed: "Failed to start",
    stateStopped: "Stopped",
    stateOther: "State: {state}",
    serviceWeb: "This web interface and the lab's control API",
    serviceTcpEcho: "TCP echo server: welcome, ECHO, time, exit",
    serviceTime: "Time server: sends the time and closes",
    serviceGreeting: "Greeting server: reads one message, answers, closes",
    yourAddress: "The lab sees this browser at {address}. Programs you run from this address appear on your timeline.",

    connectHeading: "Connect your own client",
    connectLead:
      "The lab's servers accept any TCP client. Paste one of these into a terminal, then open a lesson and watch your own bytes on its timeline.",
    connectHost: "The commands use the lab host's address {host}.",
    connectDefaults: "The lab host has not answered yet, so these commands show the default ports.",
    connectWindows:
      "No nc on Windows? Use ncat from the Nmap package, or run the Python programs: they need nothing beyond Python 3.8.",
    cmdNcEcho: "Echo server with nc (type a line, press Enter)",
    cmdNcTime: "Time server with nc",
    cmdPyEcho: "Echo server from Python",
    cmdPyGreeting: "Greeting server from Python",

    copy: "Copy",
    copyNamed: "Copy: {name}",
    copied: "Copied to the clipboard.",
    copyFailed: "Could not copy. Select the text and press Ctrl+C (⌘C on a Mac).",

    notFoundText: "There is no page at this address. Every lesson starts from the lesson map.",
    errorText: "This page failed to show. Connections the lab opened for you are not affected: try again, or go back to the lessons.",
    errorDigest: "Error reference for the lab host's log: {digest}",
  },
  ru: {
    heroTitle: "Сетевые протоколы на практике",
    heroLead:
      "Protocol Lab запускает настоящие серверы прямо на этом компьютере. Вы нажимаете кнопку или пишете сообщение, клиент лаборатории обращается к серверу, а каждый байт обмена появляется на временной шкале вместе с объяснением.",
    heroStep1: "Выберите урок и нажмите кнопку или напишите своё сообщение.",
    heroStep2: "Клиент лаборатории открывает настоящее соединение с настоящим сервером и отправляет ваши байты.",
    heroStep3: "Каждый байт в обе стороны попадает на временную шкалу пакетов: его можно открыть и разобрать, что он значит.",
    heroOwnClients:
      "Ваши собственные программы тоже участвуют: подключитесь через nc или клиентом на Python из курса, и их обмен появится на той же шкале.",
    heroStart: "Начать с урока «Сокеты и TCP»",

    lessonsHeading: "Уроки",
    lessonsLead:
      "По уроку на каждую тему курса. Начните с сокетов и TCP: все протоколы следующих уроков передаются через TCP-соединение или UDP-сокет.",
    lessonReady: "Готов",
    comingSoon: "Скоро",
    lessonTopics: "Темы",
    lessonTcpTitle: "Сокеты и TCP",
    lessonTcpText:
      "Что такое сокет, какие вызовы делают сервер и клиент, как текст превращается в байты и почему TCP доставляет поток, а не сообщения.",
    lessonTcpTopics: "сервер времени|сервер приветствия|эхо-сервер|байты и символы|поток, а не сообщения",
    lessonUdpTitle: "UDP",
    lessonUdpText: "Датаграммы без соединения: эхо-сервер, двоичный ответ, упакованный через struct, широковещание и мультикаст.",
    lessonUdpTopics: "эхо|BINARY и struct|широковещание|мультикаст",
    lessonHttpTitle: "HTTP и REST",
    lessonHttpText: "Запросы и ответы, которые можно прочитать построчно: API пользователей, перенаправления и JSON-RPC.",
    lessonHttpTopics: "API пользователей|перенаправления|JSON-RPC",
    lessonWsTitle: "WebSocket",
    lessonWsText: "Как HTTP-запрос превращается в двусторонний канал: эхо и общий чат группы.",
    lessonWsTopics: "upgrade|эхо|чат",
    lessonJimTitle: "Мессенджер на JIM",
    lessonJimText: "JSON-протокол курса поверх TCP: присутствие, сообщения пользователям и в комнаты, коды ответов.",
    lessonJimTopics: "присутствие|сообщения|чат-комнаты|коды ответов",
    lessonGrpcTitle: "gRPC",
    lessonGrpcText: "Protocol Buffers поверх HTTP/2: унарные вызовы, потоки в обе стороны, метаданные и дедлайны.",
    lessonGrpcTopics: "унарные вызовы|стриминг|метаданные|дедлайны",
    lessonSegmentsTitle: "TCP-сегменты",
    lessonSegmentsText: "Пакеты под потоком: настоящие SYN, SYN-ACK и ACK, перехваченные из сети.",
    lessonSegmentsTopics: "захват SYN/ACK|номера последовательности|FIN и RST",

    statusHeading: "Состояние лаборатории",
    statusLead: "Серверы лаборатории на этом компьютере; проверка каждые 5 секунд.",
    statusCaption: "Службы лаборатории: транспорт, порт и состояние",
    statusChecking: "Проверяем сервер лаборатории…",
    statusUnreachable:
      "Сервер лаборатории не отвечает. Работает ли ещё npm start в своём терминале? Страница пробует снова каждые 5 секунд.",
    statusSummary: "Слушают: {up} из {total}.",
    statusCheckedAt: "Последняя проверка в {time}.",
    colService: "Служба",
    colTransport: "Транспорт",
    colPort: "Порт",
    colState: "Состояние",
    stateListening: "Слушает",
    stateFailed: "Не запустилась",
    stateStopped: "Остановлена",
    stateOther: "Состояние: {state}",
    serviceWeb: "Этот веб-интерфейс и управляющий API лаборатории",
    serviceTcpEcho: "Эхо-сервер TCP: приветствие, ECHO, time, exit",
    serviceTime: "Сервер времени: отправляет время и закрывает соединение",
    serviceGreeting: "Сервер приветствия: читает одно сообщение, отвечает, закрывает",
    yourAddress: "Лаборатория видит этот браузер по адресу {address}. Программы, запущенные с этого адреса, появляются на вашей шкале.",

    connectHeading: "Подключите свой клиент",
    connectLead:
      "Серверы лаборатории принимают любой TCP-клиент. Вставьте одну из команд в терминал, откройте урок и смотрите на шкале свои собственные байты.",
    connectHost: "В командах указан адрес сервера лаборатории {host}.",
    connectDefaults: "Сервер лаборатории пока не ответил, поэтому в командах стоят порты по умолчанию.",
    connectWindows:
      "Нет nc в Windows? Возьмите ncat из пакета Nmap или запустите программы на Python: им не нужно ничего, кроме Python 3.8.",
    cmdNcEcho: "Эхо-сервер через nc (наберите строку и нажмите Enter)",
    cmdNcTime: "Сервер времени через nc",
    cmdPyEcho: "Эхо-сервер из Python",
    cmdPyGreeting: "Сервер приветствия из Python",

    copy: "Копировать",
    copyNamed: "Копировать: {name}",
    copied: "Скопировано в буфер обмена.",
    copyFailed: "Скопировать не получилось. Выделите текст и нажмите Ctrl+C (⌘C на Mac).",

    notFoundText: "По этому адресу страницы нет. Все уроки начинаются со списка уроков.",
    errorText:
      "Страницу не удалось показать. Соединения, которые лаборатория открыла для вас, не пострадали: попробуйте снова или вернитесь к урокам.",
    errorDigest: "Код ошибки для журнала сервера лаборатории: {digest}",
  },
});
