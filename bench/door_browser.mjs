// Driven by bench/door.py: the door in Chromium against a loaded stack. Prints one JSON line.
//  * the JavaScript the door and self check-in need before their main control appears (their
//    static import graphs, proven sufficient: frontend/scripts/first-paint.mjs),
//  * code read → result card: each attendee's QR token arrives as a USB scanner sends it (typed +
//    Enter), the same handler the camera's decoder calls; check_in over REST, then the card,
//  * phone lookup: the last keystroke of a phone number → the person's row on screen.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { MARKER, writeScanVideo } from "./door_camera_video.mjs";

const { BASE_URL, FRONTEND, EVENT_SLUG, EMAIL, PASSWORD } = process.env;
const scans = JSON.parse(process.env.SCANS); // [{token, name}]
const lookups = JSON.parse(process.env.LOOKUPS); // [{phone, name}]
const cameraScans = JSON.parse(process.env.CAMERA_SCANS); // [{token, name}]
const require = createRequire(join(FRONTEND, "package.json"));
const { chromium } = require("playwright-core");
const { firstPaintScripts } = await import(pathToFileURL(join(FRONTEND, "scripts", "first-paint.mjs")).href);
const dist = join(FRONTEND, "dist");

const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const browser = await chromium.launch({ executablePath: "/usr/lib/chromium/chromium", args: FLAGS });

// QR shown to the camera → result card, the camera's wasm decode included: a second Chromium
// whose fake camera plays every attendee's code in turn. In the page, each video frame's top-left
// corner is sampled as it is presented (requestVideoFrameCallback): the frame where the marker
// square turns black is the moment the next code is shown. A MutationObserver stamps the moment
// each attendee's name appears on a "checked in" card.
async function cameraScanMs(storageState) {
  const folder = mkdtempSync(join(tmpdir(), "hm-door-bench-camera-"));
  const video = await writeScanVideo(folder, FRONTEND, cameraScans.map((scan) => scan.token));
  const camera = await chromium.launch({
    executablePath: "/usr/lib/chromium/chromium",
    args: ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", `--use-file-for-fake-video-capture=${video}`, ...FLAGS],
  });
  try {
    const context = await camera.newContext({ viewport: { width: 390, height: 844 }, storageState });
    const page = await context.newPage();
    await page.addInitScript((names) => {
      window.__cards = {};
      new MutationObserver(() => {
        for (const card of document.querySelectorAll('[data-outcome="checked_in"]')) {
          for (const element of card.querySelectorAll("*")) {
            const text = element.textContent?.trim();
            if (text && names.includes(text) && window.__cards[text] === undefined) window.__cards[text] = performance.now();
          }
        }
      }).observe(document, { childList: true, subtree: true, characterData: true });
    }, cameraScans.map((scan) => scan.name));
    await page.goto(`${BASE_URL}/door/${EVENT_SLUG}`);
    await page.getByRole("button", { name: "Start camera" }).click();
    await page.locator("video").waitFor();
    await page.evaluate((marker) => {
      window.__shown = [];
      const video = document.querySelector("video");
      const canvas = document.createElement("canvas");
      canvas.width = marker;
      canvas.height = marker;
      const context = canvas.getContext("2d", { willReadFrequently: true });
      let black = false;
      const onFrame = (_, metadata) => {
        context.drawImage(video, 0, 0, marker / 2, marker / 2, 0, 0, marker, marker);
        const luma = context.getImageData(marker / 2, marker / 2, 1, 1).data[0];
        if (luma < 100 && !black) window.__shown.push(metadata.presentationTime);
        black = luma < 100;
        video.requestVideoFrameCallback(onFrame);
      };
      video.requestVideoFrameCallback(onFrame);
    }, MARKER);
    // Two passes of the video (it loops): a code the door missed the first time comes round again.
    const videoMs = cameraScans.length * 1500;
    await page
      .waitForFunction((count) => Object.keys(window.__cards).length >= count, cameraScans.length, { timeout: 2 * videoMs + 10_000 })
      .catch(() => undefined); // the codes never read are reported, not fatal
    const { shown, cards } = await page.evaluate(() => ({ shown: window.__shown, cards: window.__cards }));
    // Pair each card with the last marker (a code coming into view) before it.
    const latencies = Object.values(cards).flatMap((at) => {
      const before = shown.filter((time) => time <= at);
      return before.length > 0 ? [at - before[before.length - 1]] : [];
    });
    return { latencies, codesShown: shown.length };
  } finally {
    await camera.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

try {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const selfCheckInScripts = await firstPaintScripts(context, {
    dist,
    baseUrl: BASE_URL,
    route: `/e/${EVENT_SLUG}`,
    readySelector: "form button[type=submit]",
    routeModules: ["src/attendee/SelfCheckIn.tsx"],
  });

  const page = await context.newPage();
  await page.goto(`${BASE_URL}/sign-in`);
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Staff console" }).waitFor();
  const doorScripts = await firstPaintScripts(context, {
    dist,
    baseUrl: BASE_URL,
    route: `/door/${EVENT_SLUG}`,
    readySelector: "#door-code",
    routeModules: ["src/door/Door.tsx"],
  });

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

  const camera = await cameraScanMs(await context.storageState());

  process.stdout.write(
    `${JSON.stringify({ self_check_in_scripts: selfCheckInScripts, door_scripts: doorScripts, scan_ms: scanMs, camera_scan_ms: camera.latencies, camera_codes_shown: camera.codesShown, lookup_ms: lookupMs })}\n`,
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
