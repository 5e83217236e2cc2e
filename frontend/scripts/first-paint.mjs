// The JavaScript a route needs before its first paint, counted without racing the network.
//
// Timing the downloads that ended before the route's main control appeared is a race: a chunk the
// route imports lazily right after it mounts (the phone library) is counted or not depending on
// how long the route's first Supabase round trips took. So the count comes from Vite's build
// manifest instead: the entry's static import graph plus the route module's. Chromium then proves
// that graph is enough — the route is loaded with every other script held back, and its main
// control must still appear. The scripts it asked for and did not get load after paint; they are
// listed apart. Used by scripts/first-paint-js.mjs (bench/web_first_paint.py) and
// bench/door_browser.mjs (bench/door.py).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const HOLD_TIMEOUT_MS = 15_000;

/** The files `keys` load before running: themselves and their static imports, transitively. */
function staticClosure(manifest, keys) {
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    const chunk = manifest[key];
    if (chunk === undefined) throw new Error(`${key} is not in the build manifest`);
    seen.add(key);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  keys.forEach(visit);
  return [...seen].map((key) => manifest[key]);
}

function gzipped(dist, file) {
  return gzipSync(readFileSync(join(dist, file))).length;
}

/**
 * Load `route` in a new page of `context` allowing only the scripts of the entry's and
 * `routeModules`' static graphs (source paths as in the manifest, e.g. "src/door/Door.tsx"),
 * wait for `readySelector`, and size what was needed (gzipped, from `dist`).
 */
export async function firstPaintScripts(context, { dist, baseUrl, route, readySelector, routeModules }) {
  const manifest = JSON.parse(readFileSync(join(dist, ".vite", "manifest.json"), "utf8"));
  const needed = staticClosure(manifest, ["index.html", ...routeModules]);
  const allowed = new Set(needed.map((chunk) => `/${chunk.file}`));
  const held = [];
  const page = await context.newPage();
  await page.route(
    (url) => url.pathname.startsWith("/assets/") && url.pathname.endsWith(".js"),
    async (request) => {
      const path = new URL(request.request().url()).pathname;
      if (allowed.has(path)) await request.continue();
      else held.push(path); // never answered: this page paints without it or not at all
    },
  );
  try {
    await page.goto(`${baseUrl}${route}`);
    await page.locator(readySelector).first().waitFor({ timeout: HOLD_TIMEOUT_MS });
  } catch (error) {
    throw new Error(
      `${route} did not paint "${readySelector}" with only its static import graph; it also asked for ${held.join(", ") || "nothing else"}`,
      { cause: error },
    );
  } finally {
    await page.close();
  }
  const sized = (files) => files.map((file) => ({ file, gz: gzipped(dist, file) }));
  const before = sized(needed.map((chunk) => chunk.file));
  const css = [...new Set(needed.flatMap((chunk) => chunk.css ?? []))];
  return {
    route,
    js_before_ready_gz: before.reduce((sum, script) => sum + script.gz, 0),
    css_gz: sized(css).reduce((sum, sheet) => sum + sheet.gz, 0),
    before,
    after: sized([...new Set(held)].map((path) => path.slice(1))),
  };
}
