// Events as an organizer runs them, in a browser set to another time zone than the
// organisation's: sign in → new event (an end before the start is refused at its field) →
// saved, its attendee page → listed among upcoming events at the time typed → its live view →
// a check-in made at the door (pytest inserts it) arrives live and the count goes up → the live
// view in Spanish. RSVPs: someone RSVPs on the public page (anon, with an SMS opt-in) and appears
// live on the attendee page; the organizer sends the passes ("1 to send" → "1 already sent"),
// and the pass link opens the person's QR. A crowd arrives (pytest adds 70 people): the list
// shows its first page of 50, "Show more" reads the rest without a page load; one of them
// checks in: the counts follow at once, the two pages are not read again (the list says it is
// behind), and "Show the latest" reads page one with them on top. A filter and a search narrow
// it on the server, and the CSV export has everyone, not just the pages shown.
// axe on every state.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ask, BASE_URL, checkState, closeInput, emit, guardedPage, launch, phonePage, signInAsStaff } from "./browser.mjs";

const { STAFF_EMAIL, STAFF_PASSWORD, EVENT_NAME, START_DATE, RSVP_PHONE } = process.env;

const browser = await launch();
// Tokyo is never the organisation's zone here: times must still be typed and shown in the org's.
const { page, outside } = await guardedPage(browser, { viewport: { width: 1280, height: 900 }, locale: "en-US", timezoneId: "Asia/Tokyo" });
try {
  await signInAsStaff(page, { email: STAFF_EMAIL, password: STAFF_PASSWORD }, "/events/new");
  await page.getByRole("heading", { name: "New event" }).waitFor({ timeout: 60000 });
  await page.getByText(/Times are in the organisation's time zone/).waitFor();
  await checkState(page, "new-event");

  await page.getByLabel("Name").fill(EVENT_NAME);
  await page.getByLabel("Starts").fill(`${START_DATE}T18:00`);
  await page.getByLabel("Ends").fill(`${START_DATE}T17:00`);
  await page.getByLabel("Venue").fill("The Lab, Wynwood");
  await page.getByLabel("Capacity").fill("80");
  await page.getByLabel(/^Published/).check();
  await page.getByRole("button", { name: "Save event" }).click();
  await page.getByText("The event can't end before it starts.").waitFor();
  await checkState(page, "new-event-refused");

  await page.getByLabel("Ends").fill(`${START_DATE}T21:00`);
  await page.getByRole("button", { name: "Save event" }).click();
  await page.getByRole("heading", { name: `${EVENT_NAME}: attendees` }).waitFor();
  await page.getByText("Nobody has RSVP'd or checked in yet.").waitFor();
  const eventId = page.url().split("/").pop();
  await checkState(page, "attendees-empty");

  // Before the day, someone RSVPs on the public page (another browser, not signed in).
  const { context: visitorContext, page: visitor, outside: visitorOutside } = await phonePage(browser);
  const slug = EVENT_NAME.toLowerCase().replace(/ /g, "-");
  await visitor.goto(`${BASE_URL}/e/${slug}/rsvp`);
  await visitor.getByRole("heading", { name: `RSVP: ${EVENT_NAME}` }).waitFor();
  await visitor.getByLabel("First name").fill("Rita");
  await visitor.getByLabel("Last name (optional)").fill("Early");
  await visitor.getByLabel("Mobile phone").fill(RSVP_PHONE);
  await visitor.getByLabel("Text me about events and news").check();
  await checkState(visitor, "rsvp-form");
  await visitor.getByRole("button", { name: "RSVP", exact: true }).click();
  await visitor.getByText(/^You're on the list for /).waitFor();
  await checkState(visitor, "rsvp-done");

  // The organizer's page shows it live, with a pass to send.
  const people = page.getByRole("region", { name: `Attendees of ${EVENT_NAME}` });
  await people.getByText("Rita Early").waitFor({ timeout: 15000 });
  const passes = page.getByTestId("pass-summary");
  await passes.filter({ hasText: "1 to send, 0 without phone/email, 0 already sent." }).waitFor();
  // Each count in its own plural form.
  await page.getByTestId("attendee-summary").filter({ hasText: "1 RSVP · 0 checked in · 0 walk-ins" }).waitFor();
  await checkState(page, "attendees-rsvp");
  await page.getByRole("button", { name: "Send 1 pass" }).click();
  await passes.filter({ hasText: "0 to send, 0 without phone/email, 1 already sent." }).waitFor();
  await checkState(page, "passes-sent");

  const passLink = await ask({ need_code: JSON.stringify({ pass_link: RSVP_PHONE }) });
  await visitor.goto(passLink);
  await visitor.getByRole("img", { name: "Your personal QR code for check-in" }).waitFor();
  await checkState(visitor, "pass");
  await visitorContext.close();

  await page.getByRole("link", { name: "Events", exact: true }).click();
  const row = page.getByRole("region", { name: "Upcoming and current events" }).getByRole("row").filter({ hasText: EVENT_NAME });
  await row.waitFor();
  const rowText = await row.textContent();
  await checkState(page, "list");

  await row.getByRole("link", { name: "Live check-ins" }).click();
  const count = page.getByTestId("live-count");
  await page.getByText("No check-ins yet. They appear here as they happen.").waitFor();
  await count.filter({ hasText: /^0$/ }).waitFor();
  await checkState(page, "live-empty");

  const checkedInAt = Number(await ask({ need_code: JSON.stringify({ check_in: eventId }) }));
  await count.filter({ hasText: /^1$/ }).waitFor({ timeout: 15000 });
  await page.getByText(/^Lia Arrives checked in at /).waitFor();
  const liveMs = Date.now() - checkedInAt * 1000;
  await checkState(page, "live-arrived");

  await page.getByRole("button", { name: "Español" }).click();
  await page.getByRole("heading", { name: `${EVENT_NAME}: registros en vivo` }).waitFor();
  await page.getByText(/^Lia Arrives se registró a las /).waitFor();
  await checkState(page, "live-es");

  // Back to the list (in the app: no page load) as a crowd arrives: 40 more RSVPs, 30 walk-ins.
  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("link", { name: "Attendee list" }).click();
  await people.getByText("Lia Arrives").waitFor();
  await ask({ need_code: JSON.stringify({ crowd: eventId }) });
  const showing = page.getByTestId("attendee-showing");
  await showing.filter({ hasText: "Showing 50 of 72" }).waitFor({ timeout: 15000 });
  await page.getByTestId("attendee-summary").filter({ hasText: "41 RSVPs · 31 checked in · 31 walk-ins" }).waitFor();
  await checkState(page, "attendees-first-page");
  await page.getByRole("button", { name: "Show more" }).click();
  await showing.filter({ hasText: "Showing 72 of 72" }).waitFor();
  if ((await people.getByRole("row").count()) !== 73) throw new Error("the second page did not add 22 rows");
  if ((await page.getByRole("button", { name: "Show more" }).count()) !== 0) throw new Error("a last page offers more");
  // With two pages open an arrival re-reads the counts, not each page.
  let pageReads = 0;
  const countPageReads = (request) => {
    if (request.url().includes("/rpc/event_attendees_page")) pageReads += 1;
  };
  page.on("request", countPageReads);
  await ask({ need_code: JSON.stringify({ late: eventId }) });
  await page.getByTestId("attendee-summary").filter({ hasText: "41 RSVPs · 32 checked in · 31 walk-ins" }).waitFor({ timeout: 15000 });
  await page.getByText("People have arrived or RSVP'd since these pages were read.").waitFor();
  await checkState(page, "attendees-behind");
  if (pageReads !== 0) throw new Error(`an arrival re-read ${pageReads} pages of the list`);
  await page.getByRole("button", { name: "Show the latest" }).click();
  await showing.filter({ hasText: "Showing 50 of 72" }).waitFor();
  // Page one shows at once as it was read, then as read again: wait for the new read.
  const first = people.getByRole("row").nth(1);
  await first.filter({ hasText: "Crowd Rsvp 40" }).waitFor({ timeout: 10000 }).catch(async () => {
    throw new Error(`the latest arrival is not on top: ${await first.innerText()}`);
  });
  page.off("request", countPageReads);
  if (pageReads !== 1) throw new Error(`"Show the latest" read ${pageReads} pages, not one`);
  await page.getByLabel("Who").selectOption({ label: "Walk-ins" });
  await showing.filter({ hasText: "Showing 31 of 31" }).waitFor();
  await page.getByLabel("Search by name, email or phone").fill("lia arr");
  await showing.filter({ hasText: "Showing 1 of 1" }).waitFor();
  await people.getByText("Lia Arrives").waitFor();
  await checkState(page, "attendees-filtered");
  await page.getByLabel("Check-in").selectOption({ label: "Not checked in" });
  await page.getByText("Nobody matches these filters.").waitFor();
  await checkState(page, "attendees-no-match");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export attendee list (CSV)" }).click(),
  ]);
  const exported = await readFile(await download.path(), "utf8");

  const left = [...outside, ...visitorOutside];
  if (left.length > 0) throw new Error(`requests left the machine: ${left.join(", ")}`);
  emit({ result: { event_id: eventId, row_text: rowText, live_ms: liveMs, exported, pass_link: passLink } });
} catch (error) {
  await page.screenshot({ path: join(process.env.SCREENSHOTS, "failure.png"), fullPage: true });
  throw error;
} finally {
  closeInput();
  await browser.close();
}
