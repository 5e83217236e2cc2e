// Flow 4, the inbox, as an organizer lives it: sign in → the inbox is open → a contact texts a
// picture (pytest asks the provider simulator: a signed webhook, the webhook worker copies the
// picture into Storage) → the conversation appears live with its image → a colleague opens it
// too and is shown as viewing → they go to another screen, are assigned the conversation and
// told so there, live → "/park" + Tab inserts a canned reply → sent, and the delivered
// status arrives → the contact's message is saved as a canned reply → "c" closes it → the
// contact texts STOP and the reply box gives way to the reason, in English and Spanish.
// axe on every state.
import { join } from "node:path";
import { ask, BASE_URL, checkState, closeInput, emit, guardedPage, launch } from "./browser.mjs";

const { STAFF_EMAIL, STAFF_PASSWORD, COLLEAGUE_EMAIL, COLLEAGUE_PASSWORD, COLLEAGUE_ID, CONTACT_NAME } = process.env;

async function desktop(browser) {
  const { context, page, outside } = await guardedPage(browser, { viewport: { width: 1280, height: 900 }, locale: "en-US" });
  return { context, page, outside };
}

async function signIn(page, email, password, next) {
  await page.goto(`${BASE_URL}/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Inbox", exact: true }).waitFor({ timeout: 60000 });
}

const browser = await launch();
const { page, outside } = await desktop(browser);
const result = {};
try {
  await signIn(page, STAFF_EMAIL, STAFF_PASSWORD, "/inbox");
  await page.getByRole("navigation", { name: "Conversations" }).waitFor();
  await checkState(page, "inbox");

  // The contact texts a picture; it appears in the open inbox without a reload (Realtime; the
  // 10 s poll is only the backstop).
  const askedAt = Date.now();
  await ask({ need_code: JSON.stringify({ text_in: "picture" }) });
  const item = page.getByRole("navigation", { name: "Conversations" }).getByRole("link", { name: new RegExp(CONTACT_NAME) });
  await item.waitFor({ timeout: 15000 });
  result.live_ms = Date.now() - askedAt;
  await item.getByText("1 unread").waitFor();
  await item.click();
  const picture = page.getByRole("img", { name: "Picture 1" });
  await picture.waitFor({ timeout: 15000 });
  await page.waitForFunction(() => {
    const img = document.querySelector("img[alt='Picture 1']");
    return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
  });
  result.picture_src = await picture.getAttribute("src");
  await checkState(page, "conversation-picture");

  // A colleague opens the same conversation: presence shows them here.
  const colleague = await desktop(browser);
  await signIn(colleague.page, COLLEAGUE_EMAIL, COLLEAGUE_PASSWORD, page.url().replace(BASE_URL, ""));
  await colleague.page.getByRole("img", { name: "Picture 1" }).waitFor();
  await page.getByText(`Also viewing: ${COLLEAGUE_EMAIL}`).waitFor({ timeout: 10000 });
  await checkState(page, "colleague-viewing");

  // The colleague moves on to another screen (no page load); assigned the conversation, they
  // are told there, live: a toast and the header's link to their inbox.
  await colleague.page.getByRole("link", { name: "Console", exact: true }).click();
  await page.getByText("Also viewing:").waitFor({ state: "detached", timeout: 10000 });
  await page.getByLabel("Assign to").selectOption(COLLEAGUE_ID);
  await page.getByText("Conversation assigned.").waitFor();
  // The list names the assignee as colleagues know them (staff_directory: no display name, so the
  // login email), never by an id.
  await page.getByRole("navigation", { name: "Conversations" }).getByText(`Assigned to ${COLLEAGUE_EMAIL}`).waitFor({ timeout: 10000 });
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await colleague.page.getByText("A conversation was assigned to you.").waitFor({ timeout: 15000 });
  await colleague.page.getByRole("link", { name: "1 new in your inbox" }).waitFor();
  result.colleague_path = new URL(colleague.page.url()).pathname;
  await checkState(colleague.page, "assigned-notice");
  await colleague.context.close();

  // "r" focuses the reply; "/park" offers the canned reply, Tab inserts it.
  await page.keyboard.press("r");
  const reply = page.getByRole("textbox", { name: "Reply" });
  await reply.pressSequentially("Hi! /park");
  await page.getByRole("button", { name: "Insert /parking" }).waitFor();
  await checkState(page, "canned-suggestions");
  await reply.press("Tab");
  const expected = "Hi! Park free on NW 2nd Ave after 6pm.";
  if ((await reply.inputValue()) !== expected) throw new Error(`reply reads ${await reply.inputValue()}`);
  await page.getByText(/characters · 1 segment · GSM-7/).waitFor();
  await page.getByRole("button", { name: "Send", exact: true }).click();
  const ours = page.getByRole("article", { name: "You" }).filter({ hasText: expected });
  await ours.waitFor();
  await ours.getByText("Delivered", { exact: true }).waitFor({ timeout: 20000 });
  await checkState(page, "delivered");

  // Save the contact's own words as a canned reply.
  await page.getByRole("article", { name: "Them" }).getByRole("button", { name: "Save as canned reply" }).click();
  await page.getByLabel("Shortcut").fill("their-question");
  await checkState(page, "save-canned");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByText("Canned reply /their-question saved.").waitFor();

  // "c" closes the conversation (the list follows live).
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("c");
  await page.getByText("Conversation closed.").waitFor();
  await page.getByRole("button", { name: "Reopen conversation" }).waitFor();
  await checkState(page, "closed");

  // STOP: the reply box gives way to the reason, live.
  await ask({ need_code: JSON.stringify({ text_in: "stop" }) });
  await page.getByRole("heading", { name: "Replies are blocked" }).waitFor({ timeout: 15000 });
  await page.getByText(/replied STOP on/).waitFor();
  if ((await page.getByRole("textbox", { name: "Reply" }).count()) !== 0) throw new Error("the reply box is still there");
  await checkState(page, "blocked");
  await page.getByRole("button", { name: "Español" }).click();
  await page.getByRole("heading", { name: "No se puede responder" }).waitFor();
  await page.getByText(/respondió STOP el/).waitFor();
  await checkState(page, "blocked-es");

  if (outside.length > 0) throw new Error(`requests left the machine: ${outside.join(", ")}`);
  emit({ result });
} catch (error) {
  await page.screenshot({ path: join(process.env.SCREENSHOTS, "failure.png"), fullPage: true });
  throw error;
} finally {
  closeInput();
  await browser.close();
}
