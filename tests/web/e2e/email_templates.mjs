// HTML email as an organizer lives it: sign in → a new email template whose text carries markup
// and a scripted link → its preview for a contact is the HTML the database renders for the sends,
// in a sandboxed frame, escaped → saved → "Send a test to me" (pytest checks it reaches the
// simulator with both parts) → a blast composed to an unsaved filter, its live count, its preview.
// axe on every state.
import { join } from "node:path";
import { checkState, closeInput, emit, guardedPage, launch, signInAsStaff, staffLogin } from "./browser.mjs";

const env = process.env;

const browser = await launch();
const { page, outside } = await guardedPage(browser, { viewport: { width: 1280, height: 900 }, locale: "en-US" });
// A script in the preview would show up as a dialog.
page.on("dialog", (dialog) => {
  emit({ page_error: `a dialog opened: ${dialog.message()}` });
  void dialog.dismiss();
});

try {
  await signInAsStaff(page, staffLogin("STAFF"), "/messaging/templates/new");
  await page.getByRole("heading", { name: "New template" }).waitFor({ timeout: 60000 });

  await page.getByLabel("Name", { exact: true }).fill(env.TEMPLATE_NAME);
  await page.getByLabel("Channel").selectOption("email");
  await page.getByLabel("Subject").fill("News for {{first_name | you}}");
  await page.getByLabel(/^Message \(plain text/).fill(env.BODY);

  // The preview for one contact: the database's HTML in a sandboxed frame, markup escaped.
  await page.getByLabel("Preview for").fill(env.PREVIEW_PHONE);
  const option = page.getByLabel("Choose a contact").locator("option", { hasText: env.PREVIEW_PHONE });
  await option.waitFor({ state: "attached" });
  await page.getByLabel("Choose a contact").selectOption(await option.getAttribute("value"));
  const frame = page.getByTestId("email-preview");
  await frame.waitFor();
  await page.getByTestId("template-preview").getByText(/^Subject: News for Guest\d+$/).waitFor();
  const sandbox = await frame.getAttribute("sandbox");
  if (sandbox !== "") throw new Error(`the preview frame must be fully sandboxed, not sandbox="${sandbox}"`);
  const html = await frame.getAttribute("srcdoc");
  if (!html.includes("&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;") || html.includes("<script")) {
    throw new Error("the preview's HTML does not escape the typed markup");
  }
  const inside = page.frameLocator('[data-testid="email-preview"]');
  await inside.getByRole("link", { name: "https://hellomiami.org/rsvp" }).waitFor();
  await inside.getByText(/^Hi Guest\d+ <script>alert\(1\)<\/script> <img src=x onerror=alert\(1\)>$/).waitFor();
  if ((await inside.getByRole("link").count()) !== 2) throw new Error("only the address and the unsubscribe footer are links");
  // The sandboxed frame runs no script, axe's included: its content is checked above instead.
  const sandboxed = { exclude: ['[data-testid="email-preview"]'] };
  await checkState(page, "email-preview", sandboxed);

  await page.getByRole("button", { name: "Save template" }).click();
  await page.getByText(`Template “${env.TEMPLATE_NAME}” saved.`).waitFor();
  await page.getByRole("button", { name: "Send a test to me" }).click();
  await page.getByText("Test on its way to your email address.").waitFor();
  await checkState(page, "email-saved", sandboxed);

  // A blast to a filter nobody saved: the segment builder's rules with their live count.
  await page.getByRole("link", { name: "Blasts", exact: true }).click();
  await page.getByRole("link", { name: "New blast" }).click();
  await page.getByRole("heading", { name: "New blast" }).waitFor();
  await page.getByLabel("Name", { exact: true }).fill(env.BLAST_NAME);
  await page.getByLabel("A filter (not saved as a segment)").check();
  await page.getByLabel("Add a rule").selectOption("tags_any");
  const tags = page.getByLabel("Tags, separated by commas");
  await tags.fill(env.FILTER_TAG);
  await tags.blur();
  await page.getByText("7 contacts match this filter now.").waitFor();
  await page.getByLabel("Channel").selectOption("email");
  await page.getByLabel("Email sender").selectOption({ label: env.SENDER_NAME });
  await page.getByLabel("Email template").selectOption({ label: env.TEMPLATE_NAME });
  await checkState(page, "composer-filter");
  await page.getByRole("button", { name: "Save and preview" }).click();
  await page.getByRole("heading", { name: env.BLAST_NAME }).waitFor();
  await page.getByText("Audience: 7 contacts").waitFor();
  await checkState(page, "filtered-blast");

  if (outside.length > 0) throw new Error(`requests left the machine: ${outside.join(", ")}`);
  emit({ result: { preview_bytes: html.length } });
} catch (error) {
  await page.screenshot({ path: join(env.SCREENSHOTS, "failure.png"), fullPage: true });
  throw error;
} finally {
  closeInput();
  await browser.close();
}
