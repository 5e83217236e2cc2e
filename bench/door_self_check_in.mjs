// Driven by bench/door_self_check_in.py: self check-in's "Verify" → "You're checked in" in
// Chromium, for returning attendees (no form in between). Each attendee gets a fresh phone-sized
// context: phone → "Text me a code" → the code (read by door_self_check_in.py from the SMS the
// Send-SMS hook queued, answered on stdin) → the last digit typed (the code boxes verify on it)
// → the heading. Prints {"verify_ms": [...]} as its last line.
import { createRequire } from "node:module";
import { join } from "node:path";
import { createInterface } from "node:readline";

const { BASE_URL, FRONTEND, EVENT_SLUG } = process.env;
const attendees = JSON.parse(process.env.ATTENDEES); // [{phone_typed, phone_e164}]
const require = createRequire(join(FRONTEND, "package.json"));
const { chromium } = require("playwright-core");

const input = createInterface({ input: process.stdin });
const answers = input[Symbol.asyncIterator]();
async function codeFor(phone) {
  process.stdout.write(`${JSON.stringify({ need_code: phone })}\n`);
  const { value, done } = await answers.next();
  if (done) throw new Error(`no code for ${phone}`);
  return value.trim();
}

const browser = await chromium.launch({
  executablePath: "/usr/lib/chromium/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const verifyMs = [];
  for (const attendee of attendees) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await context.newPage();
    await page.goto(`${BASE_URL}/e/${EVENT_SLUG}`);
    await page.getByLabel("Your mobile number").pressSequentially(attendee.phone_typed);
    await page.getByRole("button", { name: "Text me a code" }).click();
    await page.getByRole("heading", { name: "Enter the code" }).waitFor();
    const code = await codeFor(attendee.phone_e164);
    const boxes = page.getByRole("textbox").first();
    await boxes.pressSequentially(code.slice(0, -1));
    const typedAt = await page.evaluate(() => performance.now());
    await page.keyboard.press(code.slice(-1)); // focus moved on to the last box by itself
    await page.getByRole("heading", { name: "You're checked in!" }).waitFor({ timeout: 10_000 });
    verifyMs.push((await page.evaluate(() => performance.now())) - typedAt);
    await context.close();
  }
  process.stdout.write(`${JSON.stringify({ verify_ms: verifyMs })}\n`);
} catch (error) {
  // Leave a picture of where it stopped for whoever runs the bench.
  for (const page of browser.contexts().flatMap((context) => context.pages())) {
    await page.screenshot({ path: join(process.env.SHOTS ?? "/tmp", `self-check-in-bench-${Date.now()}.png`) });
  }
  throw error;
} finally {
  input.close(); // else the open stdin keeps node (and the bench waiting on it) alive
  await browser.close();
}
