// The CRM's list-level screens as an organizer uses them: sign in → Segments → a rule "came
// from <source>" shows a live count and a sample → adding "first-timers" changes the count as
// you edit → save under a name → rename → delete (with a confirmation) → Import: a small CSV
// with one bad row is previewed by the server (error shown), imported as a job (the rest
// imported) → the result in Spanish. axe on every state.
import { join } from "node:path";
import { ask, BASE_URL, checkState, closeInput, emit, guardedPage, launch } from "./browser.mjs";

const { STAFF_EMAIL, STAFF_PASSWORD, SOURCE, SEGMENT_NAME, RENAMED } = process.env;

const browser = await launch();
const { page, outside } = await guardedPage(browser, { viewport: { width: 1280, height: 900 }, locale: "en-US" });
page.on("console", (message) => {
  if (message.type() === "error") emit({ console_error: message.text() });
});

const startedAt = Date.now();
try {
  await page.goto(`${BASE_URL}/sign-in?next=${encodeURIComponent("/crm/segments")}`);
  await page.getByLabel("Email").fill(STAFF_EMAIL);
  await page.getByLabel("Password").fill(STAFF_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Segments", level: 1 }).waitFor({ timeout: 60000 });
  await page.getByText("No rules yet: everyone matches.").waitFor();
  await page.getByText(/^[\d,]+ people match$/).waitFor();
  await checkState(page, "segments-new");

  // A first rule: the live count and a sample follow what is typed.
  await page.getByLabel("Add a rule").selectOption({ label: "Came from (source)" });
  await page.getByLabel("Source, e.g. import or door").fill(SOURCE);
  await page.getByLabel("Source, e.g. import or door").press("Tab");
  await page.getByText("3 people match", { exact: true }).waitFor();
  await page.getByRole("link", { name: "Seg Once" }).waitFor();
  await checkState(page, "segments-source");

  // A second rule narrows it: the count changes without a button.
  await page.getByLabel("Add a rule").selectOption({ label: "First-timers (checked in exactly once)" });
  const editedAt = Date.now();
  await page.getByText("1 person matches", { exact: true }).waitFor();
  // Includes the builder's 250 ms pause before it asks.
  const countMs = Date.now() - editedAt;
  await page.getByRole("link", { name: "Seg Once" }).waitFor();
  await checkState(page, "segments-first-timers");

  // Save, rename, delete.
  await page.getByLabel("Segment name").fill(SEGMENT_NAME);
  await page.getByRole("button", { name: "Save segment" }).click();
  await page.getByText(`Segment “${SEGMENT_NAME}” saved.`).waitFor();
  await page.getByRole("button", { name: `${SEGMENT_NAME}: 1 person` }).waitFor();
  await page.getByRole("heading", { name: `Editing “${SEGMENT_NAME}”` }).waitFor();
  await checkState(page, "segments-saved");
  // pytest reads the stored definition while it exists.
  await ask({ need_code: JSON.stringify({ saved: SEGMENT_NAME }) });

  await page.getByLabel("Segment name").fill(RENAMED);
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.getByRole("button", { name: `${RENAMED}: 1 person` }).waitFor();

  await page.getByRole("button", { name: "Delete segment" }).click();
  await page.getByText("Delete this segment? Messages already sent are not affected.").waitFor();
  await checkState(page, "segments-confirm-delete");
  await page.getByRole("button", { name: `Yes, delete “${RENAMED}”` }).click();
  await page.getByText(`Segment “${RENAMED}” deleted.`).waitFor();
  await page.getByRole("heading", { name: "A new segment" }).waitFor();

  // Import a small CSV with one bad row: the server maps, previews and imports it as a job.
  await page.getByRole("link", { name: "Import" }).click();
  await page.getByRole("heading", { name: "Import contacts" }).waitFor();
  const csv = [
    "Name,Email,Phone Number",
    `Imp One,${SOURCE}-1@example.com,(305) 555-0101`,
    `Imp Bad,,12345`,
    `Imp Two,${SOURCE}-2@example.com,`,
  ].join("\r\n");
  await page.getByLabel("CSV file").setInputFiles({ name: `${SOURCE}.csv`, mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByText("2 new, 0 updated, 0 unchanged, 1 with errors").waitFor();
  await page.getByLabel("Column “Name” holds").waitFor();
  await checkState(page, "import-preview");
  await page.getByLabel("Where these contacts came from").fill(`${SOURCE}-import`);
  await page.getByRole("button", { name: "Import 3 rows" }).click();
  await page.getByText("Import finished: 2 added, 0 updated, 0 unchanged, 1 with errors.").waitFor();
  await page.getByRole("progressbar", { name: "Import progress" }).waitFor();
  await checkState(page, "import-done");

  await page.getByRole("button", { name: "Español" }).click();
  await page.getByText("Importación terminada: 2 añadidas, 0 actualizadas, 0 sin cambios, 1 con errores.").waitFor();
  await checkState(page, "import-es");

  if (outside.length > 0) throw new Error(`requests left the machine: ${outside.join(", ")}`);
  emit({ result: { count_ms: countMs, script_ms: Date.now() - startedAt } });
} catch (error) {
  await page.screenshot({ path: join(process.env.SCREENSHOTS, "failure.png"), fullPage: true });
  throw error;
} finally {
  closeInput();
  await browser.close();
}
