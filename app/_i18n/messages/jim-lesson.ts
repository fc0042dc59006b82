// UI text of the JIM lesson: the messenger, the framing experiment and the terminal commands. The lesson's prose is
// MDX (app/lessons/jim/content.<locale>.mdx). `backticks` mark code. Facts come from seed 002 (the JIM protocol and
// its homework); the wording is the lab's own. Ports are passed as strings, so that 7777 is never written "7,777".

import { defineMessages } from "../define";

export default defineMessages({
  en: {
    errorText: "The lesson failed to show. The lab's servers keep running: try again, or go back to the lessons.",

    messengerTitle: "The messenger, on the lab's JIM server (port {port})",
    messengerP1:
      "Log in and chat: the lab's own JIM client opens a TCP connection to the JIM server for this page and writes each message as the course's homework client does, one JSON object per `send()`. Without a password you are a guest (a `presence`); with one, the client sends `authenticate`.",
    messengerP2:
      "Join a room (its name starts with `#`) and send to it, or send to a user by name. Open this lesson in a second tab, log in there under another name and join the same room: each tab gets the other's messages from the server. Beside every bubble is the JSON object exactly as it crossed the connection.",
    loginForm: "Log in",
    nameLabel: "Account name (at most 25 characters)",
    passwordLabel: "Password (empty: log in as a guest)",
    loginGuest: "Log in as a guest",
    loginAccount: "Log in with the password",
    quit: "Quit",
    stateIdle: "not connected",
    stateConnecting: "connecting…",
    stateOpen: "connected as {name}",
    stateClosed: "connection closed",
    defaultStatus: "Yep, I am here!",
    roomForm: "Rooms",
    roomLabel: "Room",
    join: "Join",
    leave: "Leave",
    messageForm: "Send a message",
    toLabel: "To (a user, or a #room)",
    textLabel: "Message",
    send: "Send",
    closedWith: "The connection ended: {error}",
    itemsLabel: "Messages on this connection, both ways",
    bubbleHead: "{from} → {to}",
    replyLine: "Server: {code} {words}",
    actionLine: "{action} ({way})",
    wayOut: "sent",
    wayIn: "from the server",
    notJimLine: "Not a JIM object",
    itemSent: "{n, plural, one {# byte sent} other {# bytes sent}}",
    itemGot: "{n, plural, one {# byte received} other {# bytes received}}",
    showOnTimeline: "Show on the timeline",
    showWhich: "(object {n})",

    framingTitle: "Two quick sends, one read",
    framingP1:
      "The button writes two `msg` objects back to back in one `write()`, to your own name. That is what two quick `send()` calls often look like at the other end: TCP delivers a stream of bytes, not messages, and one `recv()` returns whatever has arrived.",
    framingP2:
      "On the timeline, the server's read carries both objects. The JIM dissector cuts them apart anyway, and marks the second: it came in the same read as the end of the first.",
    framingRun: "Send two messages at once",
    framingFirst: "first",
    framingSecond: "second",
    framingLoads: "A client that does `data = sock.recv(1024)` and then `json.loads(data.decode())` gets all {n} bytes in one string, and Python stops at the second object:",
    framingLook: "Select the server's read of those bytes on the timeline: two frames, and the second one's finding.",
    framingItems: "Objects of the framing experiment",

    wayDelimiterTitle: "A delimiter after every object",
    wayDelimiterNote:
      "Both ends agree that a newline ends a message. JSON as `json.dumps` writes it never holds a raw newline (inside strings it is `\\n`), so the byte is free to mean \"end\". The client and the server must both change; this is how JSON Lines and many chat protocols work.",
    wayLengthTitle: "A length before every object",
    wayLengthNote:
      "The sender writes the object's length first, in a fixed 4 bytes; the reader takes exactly that many. Nothing in the object needs escaping, and the reader knows in advance how much memory it needs (and can refuse too much). Both ends must change here too.",
    wayDecoderTitle: "An incremental decoder",
    wayDecoderNote:
      "The reader keeps a buffer and cuts whole objects off its front, however the reads split or join them: the only way that works with the homework's clients as they are, and what the lab's server does. Decode bytes only when a character is whole (a UTF-8 letter may be split across reads) and bound the buffer: the lab's server answers 400 past 640 characters.",

    termHomework: "The homework against the lab's JIM server, port {port}",
    termClient: "Your client",
    termServer: "Your server",
    termHomeworkNote:
      "Seed 002's homework: `client.py <addr> [<port>]` sends a presence and prints the reply; point it at the lab and watch its bytes on the timeline. Your `server.py -p <port> -a <addr>` listens on a port of its own; the lab's CLI client below talks to it as to the lab.",
    termRaw: "Raw bytes and the lab's own client, port {port}",
    termNc: "nc",
    termLabClient: "The lab's CLI client",
    termRawNote:
      "`nc` sends one presence you typed by hand and prints the server's reply. `npm run jim:client` is an interactive JIM client (presence, msg, join, leave, quit) for the lab's server or yours.",
  },
  ru: {
    errorText: "Урок не удалось показать. Серверы лаборатории работают: попробуйте ещё раз или вернитесь к списку уроков.",

    messengerTitle: "Мессенджер на JIM-сервере лаборатории (порт {port})",
    messengerP1:
      "Войдите и пишите: JIM-клиент лаборатории открывает для этой страницы TCP-соединение с JIM-сервером и пишет каждое сообщение, как клиент из домашнего задания курса, — один JSON-объект на `send()`. Без пароля вы гость (`presence`); с паролем клиент отправляет `authenticate`.",
    messengerP2:
      "Войдите в чат (его имя начинается с `#`) и пишите в него или пишите пользователю по имени. Откройте этот урок во второй вкладке, войдите там под другим именем и в тот же чат: каждая вкладка получает сообщения другой от сервера. Рядом с каждым пузырём — JSON-объект ровно таким, каким он прошёл по соединению.",
    loginForm: "Вход",
    nameLabel: "Имя учётной записи (не больше 25 символов)",
    passwordLabel: "Пароль (пусто — войти гостем)",
    loginGuest: "Войти гостем",
    loginAccount: "Войти с паролем",
    quit: "Выйти",
    stateIdle: "нет соединения",
    stateConnecting: "соединение…",
    stateOpen: "вы вошли как {name}",
    stateClosed: "соединение закрыто",
    defaultStatus: "Я здесь!",
    roomForm: "Чаты",
    roomLabel: "Чат",
    join: "Войти в чат",
    leave: "Покинуть чат",
    messageForm: "Отправить сообщение",
    toLabel: "Кому (пользователь или #чат)",
    textLabel: "Сообщение",
    send: "Отправить",
    closedWith: "Соединение закончилось: {error}",
    itemsLabel: "Сообщения этого соединения в обе стороны",
    bubbleHead: "{from} → {to}",
    replyLine: "Сервер: {code} {words}",
    actionLine: "{action} ({way})",
    wayOut: "отправлено",
    wayIn: "от сервера",
    notJimLine: "Не объект JIM",
    itemSent: "{n, plural, one {отправлен # байт} few {отправлено # байта} many {отправлено # байт} other {отправлено # байта}}",
    itemGot: "{n, plural, one {получен # байт} few {получено # байта} many {получено # байт} other {получено # байта}}",
    showOnTimeline: "Показать на шкале",
    showWhich: "(объект {n})",

    framingTitle: "Две быстрые отправки, одно чтение",
    framingP1:
      "Кнопка пишет два объекта `msg` подряд одним `write()`, на ваше же имя. Так на другом конце часто выглядят два быстрых вызова `send()`: TCP доставляет поток байтов, а не сообщения, и один `recv()` возвращает всё, что успело прийти.",
    framingP2:
      "На шкале одно чтение сервера несёт оба объекта. Разборщик JIM всё равно разделяет их и помечает второй: он пришёл в том же чтении, что и конец первого.",
    framingRun: "Отправить два сообщения сразу",
    framingFirst: "первое",
    framingSecond: "второе",
    framingLoads:
      "Клиент, который делает `data = sock.recv(1024)`, а затем `json.loads(data.decode())`, получает все {n} байт одной строкой, и Python останавливается на втором объекте:",
    framingLook: "Выберите на шкале чтение этих байтов сервером: два кадра и замечание у второго.",
    framingItems: "Объекты опыта с разделением сообщений",

    wayDelimiterTitle: "Разделитель после каждого объекта",
    wayDelimiterNote:
      "Обе стороны договариваются, что сообщение заканчивается переводом строки. JSON в том виде, как его пишет `json.dumps`, никогда не содержит сырого перевода строки (внутри строк это `\\n`), так что этот байт свободен и может значить «конец». Менять придётся и клиент, и сервер; так устроены JSON Lines и многие чат-протоколы.",
    wayLengthTitle: "Длина перед каждым объектом",
    wayLengthNote:
      "Отправитель сначала пишет длину объекта в фиксированных 4 байтах; читатель берёт ровно столько. В объекте ничего не нужно экранировать, и читатель заранее знает, сколько памяти понадобится (и может отказаться от слишком большого). Менять тоже придётся обе стороны.",
    wayDecoderTitle: "Инкрементальный декодер",
    wayDecoderNote:
      "Читатель держит буфер и отрезает от его начала целые объекты, как бы чтения их ни делили и ни склеивали: единственный способ, который работает с клиентами из домашнего задания как они есть, и так делает сервер лаборатории. Декодируйте байты, только когда символ целый (буква в UTF-8 может разделиться между чтениями), и ограничьте буфер: сервер лаборатории отвечает 400 после 640 символов.",

    termHomework: "Домашнее задание против JIM-сервера лаборатории, порт {port}",
    termClient: "Ваш клиент",
    termServer: "Ваш сервер",
    termHomeworkNote:
      "Домашнее задание из seed 002: `client.py <addr> [<port>]` отправляет presence и печатает ответ; направьте его на лабораторию и смотрите его байты на шкале. Ваш `server.py -p <port> -a <addr>` слушает свой порт; CLI-клиент лаборатории ниже говорит с ним, как с лабораторией.",
    termRaw: "Сырые байты и собственный клиент лаборатории, порт {port}",
    termNc: "nc",
    termLabClient: "CLI-клиент лаборатории",
    termRawNote:
      "`nc` отправляет один presence, набранный вручную, и печатает ответ сервера. `npm run jim:client` — интерактивный JIM-клиент (presence, msg, join, leave, quit) для сервера лаборатории или вашего.",
  },
});
