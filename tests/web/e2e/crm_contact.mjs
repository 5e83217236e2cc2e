// One contact as an admin at a desk: the likely duplicates across the CRM → open the person →
// log a note with a picture (chosen) and a PDF (dropped), each uploading with progress → open
// the picture and the PDF through expiring links → a likely duplicate, compared side by side,
// merged taking the duplicate's company → download their data (JSON) → erase the person and
// watch the erase complete while the worker runs (pytest runs it). axe on every state.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ask, BASE_URL, checkState, closeInput, emit, guardedPage, launch, signInAsStaff, staffLogin } from "./browser.mjs";

const { CONTACT_ID, KEPT_NAME, DUPLICATE_NAME } = process.env;

// A 2×2 PNG, so the preview has real pixels to decode.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGM4IWcDRAwQCgAh9gSJHoU67gAAAABJRU5ErkJggg==",
  "base64",
);
const PDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

const browser = await launch();
const { page, outside } = await guardedPage(browser, { viewport: { width: 1280, height: 900 }, locale: "en-US" });
const started = Date.now();
const timings = {};
/** Milliseconds from the start to the end of each step, reported in the result. */
const mark = (step) => {
  timings[step] = Date.now() - started;
};
try {
  // Duplicates across the CRM first: this contact and its duplicate make at least one pair.
  await signInAsStaff(page, staffLogin("STAFF"), "/crm/duplicates");
  await page.getByRole("heading", { name: "Possible duplicates", level: 1 }).waitFor({ timeout: 60000 });
  await page.getByRole("link", { name: /^Compare and merge / }).first().waitFor({ timeout: 30000 });
  mark("duplicates");
  await checkState(page, "duplicates");

  await page.goto(`${BASE_URL}/crm/contacts/${CONTACT_ID}`);
  await page.getByRole("heading", { name: KEPT_NAME, level: 1 }).waitFor({ timeout: 60000 });
  await page.getByRole("heading", { name: "Possible duplicates" }).waitFor();
  mark("contact");
  await checkState(page, "contact");
  // The edit field shows the number as people write it (saving turns it back into E.164).
  const phoneField = await page.getByLabel("Phone", { exact: true }).inputValue();

  // Files: one chosen, one dropped; each shows its upload, then is ready.
  await page.getByLabel("Drop files here or choose them").setInputFiles({ name: "badge photo.png", mimeType: "image/png", buffer: PNG });
  const dropped = await page.evaluateHandle((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], "scan.pdf", { type: "application/pdf" }));
    return transfer;
  }, PDF);
  await page.getByText("Drop files here or choose them").locator("..").dispatchEvent("drop", { dataTransfer: dropped });
  await page.getByText("badge photo.png is ready").waitFor();
  await page.getByText("scan.pdf is ready").waitFor();
  await page.getByLabel("What happened").fill("Brought her ID for the venue list.");
  mark("attachments");
  await checkState(page, "attachments");
  await page.getByRole("button", { name: "Add to timeline" }).click();
  await page.getByText("Brought her ID for the venue list.").waitFor();

  // Preview through a signed link that expires.
  await page.getByRole("button", { name: "Open badge photo.png" }).click();
  const preview = page.getByRole("img", { name: "Preview of badge photo.png" });
  await preview.waitFor();
  await page.waitForFunction(() => {
    const image = document.querySelector('img[alt="Preview of badge photo.png"]');
    return image instanceof HTMLImageElement && image.complete && image.naturalWidth === 2;
  });
  const signed = await preview.getAttribute("src");
  if (!signed.includes("/storage/v1/object/sign/attachments/") || !signed.includes("token=")) {
    throw new Error(`not a signed link: ${signed}`);
  }
  mark("preview");
  await checkState(page, "preview");
  // The PDF opens the same way: its preview frame shows the file through a signed link.
  await page.getByRole("button", { name: "Open scan.pdf" }).click();
  const pdfLink = await page.locator('iframe[title="Preview of scan.pdf"]').getAttribute("src");
  if (!pdfLink.includes("/storage/v1/object/sign/attachments/") || !pdfLink.includes("token=")) {
    throw new Error(`not a signed link: ${pdfLink}`);
  }
  const pdfBody = await (await page.request.get(pdfLink)).text();
  if (pdfBody !== PDF) throw new Error("the PDF's signed link does not serve the file");

  // The duplicate, side by side; the duplicate's company wins.
  await page.getByRole("button", { name: `Compare and merge with ${DUPLICATE_NAME}` }).click();
  await page.getByRole("heading", { name: "Merge two contacts" }).waitFor();
  await page.getByRole("radio", { name: "Company: use Marin Labs" }).check();
  await page.getByText("After the merge:").filter({ hasText: "Marin Labs" }).waitFor();
  mark("merge");
  await checkState(page, "merge");
  const mergeText = await page.locator('form[aria-labelledby="merge-title"]').innerText();
  await page.getByRole("button", { name: "Merge", exact: true }).click();
  await page.getByText("Merged. The duplicate now points to this contact.").first().waitFor();
  // Not an axe state of its own: the contact page again, with one sentence instead of the list.
  await page.getByText("No likely duplicates.").waitFor();
  mark("merged");

  // Their data, downloaded by the admin before the erase: one JSON document, messaging included.
  const [exported] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download their data (JSON)" }).click(),
  ]);
  const exportDocument = JSON.parse(await readFile(await exported.path(), "utf8"));

  // Erase: the rows at once, then the worker deletes the files and the login.
  await page.getByRole("button", { name: "Erase this person…" }).click();
  await page.getByRole("button", { name: "Yes, erase permanently" }).click();
  await page.getByText("This contact doesn't exist or was erased.").waitFor();
  await page.getByText("Personal data erased. Deleting their files and login…").waitFor();
  mark("erasing");
  await checkState(page, "erasing");
  const claimed = await ask({ need_code: "run_erasure_worker" });
  await page.getByText(/^Erasure completed on .+: their files and login are deleted\.$/).waitFor({ timeout: 15000 });
  mark("erased");
  await checkState(page, "erased");

  if (outside.length > 0) throw new Error(`requests left the machine: ${outside.join(", ")}`);
  emit({
    result: {
      claimed,
      timings,
      total_ms: Date.now() - started,
      phone_field: phoneField,
      merge_shows_e164: /\+1\d{10}/.test(mergeText),
      export: {
        file: exported.suggestedFilename(),
        contact_id: exportDocument.contact.id,
        sections: Object.keys(exportDocument).sort(),
        interactions: exportDocument.interactions.length,
      },
    },
  });
} catch (error) {
  await page.screenshot({ path: join(process.env.SCREENSHOTS, "failure.png"), fullPage: true });
  throw error;
} finally {
  closeInput();
  await browser.close();
}
