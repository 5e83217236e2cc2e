// The CRM's list-level screens as an organizer uses them: sign in → Segments → a rule "came
// from <source>" shows a live count and a sample → adding "first-timers" changes the count as
// you edit → save under a name → rename → delete (with a confirmation) → a new segment: the
// same source, then "opened an email of <blast>" (picked by name) changes the count → Import: a 1,000-row
// CSV with in-file duplicates and bad phones is previewed by the server, imported as a job in
// chunks; the tab is reloaded while the job runs (the second chunk never leaves the browser),
// comes back to the job half done and resumes it to the end → per-row results downloaded → the
// result in Spanish. axe on every state.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ask, checkState, closeInput, emit, guardedPage, launch, signInAsStaff } from "./browser.mjs";

const { STAFF_EMAIL, STAFF_PASSWORD, SOURCE, SEGMENT_NAME, RENAMED, IMPORT_CSV } = process.env;
const CHUNK_RPC = "**/rest/v1/rpc/run_contact_import_chunk";

/** Per-row results as {status: rows}, read from the downloaded CSV (row_number,status,…). */
function countStatuses(csv) {
  const counts = {};
  for (const line of csv.trim().split(/\r?\n/).slice(1)) {
    const status = line.split(",")[1];
    counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}

const browser = await launch();
const { page, outside } = await guardedPage(browser, { viewport: { width: 1280, height: 900 }, locale: "en-US" });
page.on("console", (message) => {
  if (message.type() === "error") emit({ console_error: message.text() });
});

const startedAt = Date.now();
try {
  await signInAsStaff(page, { email: STAFF_EMAIL, password: STAFF_PASSWORD }, "/crm/segments");
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

  // Messaging activity: of the three, only Once opened the blast's email.
  await page.getByLabel("Add a rule").selectOption({ label: "Came from (source)" });
  await page.getByLabel("Source, e.g. import or door").fill(SOURCE);
  await page.getByLabel("Source, e.g. import or door").press("Tab");
  await page.getByText("3 people match", { exact: true }).waitFor();
  await page.getByLabel("Add a rule").selectOption({ label: "Opened an email of one of these blasts" });
  await page.getByText("Only email blasts are listed: text messages report no opens or clicks.").waitFor();
  await page.getByRole("checkbox", { name: new RegExp(`^${SOURCE} news \\(`) }).check();
  await page.getByText("1 person matches", { exact: true }).waitFor();
  await page.getByRole("link", { name: "Seg Once" }).waitFor();
  await checkState(page, "segments-opened");

  // Import 1,000 rows: the server maps, previews (the first 50 rows) and imports them as a job.
  await page.getByRole("link", { name: "Import" }).click();
  await page.getByRole("heading", { name: "Import contacts" }).waitFor();
  await page.getByLabel("CSV file").setInputFiles(IMPORT_CSV);
  const previewSummary = page.getByText(/^\d+ new, \d+ updated, \d+ unchanged, \d+ with errors$/);
  await previewSummary.waitFor();
  const previewText = await previewSummary.textContent();
  await page.getByLabel("Column “Name” holds").waitFor();
  await checkState(page, "import-preview");
  await page.getByLabel("Where these contacts came from").fill(`${SOURCE}-import`);

  // The tab runs the job's chunks: the first reaches the server, the second never does (its
  // request fails in the browser, as on a dropped connection) and the tab is reloaded — the job
  // is left half done, as when a tab is closed mid-import.
  let chunkCalls = 0;
  let stopSecond;
  const secondStopped = new Promise((resolve) => { stopSecond = resolve; });
  await page.route(CHUNK_RPC, async (route) => {
    chunkCalls += 1;
    if (chunkCalls !== 2) return route.fallback();
    await route.abort("connectionfailed");
    stopSecond();
    return undefined;
  });
  await page.getByRole("button", { name: "Import 1,000 rows" }).click();
  await secondStopped;
  await page.reload();
  await page.getByRole("heading", { name: "Imported 500 of 1,000 rows" }).waitFor();
  const resume = page.getByRole("button", { name: `Resume ${SOURCE}.csv` });
  await resume.waitFor();
  await checkState(page, "import-interrupted");
  await resume.click();
  const finished = page.getByText(/^Import finished: /);
  await finished.waitFor();
  const finishedText = await finished.textContent();
  await page.getByRole("progressbar", { name: "Import progress" }).waitFor();
  await checkState(page, "import-done");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download per-row results (CSV)" }).click(),
  ]);
  const results = countStatuses(await readFile(await download.path(), "utf8"));

  await page.getByRole("button", { name: "Español" }).click();
  const finishedEs = page.getByText(/^Importación terminada: /);
  await finishedEs.waitFor();
  await checkState(page, "import-es");
  emit({
    import: {
      preview: previewText,
      finished: finishedText,
      finished_es: await finishedEs.textContent(),
      results,
    },
  });

  if (outside.length > 0) throw new Error(`requests left the machine: ${outside.join(", ")}`);
  emit({ result: { count_ms: countMs, script_ms: Date.now() - startedAt } });
} catch (error) {
  await page.screenshot({ path: join(process.env.SCREENSHOTS, "failure.png"), fullPage: true });
  throw error;
} finally {
  closeInput();
  await browser.close();
}
