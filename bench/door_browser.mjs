// Driven by bench/door.py: the door in Chromium against a loaded stack. Prints one JSON line.
//  * scripts downloaded before the door's and self check-in's main control appeared (URLs;
//    door.py sizes them),
//  * code read → result card: each attendee's QR token arrives as a USB scanner sends it (typed +
//    Enter), the same handler the camera's decoder calls; check_in over REST, then the card,
//  * phone lookup: the last keystroke of a phone number → the person's row on screen.
import { createRequire } from "node:module";
import { join } from "node:path";

const { BASE_URL, FRONTEND, EVENT_SLUG, EMAIL, PASSWORD } = process.env;
const scans = JSON.parse(process.env.SCANS); // [{token, name}]
const lookups = JSON.parse(process.env.LOOKUPS); // [{phone, name}]
const require = createRequire(join(FRONTEND, "package.json"));
const { chromium } = require("playwright-core");

const browser = await chromium.launch({
  executablePath: "/usr/lib/chromium/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

// The scripts a route needed before its main control appeared: those whose download ended
// before that element was in the DOM (as frontend/scripts/first-paint-js.mjs measures /e/<slug>).
// Chunks the route loads right after painting (the phone library) are not counted.
async function scriptsBeforePaint(context, path, readySelector) {
  const page = await context.newPage();
  await page.addInitScript((selector) => {
    new MutationObserver((_, observer) => {
      if (document.querySelector(selector)) {
        window.__hmReady = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  }, readySelector);
  await page.goto(`${BASE_URL}${path}`);
  await page.waitForFunction(() => window.__hmReady !== undefined);
  await page.waitForLoadState("networkidle");
  const scripts = await page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .filter((entry) => entry.initiatorType === "script" || entry.name.endsWith(".js"))
      .filter((entry) => entry.responseEnd <= window.__hmReady)
      .map((entry) => new URL(entry.name).pathname),
  );
  await page.close();
  return scripts;
}

try {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const selfCheckInScripts = await scriptsBeforePaint(context, `/e/${EVENT_SLUG}`, "form button[type=submit]");

  const page = await context.newPage();
  await page.goto(`${BASE_URL}/sign-in`);
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Staff console" }).waitFor();
  const doorScripts = await scriptsBeforePaint(context, `/door/${EVENT_SLUG}`, "#door-code");

  await page.goto(`${BASE_URL}/door/${EVENT_SLUG}`);
  const code = page.getByLabel("QR code (USB scanners type here)");
  const scanMs = [];
  for (const scan of scans) {
    await code.fill(scan.token);
    const sentAt = await page.evaluate(() => performance.now());
    await code.press("Enter");
    await page.locator('[data-outcome="checked_in"]').getByText(scan.name, { exact: true }).waitFor({ timeout: 10_000 });
    scanMs.push((await page.evaluate(() => performance.now())) - sentAt);
  }

  const lookupMs = [];
  const field = page.getByLabel("Phone or name", { exact: true });
  for (const lookup of lookups) {
    await field.fill(lookup.phone.slice(0, -1));
    const pressed = await page.evaluate(() => performance.now());
    await field.press(lookup.phone.slice(-1));
    await page.getByRole("button", { name: `Check in ${lookup.name}` }).waitFor({ timeout: 10_000 });
    lookupMs.push((await page.evaluate(() => performance.now())) - pressed);
  }

  process.stdout.write(
    `${JSON.stringify({ self_check_in_scripts: selfCheckInScripts, door_scripts: doorScripts, scan_ms: scanMs, lookup_ms: lookupMs })}\n`,
  );
} catch (error) {
  // Leave a picture of where it stopped for whoever runs the bench.
  for (const page of browser.contexts().flatMap((context) => context.pages())) {
    await page.screenshot({ path: join(process.env.SHOTS ?? "/tmp", `door-bench-${Date.now()}.png`) });
  }
  throw error;
} finally {
  await browser.close();
}
