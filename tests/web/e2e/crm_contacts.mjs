// The CRM as an organizer lives it at a desk: sign in → the contacts list (100k people) → type
// part of a name and see the person → filter by a tag, select, bulk-add a tag → save the
// filter as a view → open the person → a bad phone is refused, a real one and a birthday
// without a year are saved, a custom field added → log a note → a text they send appears on
// the timeline live (pytest inserts it) → the timeline in Spanish. axe on every state.
import { join } from "node:path";
import { ask, checkState, closeInput, emit, guardedPage, launch, signInAsStaff } from "./browser.mjs";

const { STAFF_EMAIL, STAFF_PASSWORD, VIEW_NAME, TARGET_TAG } = process.env;

async function desktopPage(browser) {
  const { page, outside } = await guardedPage(browser, { viewport: { width: 1280, height: 900 }, locale: "en-US" });
  page.on("console", (message) => {
    if (message.type() === "error") emit({ console_error: message.text() });
  });
  return { page, outside };
}

const browser = await launch();
const { page, outside } = await desktopPage(browser);
try {
  await signInAsStaff(page, { email: STAFF_EMAIL, password: STAFF_PASSWORD }, "/crm/contacts");
  await page.getByRole("heading", { name: "Contacts" }).waitFor({ timeout: 60000 });
  const count = page.getByText(/^[\d,]+ contacts$/);
  await count.waitFor();
  const totalShown = (await count.textContent()).replace(" contacts", "");
  await page.getByRole("table").waitFor();
  await checkState(page, "list");

  // Search as you type: the row appears while typing, no button.
  const search = page.getByRole("searchbox", { name: "Search" });
  await search.pressSequentially("zelda quin", { delay: 40 });
  const typedAt = Date.now();
  const person = page.getByRole("link", { name: "Zelda Quintero" });
  await person.waitFor();
  const searchMs = Date.now() - typedAt;
  await page.getByText("1 contact", { exact: true }).waitFor();
  await checkState(page, "search");

  // Filter by tag (search cleared), select the one row, add a tag to the selection.
  await search.fill("");
  await page.getByText(`${totalShown} contacts`, { exact: true }).waitFor();
  await page.getByText("Filters", { exact: true }).click();
  await page.getByLabel("Has tag").selectOption(TARGET_TAG);
  await page.getByText("1 contact", { exact: true }).waitFor();
  await page.getByRole("checkbox", { name: "Select Zelda Quintero" }).check();
  await page.getByText("1 selected").waitFor();
  await checkState(page, "filtered-selected");
  await page.getByLabel("Tag", { exact: true }).fill("followup");
  await page.getByRole("button", { name: "Add tag" }).click();
  await page.getByText("1 contacts changed.").waitFor();
  await page.getByRole("cell", { name: `${TARGET_TAG}, followup` }).waitFor();
  await checkState(page, "bulk-tagged");

  // The filter saved as a view (a segment).
  await page.getByLabel("Name of the new view").fill(VIEW_NAME);
  await page.getByRole("button", { name: "Save as view" }).click();
  await page.getByText(`View “${VIEW_NAME}” saved.`).waitFor();

  // The person's page: details, validation, birthday without a year, a custom field.
  await page.getByRole("link", { name: "Zelda Quintero" }).click();
  await page.getByRole("heading", { name: "Zelda Quintero", level: 1 }).waitFor();
  await page.getByRole("heading", { name: "Timeline" }).waitFor();
  await checkState(page, "contact");
  await page.getByLabel("Phone").fill("123");
  await page.getByRole("button", { name: "Save details" }).click();
  await page.getByText("Enter a phone number like (305) 555-0123").waitFor();
  await checkState(page, "contact-invalid");
  await page.getByLabel("Phone").fill("(305) 555-0177");
  await page.getByLabel("Month").selectOption("2");
  await page.getByLabel("Day").selectOption("29");
  await page.getByRole("button", { name: "Add field" }).click();
  await page.getByLabel("Field name").fill("shirt");
  await page.getByLabel("Value").fill("M");
  await page.getByRole("button", { name: "Save details" }).click();
  await page.getByText("Details saved.").waitFor();
  await checkState(page, "contact-saved");

  // A note on the timeline.
  await page.getByLabel("What happened").fill("Met at the door; wants to speak in March.");
  await page.getByRole("button", { name: "Add to timeline" }).click();
  await page.getByText("Met at the door; wants to speak in March.").waitFor();
  await checkState(page, "timeline-note");

  // Live: a text the person sends shows up without a reload.
  const sentAt = Number(await ask({ need_code: JSON.stringify({ send_text: page.url().split("/").pop() }) }));
  await page.getByText("Text received: “Thanks for the welcome!”").waitFor({ timeout: 15000 });
  const liveMs = Date.now() - sentAt * 1000;
  await checkState(page, "timeline-live");

  await page.getByRole("button", { name: "Español" }).click();
  await page.getByRole("heading", { name: "Actividad" }).waitFor();
  await page.getByText("Texto recibido: «Thanks for the welcome!»").waitFor();
  await checkState(page, "timeline-es");

  if (outside.length > 0) throw new Error(`requests left the machine: ${outside.join(", ")}`);
  emit({ result: { total_shown: totalShown, search_ms: searchMs, live_ms: liveMs } });
} catch (error) {
  await page.screenshot({ path: join(process.env.SCREENSHOTS, "failure.png"), fullPage: true });
  throw error;
} finally {
  closeInput();
  await browser.close();
}
