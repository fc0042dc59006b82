"use client";
// Experiment 8: validation with ETag (RFC 9110 §8.8.3, §13.1.2, §15.4.5). GET /api/users answers with an ETag;
// asking again with If-None-Match and that tag gets 304 Not Modified and no body while the list is the same; after a
// PUT changes a user, the same question gets 200 with the new list and a new tag. The panel keeps the tag the
// server last sent, as a browser's cache would, and compares the bytes each answer took.

import { useState } from "react";
import { useT } from "@/app/_i18n/client";
import type { HttpExchange } from "@/gen/lab/v1/lab_pb";
import { TimelineNotice } from "../lesson-kit/connection-state";
import { Paragraphs } from "../lesson-kit/prose";
import { buttonSecondary, ErrorText, Panel } from "../lesson-kit/ui";
import { ExchangeList } from "./exchange-view";
import { usersOf } from "./methods-panel";
import { headerValue } from "./model";
import { decodeBody, finalExchange, useHttpRuns } from "./use-http";

const URL = "/api/users";

export function CachePanel() {
  const t = useT("httpLesson");
  const http = useHttpRuns();
  const [etag, setEtag] = useState<string>();
  const [bobAge, setBobAge] = useState<number>();
  const [exchanges, setExchanges] = useState<readonly HttpExchange[]>([]);

  function keep(answer: HttpExchange) {
    setExchanges((prev) => [...prev, answer]);
    const tag = headerValue(answer.headers, "etag");
    if (answer.status === 200 && tag) {
      setEtag(tag);
      const bob = usersOf(decodeBody(answer))?.find((u) => u.id === 2);
      if (bob) setBobAge(bob.age);
    }
  }

  async function get(conditional: boolean) {
    const answer = finalExchange(await http.send({ method: "GET", url: URL, headers: conditional && etag ? [["If-None-Match", etag]] : [] }, "replace"));
    if (answer) keep(answer);
  }

  async function change() {
    const age = (bobAge ?? 25) + 1;
    const body = JSON.stringify({ name: "Bob", email: "bob@example.com", age });
    const answer = finalExchange(await http.send({ method: "PUT", url: "/api/users/2", headers: [["Content-Type", "application/json"]], body }, "replace"));
    if (answer) {
      setExchanges((prev) => [...prev, answer]);
      if (answer.status === 200) setBobAge(age);
    }
  }

  return (
    <Panel id="http-cache" title={t("caTitle")}>
      <Paragraphs texts={[t("caP1")]} />
      <div className="flex flex-wrap gap-2">
        <button type="button" className={buttonSecondary} disabled={http.pending} onClick={() => void get(false)}>
          {t("caGet")}
        </button>
        <button type="button" className={buttonSecondary} disabled={http.pending || !etag} onClick={() => void get(true)}>
          {t("caRevalidate")}
        </button>
        <button type="button" className={buttonSecondary} disabled={http.pending || bobAge === undefined} onClick={() => void change()}>
          {t("caChange", { age: (bobAge ?? 25) + 1 })}
        </button>
      </div>
      {http.error && <ErrorText>{http.error}</ErrorText>}
      {exchanges.length > 0 && <TimelineNotice />}
      <div aria-live="polite" className="space-y-2 text-sm">
        {etag && (
          <p>
            {t("caTag")} <code className="font-mono break-all">{etag}</code>
          </p>
        )}
        <ExchangeList exchanges={exchanges} label={t("caExchanges")} />
      </div>
    </Panel>
  );
}
