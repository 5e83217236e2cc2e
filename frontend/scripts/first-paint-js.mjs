// Which JavaScript a route needs before its first screen is painted, gzipped: the scripts whose
// download ended before the screen's main control appeared. Chunks a screen loads after it
// painted (the phone library, the code boxes) are listed apart.
// Usage: BASE_URL=… ROUTE=/e/slug READY_SELECTOR='form button[type=submit]' node scripts/first-paint-js.mjs
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const { BASE_URL, ROUTE, READY_SELECTOR } = process.env;

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
  await page.waitForLoadState("networkidle");
  const timing = await page.evaluate(() => ({
    ready: window.__hmReady,
    fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null,
    resources: performance
      .getEntriesByType("resource")
      .map((entry) => ({ url: entry.name, type: entry.initiatorType, end: entry.responseEnd })),
  }));
  const gzipped = (url) => gzipSync(readFileSync(join(dist, new URL(url).pathname))).length;
  const scripts = timing.resources.filter((r) => new URL(r.url).pathname.startsWith("/assets/") && r.url.endsWith(".js"));
  const before = scripts.filter((r) => r.end <= timing.ready).map((r) => ({ file: new URL(r.url).pathname, gz: gzipped(r.url) }));
  const after = scripts.filter((r) => r.end > timing.ready).map((r) => ({ file: new URL(r.url).pathname, gz: gzipped(r.url) }));
  const css = timing.resources.filter((r) => r.url.endsWith(".css")).reduce((sum, r) => sum + gzipped(r.url), 0);
  process.stdout.write(
    `${JSON.stringify({
      route: ROUTE,
      ready_ms: Math.round(timing.ready),
      first_contentful_paint_ms: timing.fcp === null ? null : Math.round(timing.fcp),
      js_before_ready_gz: before.reduce((sum, s) => sum + s.gz, 0),
      css_gz: css,
      js_after_ready_gz: after.reduce((sum, s) => sum + s.gz, 0),
      before,
      after,
    })}\n`,
  );
} finally {
  await browser.close();
}
