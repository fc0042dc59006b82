// Real segments (issue 3): with wire capture on, the handshake appears on the timeline with the
// numbers tshark reads from the exported file; with capture off, the page says how to enable it
// and the lesson still works on socket events.

import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { E2E_NO_CAPTURE_OFFSET } from "../playwright.config";
import { expectAccessible } from "./fixtures";

test.use({ locale: "en-US" });

test("with capture on, the handshake's segments match what tshark reads from the export", async ({ page }) => {
  const status = (await (await page.request.get("/api/status")).json()) as { capture: { mode: string; reason: string } };
  test.skip(status.capture.mode !== "CAPTURE_MODE_REAL_SEGMENTS", `wire capture is not available here: ${status.capture.reason}`);

  await page.goto("/lessons/tcp");
  await expect(page.getByText("Connected to the lab", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  const list = page.getByRole("listbox", { name: "Events" });
  await expect(list.getByRole("option", { name: /Welcome to TCP Server!/ })).toBeVisible();

  await page.getByRole("button", { name: "Segments", exact: true }).click();
  await expect(page).toHaveURL(/[?&]z=segments/);
  const syn = list.getByRole("option", { name: /\[SYN\] Seq=0/ }).first();
  const synAck = list.getByRole("option", { name: /\[SYN, ACK\] Seq=0 Ack=1/ }).first();
  const ack = list.getByRole("option", { name: /\[ACK\] Seq=1 Ack=1\b/ }).first();
  await expect(syn).toBeVisible();
  await expect(synAck).toBeVisible();
  await expect(ack).toBeVisible();
  const clientPort = Number(/(\d+) → \d+ \[SYN\]/.exec((await syn.getAttribute("aria-label")) ?? "")?.[1]);
  expect(clientPort).toBeGreaterThan(0);

  // The same session's export, read by tshark.
  const response = await page.request.get("/api/sessions/current/capture.pcapng");
  expect(response.status()).toBe(200);
  const file = path.join(mkdtempSync(path.join(tmpdir(), "lab-e2e-")), "session.pcapng");
  writeFileSync(file, await response.body());
  const { stdout } = await promisify(execFile)("tshark", [
    "-r", file, "-Y", `tcp.port == ${clientPort}`, "-T", "fields", "-E", "separator=|",
    "-e", "tcp.flags.str", "-e", "tcp.seq", "-e", "tcp.ack", "-e", "tcp.seq_raw",
  ]);
  const rows = stdout.trim().split("\n").slice(0, 3).map((line) => line.split("|"));
  // tshark leaves the ack empty or 0 on the first SYN, which carries no ACK flag.
  expect(rows.map((r) => [r[1], r[2] || "0"])).toEqual([
    ["0", "0"],
    ["0", "1"],
    ["1", "1"],
  ]);

  // The raw ISN the lab shows for the SYN is the one tshark read.
  await syn.click();
  const seqItem = page.getByRole("tree").getByRole("treeitem", { name: /^Sequence number/ }).first();
  await seqItem.click();
  await page.keyboard.press("ArrowRight"); // expand: the raw value is its child
  await expect(seqItem).toHaveAttribute("aria-expanded", "true");
  await expect(seqItem).toContainText(rows[0]![3]!);
  await expectAccessible(page);
});

test("with capture off, the timeline says so and how to enable it, and the lesson still works", async ({ page }) => {
  const base = `http://127.0.0.1:${3000 + E2E_NO_CAPTURE_OFFSET}`;
  await page.goto(`${base}/lessons/tcp`);
  await expect(page.getByText("Connected to the lab", { exact: true })).toBeVisible();
  await expect(page.getByText("socket events only").first()).toBeVisible();
  const segments = page.getByRole("button", { name: "Segments", exact: true });
  await expect(segments).toHaveAttribute("aria-disabled", "true");
  // Still focusable: pressing it explains why it is off.
  await segments.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByText("Socket events only: the lab is not capturing packets")).toBeVisible();
  // Why, in the reader's language, from the host's code; and the command that enables capture.
  await expect(page.getByText("The lab was started with packet capture turned off (--capture=off).").first()).toBeVisible();
  await expect(page.getByText(/sudo setcap cap_net_raw,cap_net_admin=eip/).first()).toBeVisible();

  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await page.getByRole("textbox", { name: "Message", exact: true }).fill("still works");
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await expect(page.getByRole("listbox", { name: "Events" }).getByRole("option", { name: /ECHO: still works/ })).toBeVisible();

  // The export is synthesised, and says so.
  const response = await page.request.get(`${base}/api/sessions/current/capture.pcapng`);
  expect(response.status()).toBe(200);
  expect((await response.body()).toString("latin1")).toContain("SYNTHESISED");
  await expectAccessible(page);
});

test.describe("capture off, in Russian", () => {
  test.use({ locale: "ru-RU" });

  test("the lesson says why capture is off in Russian, with the command that enables it", async ({ page }) => {
    await page.goto(`http://127.0.0.1:${3000 + E2E_NO_CAPTURE_OFFSET}/lessons/tcp`);
    await expect(page.locator("html")).toHaveAttribute("lang", "ru");
    const why = page.getByText("Лаборатория запущена с выключенным захватом пакетов (--capture=off).");
    await expect(why.filter({ visible: true }).first()).toBeVisible();
    await expect(page.getByText("capture was turned off with --capture=off")).toHaveCount(0);
    await expect(page.getByText(/sudo setcap cap_net_raw,cap_net_admin=eip/).filter({ visible: true }).first()).toBeVisible();
    await expectAccessible(page);
  });
});
