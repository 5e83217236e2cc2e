// Shared by the e2e scripts: Debian's Chromium through playwright-core (no browser download),
// axe (WCAG 2.2 AA) on every screen state, screenshots for a person to look at, and the
// line protocol with pytest (JSON lines out, answers such as SMS codes in).
import { createRequire } from "node:module";
import { join } from "node:path";
import { createInterface } from "node:readline";

const require = createRequire(join(process.env.FRONTEND, "package.json"));
const { chromium } = require("playwright-core");
const { AxeBuilder } = require("@axe-core/playwright");
const OTPAuth = require("otpauth");

export const BASE_URL = process.env.BASE_URL;

// What the pages did lately, for the failure report below: a script that times out waiting for
// something on screen says nothing about why, and a CI failure cannot be re-run with a debugger.
const NETWORK_HISTORY = 40;
const recent = [];
const inFlight = new Map();

function remember(line) {
  recent.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
  if (recent.length > NETWORK_HISTORY) recent.shift();
}

function shortUrl(url) {
  const { pathname, search } = new URL(url);
  return `${pathname}${search}`.slice(0, 160);
}

/** Record every context's requests (not the app's own assets) and console errors. */
function watch(context) {
  const watched = (request) => !request.url().includes("/assets/") && !request.url().startsWith("data:");
  context.on("request", (request) => {
    if (watched(request)) inFlight.set(request, Date.now());
  });
  context.on("requestfinished", async (request) => {
    if (!inFlight.delete(request)) return;
    const response = await request.response().catch(() => null);
    remember(`${response?.status() ?? "?"} ${request.method()} ${shortUrl(request.url())}`);
  });
  context.on("requestfailed", (request) => {
    if (!inFlight.delete(request)) return;
    remember(`failed (${request.failure()?.errorText}) ${request.method()} ${shortUrl(request.url())}`);
  });
  context.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") remember(`console.${message.type()}: ${message.text()}`);
  });
  context.on("weberror", (error) => { remember(`page error: ${error.error()}`); });
}

process.on("exit", (code) => {
  if (code === 0) return;
  const now = Date.now();
  const pending = [...inFlight].map(([request, since]) => `${now - since} ms ${request.method()} ${shortUrl(request.url())}`);
  // Pipes are written synchronously on Linux: this reaches pytest before the process ends.
  process.stderr.write(`\nrequests still waiting for an answer:\n${pending.join("\n") || "(none)"}\n`);
  process.stderr.write(`last ${NETWORK_HISTORY} requests and console errors:\n${recent.join("\n")}\n`);
});

/** Chromium; `extraArgs` adds flags (e.g. a fake camera playing a Y4M file). Every context it
 * opens is watched for the failure report. */
export async function launch(extraArgs = []) {
  const browser = await chromium.launch({
    executablePath: "/usr/lib/chromium/chromium",
    args: [
      ...extraArgs,
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    watch(context);
    return context;
  };
  return browser;
}

// Chromium's own URLs (its PDF viewer, which a previewed PDF opens) are not the network.
const BROWSER_OWN = new Set(["data:", "blob:", "chrome:", "chrome-extension:"]);

/** A page in a new context (`options` as for browser.newContext) that fails the run on any
 * request leaving 127.0.0.1 (no CDN, ever): the caller throws when `outside` is not empty. */
export async function guardedPage(browser, options) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const outside = [];
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname !== "127.0.0.1" && !BROWSER_OWN.has(url.protocol)) {
      outside.push(url.href);
      return route.abort();
    }
    return route.continue();
  });
  page.on("pageerror", (error) => emit({ page_error: String(error) }));
  return { context, page, outside };
}

/** A phone-sized guarded page. */
export async function phonePage(browser, locale = "en-US") {
  return guardedPage(browser, { viewport: { width: 390, height: 844 }, locale, isMobile: true });
}

export function emit(message) {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

const input = createInterface({ input: process.stdin });
const answers = input[Symbol.asyncIterator]();

/** Ask pytest for something only the outside world knows (the code texted to a phone). */
export async function ask(message) {
  emit(message);
  const { value, done } = await answers.next();
  if (done) throw new Error(`no answer to ${JSON.stringify(message)}`);
  return value.trim();
}

export function closeInput() {
  input.close();
}

let shotNumber = 0;

/** Screenshot the state and fail on any axe violation (WCAG 2.0–2.2 A/AA + best practices).
 * `exclude`: selectors axe leaves out — a fully sandboxed frame (no scripts) cannot run axe, and
 * descending into one can hang the analysis. */
export async function checkState(page, name, { exclude = [] } = {}) {
  shotNumber += 1;
  await page.screenshot({ path: join(process.env.SCREENSHOTS, `${String(shotNumber).padStart(2, "0")}-${name}.png`), fullPage: true });
  const builder = new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"])
    // Only violations fail a state; axe then skips building the (much longer) list of passes.
    .options({ resultTypes: ["violations"] });
  // AxeBuilder's default merges each frame's results in a new blank tab: a renderer started per
  // check, about two thirds of its time. A page without frames has nothing to merge, so it runs
  // axe in place; a page with a frame (the sandboxed email preview, an opaque origin that legacy
  // mode would leave unchecked) keeps the default.
  if (page.frames().length === 1) builder.setLegacyMode();
  for (const selector of exclude) builder.exclude(selector);
  const results = await builder.analyze();
  if (results.violations.length > 0) {
    const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
    throw new Error(`axe found violations on "${name}":\n${summary.join("\n")}`);
  }
  emit({ state: name, axe_violations: 0 });
}

/** The code an authenticator app shows now for a TOTP secret (base32), computed with otpauth. */
export function totpCode(secret) {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate();
}

/**
 * Staff sign-in as a person does it, in English: email and password on /sign-in, then, for
 * someone with a second factor (admins and owners from pytest's `make_staff`), the code from
 * their authenticator on the two-factor screen. Resolves once the app has left both screens.
 * `login` is { email, password, totpSecret } — e.g. from the env `make_staff(...).browser_env`
 * sets: signInAsStaff(page, staffLogin("OWNER"), "/admin/staff").
 */
export async function signInAsStaff(page, login, next = "/staff") {
  await page.goto(`${BASE_URL}/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel("Email").fill(login.email);
  await page.getByLabel("Password").fill(login.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  if (login.totpSecret) {
    await page.getByLabel("6-digit code").fill(totpCode(login.totpSecret));
    await page.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL((url) => !["/sign-in", "/two-factor"].includes(url.pathname));
  } else {
    // Without a factor an admin page sends them on to enrol at /two-factor.
    await page.waitForURL((url) => url.pathname !== "/sign-in");
  }
}

/** { email, password, totpSecret } from the env vars StaffLogin.browser_env(prefix) set. */
export function staffLogin(prefix) {
  return {
    email: process.env[`${prefix}_EMAIL`],
    password: process.env[`${prefix}_PASSWORD`],
    totpSecret: process.env[`${prefix}_TOTP_SECRET`] || null,
  };
}
