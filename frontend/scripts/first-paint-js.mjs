// Which JavaScript a route needs before its first screen is painted, gzipped (its static import
// graph, proven sufficient in Chromium: see first-paint.mjs), and how long that screen takes to
// appear in a cold load with nothing held back.
// Usage: BASE_URL=… ROUTE=/e/slug ROUTE_MODULE=src/attendee/SelfCheckIn.tsx \
//        READY_SELECTOR='form button[type=submit]' node scripts/first-paint-js.mjs
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { firstPaintScripts } from "./first-paint.mjs";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const { BASE_URL, ROUTE, ROUTE_MODULE, READY_SELECTOR } = process.env;

const browser = await chromium.launch({
  executablePath: "/usr/lib/chromium/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"],
});
try {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.addInitScript((selector) => {
    new MutationObserver((_, observer) => {
      if (document.querySelector(selector)) {
        window.__hmReady = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  }, READY_SELECTOR);
  await page.goto(`${BASE_URL}${ROUTE}`);
  await page.waitForFunction(() => window.__hmReady !== undefined);
  const timing = await page.evaluate(() => ({
    ready: window.__hmReady,
    fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null,
  }));
  await page.close();
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const scripts = await firstPaintScripts(context, {
    dist,
    baseUrl: BASE_URL,
    route: ROUTE,
    readySelector: READY_SELECTOR,
    routeModules: [ROUTE_MODULE],
  });
  process.stdout.write(
    `${JSON.stringify({
      ...scripts,
      ready_ms: Math.round(timing.ready),
      first_contentful_paint_ms: timing.fcp === null ? null : Math.round(timing.fcp),
      js_after_ready_gz: scripts.after.reduce((sum, script) => sum + script.gz, 0),
    })}\n`,
  );
} finally {
  await browser.close();
}
