// Automations and unsubscribe, as an organizer at a desk and then the attendee on a phone:
// sign in → automations list → a new automation refused while incomplete, then saved (a
// thank-you email 0 h after a check-in at one event, inside a 09:00–20:00 window) → tested: who
// it would reach and the rendered message → switched on from the list → with the run log open,
// pytest runs the runner and posts the email's one-click unsubscribe → the run appears live,
// saying what it did → the compliance
// settings, read-only for an organizer → on a phone, the email's preference link: unsubscribed
// from emails, stop texts too, saved, in Spanish → a forged link gets its own page. axe on
// every state.
import { BASE_URL, ask, checkState, closeInput, emit, guardedPage, launch, phonePage } from "./browser.mjs";

const { STAFF_EMAIL, STAFF_PASSWORD, AUTOMATION_NAME, EVENT_NAME, TEMPLATE_NAME, SENDER_NAME } = process.env;

const browser = await launch();
try {
  const { page, outside: deskOutside } = await guardedPage(browser, { viewport: { width: 1280, height: 900 }, locale: "en-US" });

  await page.goto(`${BASE_URL}/sign-in?next=${encodeURIComponent("/automations")}`);
  await page.getByLabel("Email").fill(STAFF_EMAIL);
  await page.getByLabel("Password").fill(STAFF_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Automations", level: 1 }).waitFor({ timeout: 60000 });
  await page.getByRole("link", { name: "New automation" }).waitFor();
  await page.waitForFunction(() => !document.querySelector("main [role=status]"));
  await checkState(page, "list");

  // Incomplete: the form says what is missing before any round trip.
  await page.getByRole("link", { name: "New automation" }).click();
  await page.getByRole("heading", { name: "New automation" }).waitFor();
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("alert").getByText("Give it a name.").waitFor();
  await checkState(page, "editor-invalid");

  await page.getByLabel("Name", { exact: true }).fill(AUTOMATION_NAME);
  await page.getByLabel("When", { exact: true }).selectOption({ label: "Hours after a check-in" });
  await page.getByLabel("Hours", { exact: true }).fill("0");
  await page.getByLabel("Event", { exact: true }).selectOption({ label: EVENT_NAME });
  await page.getByLabel("Channel", { exact: true }).selectOption({ label: "Email" });
  await page.getByLabel("Template", { exact: true }).selectOption({ label: TEMPLATE_NAME });
  await page.getByLabel("Send from", { exact: true }).selectOption({ label: SENDER_NAME });
  await page.getByRole("button", { name: "Save" }).click();
  await page.getByRole("heading", { name: "Edit automation" }).waitFor();
  await page.getByRole("heading", { name: "Test it" }).waitFor();
  await checkState(page, "editor-saved");
  const automationId = new URL(page.url()).pathname.split("/").pop();

  // Test: who it would reach now, the message one of them would get; nothing sent.
  await page.getByRole("button", { name: "Test now" }).click();
  await page.getByText("Right now: the trigger holds for 1; a run would act on 1.").waitFor();
  await page.getByText("All of them would get the message.").waitFor();
  const preview = (await page.getByTestId("automation-preview").textContent()).trim();
  await checkState(page, "tested");

  // On from the list (saved off, so no runner could act before the test above).
  await page.getByRole("link", { name: "All automations" }).click();
  await page.getByRole("switch", { name: `${AUTOMATION_NAME} is on` }).check();
  await page.getByText(`${AUTOMATION_NAME} is on.`).waitFor();
  await checkState(page, "list-enabled");

  // The run log is open when the runner runs (pytest calls the worker's entry point): the run
  // appears live, saying what it did. The email goes out and a mail client posts its one-click
  // unsubscribe; pytest hands back the email's token.
  await page.getByRole("link", { name: "Run log" }).click();
  await page.getByRole("heading", { name: "Automation run log" }).waitFor();
  await page.getByText("New runs appear here as they happen.").waitFor();
  const token = await ask({ need_code: JSON.stringify({ run_automations: automationId }) });
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: AUTOMATION_NAME }) });
  await row.waitFor({ timeout: 15000 });
  const runCells = await row.getByRole("cell").allTextContents();
  await checkState(page, "run-log");

  // The compliance settings: organizers read them (admins change them).
  await page.getByRole("link", { name: "Compliance" }).click();
  await page.getByRole("heading", { name: "Compliance settings" }).waitFor();
  await page.getByLabel("Answer to HELP (Spanish)").waitFor();
  await page.getByText("Only admins can change these settings.").waitFor();
  await checkState(page, "compliance-read-only");

  // The attendee, on a phone, follows the email's link.
  const { context: phone, page: person, outside: phoneOutside } = await phonePage(browser);
  await person.goto(`${BASE_URL}/unsubscribe?t=${encodeURIComponent(token)}`);
  await person.getByRole("heading", { name: "Your email and text preferences" }).waitFor();
  await person.getByText("You are unsubscribed from our marketing emails.").waitFor();
  await person.getByRole("radio", { name: "No more marketing emails" }).waitFor();
  await checkState(person, "preferences-unsubscribed");

  await person.getByRole("checkbox", { name: "Stop all marketing texts" }).check();
  await person.getByRole("button", { name: "Save my choices" }).click();
  await person.getByText("Saved. Your choices apply from now on.").waitFor();
  await person.getByText(/You don't receive our marketing texts/).waitFor();
  await checkState(person, "preferences-saved");

  await person.getByRole("button", { name: "Español" }).click();
  await person.getByRole("heading", { name: "Tus preferencias de correo y mensajes de texto" }).waitFor();
  await checkState(person, "preferences-es");

  const forged = `${token.slice(0, -1)}${token.endsWith("0") ? "1" : "0"}`;
  await person.goto(`${BASE_URL}/unsubscribe?t=${encodeURIComponent(forged)}`);
  await person.getByRole("heading", { name: "Este enlace no funciona" }).waitFor();
  await checkState(person, "link-invalid");

  await phone.close();
  emit({
    result: {
      automation_id: automationId,
      preview,
      run_cells: runCells,
      outside_requests: [...deskOutside, ...phoneOutside],
    },
  });
} finally {
  closeInput();
  await browser.close();
}
