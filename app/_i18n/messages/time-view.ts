import { defineMessages } from "../define";

// Time on the vertical axis (issue 15 §2): the ladder's sloped arrows (app/_components/timeline/time-scale.ts) and the
// time-sequence graph of a TCP conversation (app/_components/timeline/seq-graph.tsx).
export default defineMessages({
  en: {
    slopedToggle: "Sloped by delay",
    slopedHelp:
      "Draw each arrow from the time its bytes left to the time they arrived, where the lab saw both ends; flat where it saw one.",
    rulerLabel: "Time scale of the sloped arrows: {length} per {px} px",
    slopeWireToRead:
      "Slope: the segment that carried the first byte was on the wire at {from} ms, the server read it at {to} ms: {delay} later.",
    slopeWriteToWire:
      "Slope: the server wrote at {from} ms, the segment that carried the last byte was on the wire at {to} ms: {delay} later.",
    slopeOneTime:
      "Drawn flat: the lab knows one time of this arrow ({why}).",
    slopeClientToRead:
      "Slope, end to end: the lab's client wrote the first byte at {from} ms, the server read it at {to} ms: {delay} later.",
    slopeWriteToClient:
      "Slope, end to end: the server wrote at {from} ms, the lab's client had read the last byte at {to} ms: {delay} later.",
    slopeWireBetween: "On the way, the segment that carried it was on the wire at {wire} ms.",
    slopeOutside:
      "The lab does not know when your program itself wrote or read (it runs outside the lab): its arrows slope by the wire's time at most.",
    slopeWhySegment: "a segment has its capture time only",
    slopeWhyNoCapture: "wire capture is off, so no segment shows when the bytes were on the wire",
    slopeWhyNoSegment: "no captured segment carried these bytes",
    slopeWhyKind: "it is not a transfer of bytes",
    slopeBroken: "cut: the real delay is {delay}, drawn shorter so the ladder stays readable",
    delayUs: "{n} µs",
    delayMs: "{n} ms",
    open: "Time-sequence graph",
    openHelp:
      "Sequence numbers over time for each direction of this TCP connection, with the other side's ACK and window lines (W. R. Stevens' graph).",
    title: "Time-sequence graph",
    close: "Close",
    directionLabel: "Direction",
    directionC2s: "Client to server",
    directionS2c: "Server to client",
    zoomIn: "Zoom in",
    zoomOut: "Zoom out",
    zoomReset: "Whole connection",
    zoomEvent: "Around event {n}",
    graphLabel: "Sequence numbers of {direction} over time",
    graphHelp:
      "Left and Right arrows: previous or next segment; Page Up and Page Down: move the time range; plus and minus: zoom; 0: the whole connection; E: back around the event it was opened from; Enter: select the segment on the timeline. Drag to move, mouse wheel to zoom.",
    graphDescription:
      "{points, plural, one {# segment carried} other {# segments carried}} {bytes, plural, one {# byte} other {# bytes}} from {from} to {to} ms. Each vertical bar is one segment's sequence range; the step line is what the other side acknowledged; the dashed line is the acknowledgement plus its advertised window, the most the sender may have sent.",
    axisTime: "Time, ms",
    eventMark: "event {n}",
    peerMarkWrite: "the client wrote",
    peerMarkRead: "the client had read",
    aroundEvent: "Showing the time around event {n} ({ms} ms).",
    axisSeq: "Relative sequence number",
    legendData: "segments (data)",
    legendRetransmit: "sent again",
    legendAck: "ACK",
    legendWindow: "ACK + window",
    windowAbove: "The window line is above the graph: up to {limit} (window {window} bytes).",
    windowUnscaled: "Windows as sent: the lab did not see both SYNs agree on Window Scale.",
    pointNone: "No segment in this direction.",
    point:
      "Segment {index} of {count}: event {n}, {ms} ms, Seq {start}–{end} ({length, plural, one {# byte} other {# bytes}}){flags}{retransmit}.",
    pointRetransmit: ", sent again",
    pointAck: " Acknowledged up to {ack} at that time, window {window}.",
    selectPoint: "Select on the timeline",
    tableSummary: "The points as a table",
    tableCaption: "Segments of {direction}",
    colTime: "Time, ms",
    colSeq: "Seq",
    colEnd: "Next seq",
    colLength: "Length",
    colFlags: "Flags",
    colEvent: "Event",
    tableMore: "Showing the first {shown} of {n} segments.",
    emptyCaptureOff:
      "Empty: wire capture is off on this lab, and socket events have no sequence numbers. Turn capture on to see the segments.",
    emptyNoSegments: "No segments of this connection were captured yet.",
  },
  ru: {
    slopedToggle: "Наклон по задержке",
    slopedHelp:
      "Рисовать стрелку от момента, когда байты ушли, до момента, когда они пришли, — там, где лаборатория видела оба конца; где видела один — горизонтально.",
    rulerLabel: "Масштаб времени наклонных стрелок: {length} на {px} пикс.",
    slopeWireToRead:
      "Наклон: сегмент с первым байтом был в сети в {from} мс, сервер прочитал его в {to} мс — на {delay} позже.",
    slopeWriteToWire:
      "Наклон: сервер записал в {from} мс, сегмент с последним байтом был в сети в {to} мс — на {delay} позже.",
    slopeOneTime: "Нарисовано горизонтально: лаборатория знает только одно время этой стрелки ({why}).",
    slopeClientToRead:
      "Наклон из конца в конец: клиент лаборатории записал первый байт в {from} мс, сервер прочитал его в {to} мс — на {delay} позже.",
    slopeWriteToClient:
      "Наклон из конца в конец: сервер записал в {from} мс, клиент лаборатории дочитал последний байт в {to} мс — на {delay} позже.",
    slopeWireBetween: "По пути сегмент, который его нёс, был в сети в {wire} мс.",
    slopeOutside:
      "Когда ваша программа сама писала и читала, лаборатория не знает (программа работает вне лаборатории): её стрелки наклонены самое большее по времени в сети.",
    slopeWhySegment: "у сегмента есть только время захвата",
    slopeWhyNoCapture: "захват трафика выключен, и ни один сегмент не показывает, когда байты были в сети",
    slopeWhyNoSegment: "ни один захваченный сегмент не нёс этих байтов",
    slopeWhyKind: "это не передача байтов",
    slopeBroken: "укорочено: настоящая задержка {delay}, нарисовано короче, чтобы шкала оставалась читаемой",
    delayUs: "{n} мкс",
    delayMs: "{n} мс",
    open: "График «время — номер»",
    openHelp:
      "Номера последовательности во времени для каждого направления этого TCP-соединения, с линиями ACK и окна другой стороны (график Стивенса).",
    title: "График «время — номер последовательности»",
    close: "Закрыть",
    directionLabel: "Направление",
    directionC2s: "От клиента к серверу",
    directionS2c: "От сервера к клиенту",
    zoomIn: "Приблизить",
    zoomOut: "Отдалить",
    zoomReset: "Всё соединение",
    zoomEvent: "Вокруг события {n}",
    graphLabel: "Номера последовательности ({direction}) во времени",
    graphHelp:
      "Стрелки влево и вправо — предыдущий или следующий сегмент; Page Up и Page Down — сдвинуть интервал времени; плюс и минус — масштаб; 0 — всё соединение; E — снова вокруг события, из которого график открыт; Enter — выбрать сегмент на шкале. Перетаскивание сдвигает, колесо мыши меняет масштаб.",
    graphDescription:
      "{points, plural, one {# сегмент перенёс} few {# сегмента перенесли} many {# сегментов перенесли} other {# сегмента перенесли}} {bytes, plural, one {# байт} few {# байта} many {# байт} other {# байта}} с {from} по {to} мс. Каждая вертикальная черта — диапазон номеров одного сегмента; ступенчатая линия — что подтвердила другая сторона; пунктир — подтверждение плюс объявленное окно, больше которого отправитель посылать не вправе.",
    axisTime: "Время, мс",
    eventMark: "событие {n}",
    peerMarkWrite: "клиент записал",
    peerMarkRead: "клиент дочитал",
    aroundEvent: "Показано время вокруг события {n} ({ms} мс).",
    axisSeq: "Номер (относительный)",
    legendData: "сегменты (данные)",
    legendRetransmit: "отправлено повторно",
    legendAck: "ACK",
    legendWindow: "ACK + окно",
    windowAbove: "Линия окна выше графика: до {limit} (окно {window} байт).",
    windowUnscaled: "Окна как отправлены: лаборатория не видела, чтобы оба SYN договорились о Window Scale.",
    pointNone: "В этом направлении сегментов нет.",
    point:
      "Сегмент {index} из {count}: событие {n}, {ms} мс, Seq {start}–{end} ({length, plural, one {# байт} few {# байта} many {# байт} other {# байта}}){flags}{retransmit}.",
    pointRetransmit: ", повторная отправка",
    pointAck: " К этому моменту подтверждено до {ack}, окно {window}.",
    selectPoint: "Выбрать на шкале",
    tableSummary: "Точки графика таблицей",
    tableCaption: "Сегменты: {direction}",
    colTime: "Время, мс",
    colSeq: "Seq",
    colEnd: "Следующий Seq",
    colLength: "Длина",
    colFlags: "Флаги",
    colEvent: "Событие",
    tableMore: "Показаны первые {shown} из {n} сегментов.",
    emptyCaptureOff:
      "Пусто: захват трафика в этой лаборатории выключен, а у событий сокетов нет номеров последовательности. Включите захват, чтобы увидеть сегменты.",
    emptyNoSegments: "Сегменты этого соединения ещё не захвачены.",
  },
});
