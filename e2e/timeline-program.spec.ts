// An outside program on the timeline (issue 15 §1.6), in English and in Russian: a real program of the student's
// (Debian's python3, as the lesson's Python client) connects to the lab's echo server from this machine, and its lane
// is titled with its command name, and its arrows' details name the program and its process id.

import { spawn, type ChildProcess } from "node:child_process";
import { expect, test } from "@playwright/test";
import { expectAccessible, PORTS } from "./fixtures";

const TEXT = {
  // The lane names every program of this host the session sees (other tests' programs too): python3 among them.
  en: { lanes: "Endpoints", lane: /^your program: (.+, )?python3(, .+)?$/, events: "Events", program: "Program", named: (pid: number) => `python3 (process ${pid})` },
  ru: { lanes: "Участники обмена", lane: /^ваша программа: (.+, )?python3(, .+)?$/, events: "События", program: "Программа", named: (pid: number) => `python3 (процесс ${pid})` },
} as const;

// Connects, then sends each line it reads from its stdin and prints what came back.
const CLIENT = [
  "import socket, sys",
  `s = socket.create_connection(("127.0.0.1", ${PORTS.echo}))`,
  "s.recv(1024)",
  "for line in sys.stdin:",
  "    s.sendall(line.strip().encode())",
  "    print(s.recv(1024).decode(), flush=True)",
].join("\n");

for (const lang of ["en", "ru"] as const) {
  const text = TEXT[lang];

  test.describe(`an outside program's lane (${lang})`, () => {
    test.use({ locale: lang === "ru" ? "ru-RU" : "en-US" });
    let child: ChildProcess | undefined;
    test.afterEach(() => {
      child?.stdin?.end();
      child?.kill();
    });

    test("python3 connecting to the echo server gets a lane named after it, and its process in the details", async ({ page }) => {
      await page.goto("/lessons/tcp");
      child = spawn("/usr/bin/python3", ["-c", CLIENT], { stdio: ["pipe", "pipe", "inherit"] });
      let out = "";
      child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
      const list = page.getByRole("listbox", { name: text.events });
      // The name is looked up after the connection is accepted and comes with the conversation's next event: send a
      // line until the lane says it.
      let n = 0;
      await expect(async () => {
        n++;
        child!.stdin!.write(`line ${n}\n`);
        await expect(page.getByRole("list", { name: text.lanes }).getByText(text.lane)).toBeVisible({ timeout: 1000 });
      }).toPass();
      expect(out).toContain("ECHO: line 1");
      await list.getByRole("option", { name: /"line 1"/ }).click();
      const facts = page.getByRole("term").filter({ hasText: text.program });
      await expect(facts).toBeVisible();
      await expect(page.getByRole("definition").filter({ hasText: text.named(child.pid!) })).toBeVisible();
      await expectAccessible(page);
      await page.screenshot({ path: `/tmp/shots-T2/program-${lang}.png` });
    });
  });
}
