// Templates and blasts as an organizer lives them: sign in → a new template whose á and ó force
// UCS-2, replaced from the counter, previewed for a contact → compose a blast to a 200-person
// segment with variants A and B (the winner settings shown, then left off) → its preview → start (confirmed) → live progress → pause and
// resume (confirmations say what happens) while a recipient replies STOP (pytest posts it to the
// simulator) → completed with the opt-out shown → the same page in Spanish. axe on every state.
import { join } from "node:path";
import { ask, BASE_URL, checkState, closeInput, emit, guardedPage, launch } from "./browser.mjs";

const env = process.env;

const browser = await launch();
const { page, outside } = await guardedPage(browser, { viewport: { width: 1280, height: 900 }, locale: "en-US" });

const numberOf = async (key) => Number((await page.getByTestId(`progress-${key}`).textContent()).replace(/\D/g, ""));
const waitForNumber = (key, predicate, timeout = 30000) =>
  page.waitForFunction(
    ([testId, source]) => {
      const element = document.querySelector(`[data-testid="${testId}"]`);
      return element !== null && new Function("n", `return ${source}`)(Number(element.textContent.replace(/\D/g, "")));
    },
    [`progress-${key}`, predicate],
    { timeout, polling: 100 },
  );
const confirmIn = async (button) => {
  const dialog = page.getByRole("alertdialog");
  await dialog.waitFor();
  await dialog.getByRole("button", { name: button, exact: true }).click();
  await dialog.waitFor({ state: "hidden" });
};

try {
  await page.goto(`${BASE_URL}/sign-in?next=${encodeURIComponent("/messaging/templates")}`);
  await page.getByLabel("Email").fill(env.STAFF_EMAIL);
  await page.getByLabel("Password").fill(env.STAFF_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  // The templates list (the list block it shares with the blasts list, src/ui/ListPage).
  await page.getByRole("table", { name: "Templates" }).getByRole("rowheader", { name: env.TEMPLATE_A }).waitFor({ timeout: 60000 });
  await checkState(page, "templates-list");
  await page.getByRole("link", { name: "New template" }).click();
  await page.getByRole("heading", { name: "New template" }).waitFor();

  // A Spanish text: á and ó switch it to UCS-2; the counter marks them and replaces them.
  await page.getByLabel("Name", { exact: true }).fill(env.TEMPLATE_B);
  await page.getByLabel("Message", { exact: true }).fill("Hola {{first_name | amigo}}, más información mañana.");
  await page.getByText(/^UCS-2 \(Unicode\) · 52 characters · 1 segment/).waitFor();
  await checkState(page, "template-ucs2");
  await page.getByRole("button", { name: "Replace 2 with plain letters" }).click();
  await page.getByText(/^GSM-7 · 52 characters · 1 segment/).waitFor();

  // The preview for one contact, rendered by the database.
  await page.getByLabel("Preview for").fill(env.PREVIEW_PHONE);
  const option = page.getByLabel("Choose a contact").locator("option", { hasText: env.PREVIEW_PHONE });
  await option.waitFor({ state: "attached" });
  await page.getByLabel("Choose a contact").selectOption(await option.getAttribute("value"));
  const preview = page.getByTestId("template-preview");
  await preview.getByText(/^Hola Guest\d+, mas informacion mañana\.$/).waitFor();
  await preview.getByText("As sent: GSM-7, 1 segment").waitFor();
  await checkState(page, "template-gsm7-preview");
  await page.getByRole("button", { name: "Save template" }).click();
  await page.getByText(`Template “${env.TEMPLATE_B}” saved.`).waitFor();
  // Saved, it can be sent as a test to the organizer's own phone (pgTAP 842 covers the sending).
  await page.getByRole("button", { name: "Send a test to me" }).waitFor();
  await checkState(page, "template-saved");

  // The composer: a segment (its live count), the sender, variants A and B.
  await page.getByRole("link", { name: "Blasts", exact: true }).click();
  await page.getByRole("heading", { name: "Blasts" }).waitFor();
  await page.getByText("No blasts yet.").or(page.getByRole("table", { name: "Blasts" })).waitFor();
  await checkState(page, "blasts-list");
  await page.getByRole("link", { name: "New blast" }).click();
  await page.getByRole("heading", { name: "New blast" }).waitFor();
  await page.getByLabel("Name", { exact: true }).fill(env.BLAST_NAME);
  await page.getByLabel("Audience (saved segment)").selectOption({ label: env.SEGMENT_NAME });
  await page.getByText("200 contacts match this segment now.").waitFor();
  await page.getByLabel("Text sender").selectOption({ label: env.SENDER_NAME });
  await page.getByLabel("Text template").selectOption({ label: env.TEMPLATE_A });
  await page.getByRole("button", { name: "Add a variant" }).click();
  await page.getByLabel("Template of variant B").selectOption({ label: env.TEMPLATE_B });
  await page.getByText("Shares add up to 100%.").waitFor();
  // "Send the winner to the rest" is offered with two variants; this blast sends to everybody.
  const winner = page.getByLabel("Send the winner to the rest");
  await winner.check();
  await page.getByLabel("Choose the winner after").waitFor();
  await checkState(page, "composer-winner");
  await winner.uncheck();
  await checkState(page, "composer");
  await page.getByRole("button", { name: "Save and preview" }).click();

  // The preview: recipients per variant, cost, samples; then start, confirmed.
  await page.getByRole("heading", { name: env.BLAST_NAME }).waitFor();
  await page.getByText("Audience: 200 contacts").waitFor();
  await page.getByText(/^Variant B: \d+$/).waitFor();
  await checkState(page, "preview");
  await page.getByRole("button", { name: "Start sending" }).click();
  await page.getByRole("alertdialog").getByText("Send to 200 recipients now").waitFor();
  await checkState(page, "confirm-start");
  const startedAt = Date.now();
  await confirmIn("Start sending");

  // Live progress; pause mid-blast: the confirmation says where it stands.
  await waitForNumber("sent", "n >= 40");
  await page.getByRole("button", { name: "Pause" }).click();
  await page.getByRole("alertdialog").getByText(/^[\d,]+ of 200 sent\. Texts already handed/).waitFor();
  await confirmIn("Pause");
  await page.getByTestId("blast-status").getByText("Paused").waitFor();
  await page.getByTestId("paused-reason").waitFor();
  const sentWhenPaused = await numberOf("sent");
  await checkState(page, "paused");

  // A recipient replies STOP in the simulator while it is paused; resume continues.
  await ask({ need_code: JSON.stringify({ reply_stop: true }) });
  await page.getByRole("button", { name: "Resume" }).click();
  await page.getByRole("alertdialog").getByText(/^[\d,]+ of 200 sent; resumes with the next recipient\.$/).waitFor();
  await confirmIn("Resume");
  await page.getByTestId("blast-status").getByText("Sending").waitFor();
  await checkState(page, "sending");
  await waitForNumber("optedOut", "n === 1");
  await page.getByTestId("blast-status").getByText("Completed").waitFor({ timeout: 40000 });
  const completedMs = Date.now() - startedAt;
  await waitForNumber("toSend", "n === 0");
  await page.getByText(/^Completed: 200 of 200 sent\.$/).waitFor();
  await page.getByRole("table", { name: "Results per variant" }).getByRole("cell", { name: "B", exact: true }).waitFor();
  await checkState(page, "completed");

  await page.getByRole("button", { name: "Español" }).click();
  await page.getByTestId("blast-status").getByText("Completado").waitFor();
  await page.getByText("Resultados por variante").waitFor();
  await checkState(page, "completed-es");

  if (outside.length > 0) throw new Error(`requests left the machine: ${outside.join(", ")}`);
  emit({ result: { sent_when_paused: sentWhenPaused, start_to_completed_ms: completedMs } });
} catch (error) {
  await page.screenshot({ path: join(env.SCREENSHOTS, "failure.png"), fullPage: true });
  throw error;
} finally {
  closeInput();
  await browser.close();
}
