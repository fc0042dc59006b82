// The struct sandbox as a student uses it: types the seed's reply format with an explicit byte order and its
// values, sees the bytes, picks the float in the field tree and sees its bytes light up, switches direction, and
// meets CPython's own error for a bad format; in both languages, light and dark, with axe checks.

import { expect, test } from "@playwright/test";
import { expectAccessible } from "./fixtures";

test.describe("struct sandbox in English", () => {
  test.use({ locale: "en-US" });

  test("packs <If from 42, 3.14, highlights the float's bytes, unpacks them back and shows Python's errors", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("link", { name: "Struct sandbox" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Struct sandbox");

    const format = page.getByRole("textbox", { name: "Format" });
    await format.fill("<If");
    await page.getByRole("textbox", { name: "Values" }).fill("42, 3.14");
    await expect(page.getByTestId("struct-bytes")).toHaveText("2a 00 00 00 c3 f5 48 40");
    await expect(page.getByTestId("struct-values")).toHaveText("(42, 3.140000104904175)");
    await expect(page.getByText("calcsize: 8 bytes, 2 values")).toBeVisible();

    // The float's node in the field tree lights up bytes 4 to 7, and its bits are explained.
    const tree = page.getByRole("tree", { name: "Fields of the struct" });
    // The node's own row (its children's rows sit inside its item).
    await tree.getByText("Float (f)", { exact: true }).click();
    await expect(tree.getByRole("treeitem", { name: /Float \(f\)/ })).toHaveAttribute("aria-selected", "true");
    const bytes = page.getByRole("group", { name: "The struct's bytes" });
    await expect(bytes.locator('[data-column="hex"][data-highlighted="true"]')).toHaveText(["c3", "f5", "48", "40"]);
    await expect(page.getByText("Exponent: stored 128, minus the bias 127: 2^1")).toBeVisible();
    await expect(page.getByText("Exactly: 3.1400001049041748046875")).toBeVisible();
    await expectAccessible(page);

    // The other direction starts from these bytes.
    await page.getByRole("radio", { name: "Unpack bytes into values" }).check();
    await expect(page.getByRole("textbox", { name: "Bytes in hex" })).toHaveValue("2a 00 00 00 c3 f5 48 40");
    await expect(page.getByTestId("struct-values")).toHaveText("(42, 3.140000104904175)");
    await page.getByRole("textbox", { name: "Bytes in hex" }).fill("2a 00 00 00");
    await expect(page.getByTestId("struct-error")).toHaveText("struct.error: unpack requires a buffer of 8 bytes");

    await format.fill("<Iz");
    await expect(page.getByTestId("struct-error")).toHaveText("struct.error: bad char in struct format");
  });

  test("native 'If' pads nothing, 'bi' aligns, and dark mode passes axe", async ({ page }) => {
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto("/tools/struct");
    await page.getByRole("button", { name: "bi", exact: true }).click();
    await expect(page.getByTestId("struct-bytes")).toHaveText("01 00 00 00 02 00 00 00");
    await expect(page.getByRole("row", { name: /^i 4 4 3$/ })).toBeVisible();
    await expectAccessible(page);
  });
});

test.describe("struct sandbox in Russian", () => {
  test.use({ locale: "ru-RU" });

  test("packs the seed's reply and explains the float in Russian", async ({ page }) => {
    await page.goto("/tools/struct");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Песочница struct");
    await page.getByRole("textbox", { name: "Формат" }).fill("<If");
    await page.getByRole("textbox", { name: "Значения" }).fill("42, 3.14");
    await expect(page.getByTestId("struct-bytes")).toHaveText("2a 00 00 00 c3 f5 48 40");
    await expect(page.getByText("calcsize: 8 байт, 2 значения")).toBeVisible();
    await expect(page.getByText("Порядок: хранится 128, минус смещение 127: 2^1")).toBeVisible();
    await page.getByRole("textbox", { name: "Значения" }).fill("-1, 1");
    await expect(page.getByTestId("struct-error")).toHaveText("struct.error: argument out of range");
    await expectAccessible(page);
  });
});
