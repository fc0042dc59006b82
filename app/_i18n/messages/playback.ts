import { defineMessages } from "../define";

// Step-by-step playback of the timeline (app/_components/timeline/playback.tsx): step through the events shown, or
// play them at a chosen speed, with the details following.
export default defineMessages({
  en: {
    label: "Playback",
    back: "Step back",
    forward: "Step forward",
    play: "Play",
    pause: "Pause",
    speed: "Speed",
    speedOption: "{speed} step/s",
    live: "Back to live",
    liveTitle: "Stop stepping, show the events that arrived meanwhile and follow the newest again.",
    position: "Step {place} of {total}",
    noPosition: "{total, plural, one {# event to step through} other {# events to step through}}",
    announce: "Step {place} of {total}: event {number}, {what}",
    end: "End of the events shown.",
    start: "This is the first event shown.",
    keys: "Keys: [ back, ] forward, P play or pause",
    feedPaused: "The live feed is paused while you step; new events wait.",
  },
  ru: {
    label: "Пошаговый просмотр",
    back: "Шаг назад",
    forward: "Шаг вперёд",
    play: "Воспроизвести",
    pause: "Пауза",
    speed: "Скорость",
    speedOption: "{speed} шаг/с",
    live: "Вернуться к живой ленте",
    liveTitle: "Закончить пошаговый просмотр, показать пришедшие за это время события и снова следить за новыми.",
    position: "Шаг {place} из {total}",
    noPosition:
      "{total, plural, one {# событие для просмотра} few {# события для просмотра} many {# событий для просмотра} other {# события для просмотра}}",
    announce: "Шаг {place} из {total}: событие {number}, {what}",
    end: "Показанные события закончились.",
    start: "Это первое показанное событие.",
    keys: "Клавиши: [ (Х) назад, ] (Ъ) вперёд, P (З) воспроизведение или пауза",
    feedPaused: "Живая лента на паузе, пока вы идёте по шагам; новые события ждут.",
  },
});
