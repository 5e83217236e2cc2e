// Operations as an admin lives them: sign in → Health shows a worker alive with what it reported →
// the worker dies (pytest stops its heartbeat without a clean exit) → the health page marks it
// stale and names the problem, and the banner appears on another admin screen; the page in
// Spanish. axe on every state.
import { BASE_URL, ask, checkState, closeInput, emit, launch } from "./browser.mjs";

const { ADMIN_EMAIL, ADMIN_PASSWORD, WORKER_ID } = process.env;

/** The one sign-in call: after the MFA branch this becomes the TOTP sign-in helper. */
async function signInAsAdmin(page, next) {
  await page.goto(`${BASE_URL}/sign-in?next=${next}`);
  await page.getByLabel("Email").fill(ADMIN_EMAIL);
  await page.getByLabel("Password").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
}

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
  const admin = await context.newPage();
  admin.on("pageerror", (error) => emit({ page_error: String(error) }));

  await ask({ need_code: "start-worker" });
  await signInAsAdmin(admin, "/admin/health");
  await admin.getByRole("heading", { name: "System health" }).waitFor();
  const processes = admin.getByRole("table", { name: "Processes" });
  const worker = processes.getByRole("row", { name: new RegExp(WORKER_ID) });
  await worker.getByRole("cell", { name: "alive", exact: true }).waitFor();
  const cells = await worker.getByRole("cell").allInnerTexts();
  emit({ worker_alive: cells });
  await checkState(admin, "health");

  await ask({ need_code: "kill-worker" });
  // Stale after three missed 1 s beats; the page polls every 5 s.
  await worker.getByRole("cell", { name: "stale", exact: true }).waitFor({ timeout: 20_000 });
  const attention = admin.getByRole("region", { name: "Needs attention" });
  await attention.getByText(`${WORKER_ID} has stopped reporting`).waitFor();
  await checkState(admin, "health-stale");

  await admin.getByRole("navigation", { name: "Staff navigation" }).getByRole("link", { name: "Webhooks" }).click();
  await admin.getByRole("heading", { name: "Webhooks" }).waitFor();
  const banner = admin.getByRole("complementary", { name: "System health" });
  await banner.getByText(/System health needs attention/).waitFor();
  await checkState(admin, "banner");
  await banner.getByRole("link", { name: "Open the health page" }).click();
  await admin.getByRole("heading", { name: "System health" }).waitFor();

  await admin.getByRole("button", { name: "Español" }).click();
  await admin.getByRole("heading", { name: "Estado del sistema" }).waitFor();
  await admin.getByRole("table", { name: "Procesos" }).getByRole("cell", { name: "sin señal" }).first().waitFor();
  await checkState(admin, "health-es");
  emit({ result: { worker: WORKER_ID } });
} finally {
  closeInput();
  await browser.close();
}
