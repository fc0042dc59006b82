"use client";
// The messenger (issue 13 §5): the lab's JIM client for this page, on the lab's JIM server. Log in as a guest (a
// presence) or with an account (authenticate), join and leave rooms, send to a user or a room; every object both
// ways shows as a bubble with its JSON beside it, and on the timeline. Two tabs (or two students) that join the same
// room see each other's messages, forwarded by the server.

import { useId, useState } from "react";
import { useT } from "@/app/_i18n/client";
import { TimelineNotice } from "../lesson-kit/connection-state";
import { useServicePort } from "../lesson-kit/service-port";
import { Paragraphs } from "../lesson-kit/prose";
import { buttonPrimary, buttonSecondary, buttonSmall, ErrorText, inputClass, Panel, StateBadge } from "../lesson-kit/ui";
import { JimModeNote } from "./client-check-panel";
import { JimItems } from "./jim-items";
import { useJim } from "./use-jim";

const DEFAULT_ROOM = "#lobby";

function guestName(): string {
  return `guest${Math.floor(1000 + Math.random() * 9000)}`;
}

export function MessengerPanel() {
  const t = useT("jimLesson");
  const jim = useJim();
  const port = useServicePort("jim");
  const [name, setName] = useState(guestName);
  const [password, setPassword] = useState("");
  const [me, setMe] = useState("");
  const [room, setRoom] = useState(DEFAULT_ROOM);
  const [to, setTo] = useState(DEFAULT_ROOM);
  const [text, setText] = useState("");
  const ids = { name: useId(), password: useId(), room: useId(), to: useId(), text: useId(), online: useId() };
  const open = jim.state === "open";

  async function logIn(withPassword: boolean) {
    const id = await jim.open();
    if (!id) return;
    setMe(name);
    const user = { accountName: name, password: withPassword ? password : "", status: withPassword ? "" : t("defaultStatus") };
    await jim.send(withPassword ? { case: "authenticate", value: user } : { case: "presence", value: user }, id);
  }

  function onLogin(event: React.FormEvent) {
    event.preventDefault();
    void logIn(password !== "");
  }

  function onSend(event: React.FormEvent) {
    event.preventDefault();
    if (!open) return;
    void jim.send({ case: "msg", value: { to, from: me, message: text } }).then((ok) => ok && setText(""));
  }

  const stateLabel = jim.state === "open" ? t("stateOpen", { name: me }) : jim.state === "connecting" ? t("stateConnecting") : jim.state === "closed" ? t("stateClosed") : t("stateIdle");
  const badge = jim.state === "open" ? "open" : jim.state === "connecting" ? "connecting" : jim.state === "closed" ? "closed" : "idle";

  return (
    <Panel id="jim-messenger" title={t("messengerTitle", { port: String(port) })}>
      <Paragraphs texts={[t("messengerP1"), t("messengerP2")]} />
      <JimModeNote />
      <form onSubmit={onLogin} className="space-y-2" aria-label={t("loginForm")}>
        <div className="grid items-end gap-2 sm:grid-cols-2">
          <div>
            <label htmlFor={ids.name} className="block text-sm font-medium">
              {t("nameLabel")}
            </label>
            <input id={ids.name} value={name} onChange={(e) => setName(e.target.value)} className={inputClass} autoComplete="off" spellCheck={false} disabled={open} />
          </div>
          <div>
            <label htmlFor={ids.password} className="block text-sm font-medium">
              {t("passwordLabel")}
            </label>
            <input
              id={ids.password}
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              className={inputClass}
              autoComplete="off"
              disabled={open}
            />
          </div>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <button type="submit" className={buttonPrimary} disabled={open || jim.state === "connecting" || name.trim() === ""}>
            {password === "" ? t("loginGuest") : t("loginAccount")}
          </button>
          {open && (
            <button type="button" className={buttonSecondary} onClick={() => void jim.send({ case: "quit", value: true })}>
              {t("quit")}
            </button>
          )}
          <StateBadge state={badge} label={stateLabel} />
        </div>
      </form>

      {open && (
        <div className="space-y-1">
          <p id={ids.online} className="text-sm font-medium">
            {t("onlineLabel")}
          </p>
          <ul aria-labelledby={ids.online} className="flex flex-wrap gap-2">
            {jim.online.map((who) => (
              <li key={who}>
                <button type="button" className={buttonSmall} onClick={() => setTo(who)} aria-label={t("writeTo", { name: who })}>
                  {who}
                  {who === me ? ` (${t("you")})` : ""}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}

      <form
        className="flex flex-wrap items-end gap-2"
        aria-label={t("roomForm")}
        onSubmit={(e) => {
          e.preventDefault();
          void jim.send({ case: "join", value: room });
        }}
      >
        <div className="flex-1 basis-40">
          <label htmlFor={ids.room} className="block text-sm font-medium">
            {t("roomLabel")}
          </label>
          <input id={ids.room} value={room} onChange={(e) => setRoom(e.target.value)} className={inputClass} autoComplete="off" spellCheck={false} />
        </div>
        <button type="submit" className={buttonSecondary} disabled={!open}>
          {t("join")}
        </button>
        <button type="button" className={buttonSecondary} disabled={!open} onClick={() => void jim.send({ case: "leave", value: room })}>
          {t("leave")}
        </button>
      </form>

      <form className="space-y-2" aria-label={t("messageForm")} onSubmit={onSend}>
        <div className="grid items-end gap-2 sm:grid-cols-[12rem_1fr]">
          <div>
            <label htmlFor={ids.to} className="block text-sm font-medium">
              {t("toLabel")}
            </label>
            <input id={ids.to} value={to} onChange={(e) => setTo(e.target.value)} className={inputClass} autoComplete="off" spellCheck={false} />
          </div>
          <div>
            <label htmlFor={ids.text} className="block text-sm font-medium">
              {t("textLabel")}
            </label>
            <input id={ids.text} value={text} onChange={(e) => setText(e.target.value)} className={inputClass} autoComplete="off" />
          </div>
        </div>
        <button type="submit" className={buttonPrimary} disabled={!open || jim.pending}>
          {t("send")}
        </button>
      </form>

      {jim.error && <ErrorText>{jim.error}</ErrorText>}
      {jim.closeError && <ErrorText>{t("closedWith", { error: jim.closeError })}</ErrorText>}
      {jim.conversationId && <TimelineNotice />}
      <div aria-live="polite">
        <JimItems items={jim.items} conversationId={jim.conversationId} me={me} label={t("itemsLabel")} />
      </div>
    </Panel>
  );
}
