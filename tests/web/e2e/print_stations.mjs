// Print stations as an admin lives them, in one pass: sign in with two-factor → Print stations →
// register a station and read its one-time pairing code (and QR) → pytest runs `hm pi pair CODE`
// and starts the paired agent → assign the station to an event and send a test print (from the
// row's actions menu) while the agent starts → the real cupsd prints it (pytest reads the PDF) and
// the row shows it printed and the station online → pytest stops the agent and ages its last
// heartbeat → offline → at phone width, the actions menu disables it. axe on each distinct screen
// state. Pairing rules, disabling and health ageing are pgTAP's (820, 890, 891, 892).
import { ask, checkState, closeInput, emit, guardedPage, launch, signInAsStaff, staffLogin } from "./browser.mjs";

const { STATION_NAME, CUPS_QUEUE, EVENT_NAME } = process.env;
const started = Date.now();
const step = (name) => emit({ step: name, ms: Date.now() - started });

const browser = await launch();
try {
  const { page: admin, outside } = await guardedPage(browser, { viewport: { width: 1280, height: 800 }, locale: "en-US" });

  await signInAsStaff(admin, staffLogin("ADMIN"), "/admin/stations");
  await admin.getByRole("heading", { name: "Print stations", level: 1 }).waitFor();
  step("signed-in");
  const register = admin.getByRole("region", { name: "Register a station" });
  await register.getByRole("button", { name: "Register and show the pairing code" }).click();
  await register.getByText("Give the station a name.").waitFor();
  await checkState(admin, "register-invalid");

  await register.getByLabel("Station name").fill(STATION_NAME);
  await register.getByLabel("CUPS queue on the Pi (optional)").fill(CUPS_QUEUE);
  await register.getByRole("button", { name: "Register and show the pairing code" }).click();
  const codePanel = admin.getByRole("region", { name: `Pairing code for ${STATION_NAME}` });
  await codePanel.getByRole("img", { name: "QR code of the pairing code" }).waitFor();
  const code = (await codePanel.getByTestId("pairing-code").innerText()).trim();
  await admin.getByRole("table", { name: "Waiting for pairing" }).getByRole("row", { name: new RegExp(STATION_NAME) }).waitFor();
  await checkState(admin, "pairing-code");

  step("pairing");
  await ask({ need_code: `pair ${code}` });
  step("paired");
  await codePanel.getByRole("button", { name: "Done, hide the code" }).click();
  const row = admin.getByRole("table", { name: "Stations" }).getByRole("row", { name: new RegExp(STATION_NAME) });
  await row.getByLabel(`Add an event to ${STATION_NAME}`).selectOption({ label: EVENT_NAME });
  await admin.getByText(`${STATION_NAME} now prints for ${EVENT_NAME}.`).waitFor();
  await row.getByRole("button", { name: `Remove ${EVENT_NAME} from ${STATION_NAME}` }).waitFor();

  // The agent is still starting: the job waits in the queue for its first claim.
  const actions = row.getByRole("button", { name: `Actions for ${STATION_NAME}` });
  await actions.click();
  await admin.getByRole("menuitem", { name: "Send a test print" }).click();
  await admin.getByText(`Test print sent to ${STATION_NAME}.`).waitFor();
  await row.locator('[data-column="printed"]', { hasText: "1" }).waitFor({ timeout: 20_000 });
  await row.locator('[data-column="status"]', { hasText: "online" }).waitFor();
  step("printed");
  emit({ printed_row: await row.getByRole("cell").allInnerTexts() });
  await checkState(admin, "test-printed");

  await ask({ need_code: "stop-agent" });
  await row.locator('[data-column="status"]', { hasText: "offline" }).waitFor({ timeout: 15_000 });
  step("offline");

  await admin.setViewportSize({ width: 360, height: 740 });
  await actions.click();
  const disable = admin.getByRole("menuitem", { name: "Disable" });
  await disable.waitFor();
  const sideways = await admin.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (sideways > 0) throw new Error(`the page scrolls sideways by ${sideways} px at 360 px`);
  await checkState(admin, "actions-menu-phone");
  // The full-page screenshot scrolls the page; the open menu is fixed to its trigger, so with
  // more stations above this one (the shared stack's) it would sit below the screen.
  await actions.scrollIntoViewIfNeeded();
  await disable.click();
  await row.locator('[data-column="status"]', { hasText: "disabled" }).waitFor();
  await actions.click();
  await admin.getByRole("menuitem", { name: "Enable" }).waitFor();
  await admin.keyboard.press("Escape");
  step("disabled");
  if (outside.length > 0) throw new Error(`requests left the machine: ${outside.join(", ")}`);
  emit({ result: { code } });
} finally {
  closeInput();
  await browser.close();
}
