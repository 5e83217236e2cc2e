// Driven by bench/door.py: the door in Chromium against a loaded stack. Prints one JSON line.
//  * scripts loaded before the door's and self check-in's first paint (URLs; door.py sizes them),
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

async function scriptsBeforePaint(context, path, ready) {
  const page = await context.newPage();
  const scripts = [];
  page.on("request", (request) => {
    if (request.resourceType() === "script") scripts.push({ url: request.url(), at: Date.now() });
  });
  await page.goto(`${BASE_URL}${path}`);
  await ready(page);
  const painted = Date.now();
  await page.close();
  return scripts.filter((script) => script.at <= painted).map((script) => new URL(script.url).pathname);
}

try {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const selfCheckInScripts = await scriptsBeforePaint(context, `/e/${EVENT_SLUG}`, (page) =>
    page.getByRole("button", { name: "Text me a code" }).waitFor(),
  );

  const page = await context.newPage();
  await page.goto(`${BASE_URL}/sign-in`);
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Staff console" }).waitFor();
  const doorScripts = await scriptsBeforePaint(context, `/door/${EVENT_SLUG}`, (door) =>
    door.getByRole("button", { name: "Start camera" }).waitFor(),
  );

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
