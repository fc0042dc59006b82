"use client";
// Experiment 2: safe and idempotent methods (RFC 9110 §9.2.1, §9.2.2) checked on the course's users API (seed
// 000): the same PUT twice leaves one Bob, the same POST twice makes two new users, the same DELETE twice removes
// one user and then answers 404, and GET changes nothing. After every change the panel reads the list again with
// a GET, so the table is what the server holds, as its own answer says.

import { useState } from "react";
import { useT } from "@/app/_i18n/client";
import { TimelineNotice } from "../lesson-kit/connection-state";
import { Paragraphs } from "../lesson-kit/prose";
import { buttonSecondary, ErrorText, Panel } from "../lesson-kit/ui";
import { StatusBadge } from "./exchange-view";
import { decodeBody, finalExchange, useHttpRuns, type HttpRequestSpec } from "./use-http";

interface User {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly age: number;
}

/** The users of seed 000's list answer, {"success": true, "data": [...], "count": n}; undefined for anything else. */
export function usersOf(body: string): User[] | undefined {
  try {
    const parsed = JSON.parse(body) as { data?: unknown };
    return Array.isArray(parsed.data) ? (parsed.data as User[]) : undefined;
  } catch {
    return undefined;
  }
}

function createdId(body: string): number | undefined {
  try {
    const id = (JSON.parse(body) as { data?: { id?: unknown } }).data?.id;
    return typeof id === "number" ? id : undefined;
  } catch {
    return undefined;
  }
}

const JSON_HEADERS = [["Content-Type", "application/json"]] as const;
const PUT_BOB: HttpRequestSpec = {
  method: "PUT",
  url: "/api/users/2",
  headers: JSON_HEADERS,
  body: JSON.stringify({ name: "Bob", email: "bob@example.com", age: 26 }),
};
const POST_DANA: HttpRequestSpec = {
  method: "POST",
  url: "/api/users",
  headers: JSON_HEADERS,
  body: JSON.stringify({ name: "Dana", email: "dana@example.com", age: 28 }),
};
const LIST: HttpRequestSpec = { method: "GET", url: "/api/users" };

interface Step {
  readonly line: string;
  readonly status: number;
  readonly reason: string;
  readonly count: number | undefined;
}

export function MethodsPanel() {
  const t = useT("httpLesson");
  const http = useHttpRuns();
  const [steps, setSteps] = useState<readonly Step[]>([]);
  const [users, setUsers] = useState<readonly User[]>();
  const [lastCreated, setLastCreated] = useState<number>();

  async function act(spec: HttpRequestSpec) {
    const run = await http.send(spec, "replace");
    const answer = finalExchange(run);
    if (!answer) return;
    let list = spec.method === "GET" ? usersOf(decodeBody(answer)) : undefined;
    if (spec.method === "POST" && answer.status === 201) setLastCreated(createdId(decodeBody(answer)));
    if (spec.method !== "GET") {
      const listed = finalExchange(await http.send(LIST, "replace"));
      list = listed ? usersOf(decodeBody(listed)) : undefined;
    }
    if (list) setUsers(list);
    setSteps((prev) => [...prev, { line: `${spec.method} ${spec.url}`, status: answer.status, reason: answer.reason, count: list?.length }]);
  }

  const deleteSpec: HttpRequestSpec | undefined = lastCreated === undefined ? undefined : { method: "DELETE", url: `/api/users/${lastCreated}` };

  return (
    <Panel id="http-methods" title={t("methTitle")}>
      <Paragraphs texts={[t("methP1"), t("methP2")]} />
      <div role="group" aria-label={t("methButtons")} className="flex flex-wrap gap-2">
        <button type="button" className={buttonSecondary} disabled={http.pending} onClick={() => void act(LIST)}>
          {t("methGet")}
        </button>
        <button type="button" className={buttonSecondary} disabled={http.pending} onClick={() => void act(PUT_BOB)}>
          {t("methPut")}
        </button>
        <button type="button" className={buttonSecondary} disabled={http.pending} onClick={() => void act(POST_DANA)}>
          {t("methPost")}
        </button>
        <button type="button" className={buttonSecondary} disabled={http.pending || !deleteSpec} onClick={() => deleteSpec && void act(deleteSpec)}>
          {deleteSpec ? t("methDelete", { id: lastCreated ?? 0 }) : t("methDeleteNone")}
        </button>
      </div>
      {http.error && <ErrorText>{http.error}</ErrorText>}
      {steps.length > 0 && <TimelineNotice />}
      <div aria-live="polite" className="space-y-3 text-sm">
        {steps.length > 0 && (
          <ol aria-label={t("methSteps")} className="space-y-1">
            {steps.map((step, i) => (
              <li key={i} className="flex flex-wrap items-center gap-2">
                <code className="font-mono">{step.line}</code>
                <span aria-hidden="true">→</span>
                <StatusBadge status={step.status} reason={step.reason} />
                {step.count !== undefined && <span>{t("methCount", { n: step.count })}</span>}
              </li>
            ))}
          </ol>
        )}
        {users && (
          <table className="w-full border-collapse text-left">
            <caption className="text-left font-medium">{t("methTable", { n: users.length })}</caption>
            <thead>
              <tr className="border-b border-slate-300 dark:border-slate-600">
                <th scope="col" className="py-1 pr-2">id</th>
                <th scope="col" className="py-1 pr-2">name</th>
                <th scope="col" className="py-1 pr-2">email</th>
                <th scope="col" className="py-1">age</th>
              </tr>
            </thead>
            <tbody className="font-mono">
              {users.map((u) => (
                <tr key={u.id} className="border-b border-slate-200 dark:border-slate-800">
                  <td className="py-1 pr-2">{u.id}</td>
                  <td className="py-1 pr-2">{u.name}</td>
                  <td className="py-1 pr-2 break-all">{u.email}</td>
                  <td className="py-1">{u.age}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </Panel>
  );
}
