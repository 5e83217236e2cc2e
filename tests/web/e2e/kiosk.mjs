// The venue poster, then the kiosk on a shared tablet: a first-timer checks in with their phone,
// the kiosk signs them out and starts over for the next person, and only the staff PIN leaves it
// (a wrong PIN is refused).
import { BASE_URL, ask, checkState, closeInput, emit, launch, phonePage } from "./browser.mjs";

const { EVENT_SLUG, EVENT_NAME, PHONE_TYPED, PHONE_E164, PIN } = process.env;

const browser = await launch();
try {
  const { page, outside } = await phonePage(browser);

  await page.goto(`${BASE_URL}/poster/${EVENT_SLUG}`);
  await page.getByRole("heading", { name: EVENT_NAME }).waitFor();
  await page.getByRole("img", { name: `QR code that opens ${BASE_URL}/e/${EVENT_SLUG}` }).waitFor();
  await page.getByText("Escanea para registrarte").waitFor();
  await checkState(page, "poster");

  await page.goto(`${BASE_URL}/kiosk/${EVENT_SLUG}`);
  await page.getByText("Check in here").waitFor();
  await page.getByLabel("Your mobile number").pressSequentially(PHONE_TYPED);
  await checkState(page, "kiosk-phone");
  await page.getByRole("button", { name: "Text me a code" }).click();
  await page.getByRole("heading", { name: "Enter the code" }).waitFor();
  const code = await ask({ need_code: PHONE_E164 });
  await page.getByRole("textbox").first().pressSequentially(code);
  await page.getByRole("heading", { name: "Nice to meet you!" }).waitFor();
  await page.getByLabel("First name", { exact: true }).fill("Kira");
  await page.getByRole("button", { name: "Check me in" }).click();
  await page.getByRole("heading", { name: "You're checked in!" }).waitFor();
  await page.getByText("All set! The next person can start in").waitFor({ timeout: 10_000 });
  await checkState(page, "kiosk-checked-in");

  await page.getByRole("button", { name: "Start over" }).click();
  await page.getByLabel("Your mobile number").waitFor();
  const sessionKept = await page.evaluate(() => localStorage.getItem("hm-session"));
  if (sessionKept !== null) throw new Error("the kiosk must sign the attendee out when it starts over");
  await checkState(page, "kiosk-reset");

  await page.getByRole("button", { name: "Staff exit" }).click();
  await page.getByRole("dialog", { name: "Leave kiosk mode" }).waitFor();
  await page.getByLabel("Staff PIN").fill("0000");
  await page.getByRole("button", { name: "Unlock" }).click();
  await page.getByText("That PIN is wrong.").waitFor();
  await checkState(page, "kiosk-exit-wrong-pin");
  await page.getByLabel("Staff PIN").fill(PIN);
  await page.getByRole("button", { name: "Unlock" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/kiosk/"));
  const leftTo = new URL(page.url()).pathname;

  if (outside.length > 0) throw new Error(`requests left the machine: ${outside.join(", ")}`);
  emit({ result: { left_to: leftTo } });
} finally {
  closeInput();
  await browser.close();
}
