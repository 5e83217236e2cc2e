// Print stations as an admin lives them: sign in with two-factor → Print stations → register a
// station and read its one-time pairing code (and QR) → pytest runs `hm pi pair CODE` and starts
// the paired agent → the station shows online → assign it to an event → test print, which the
// real cupsd prints (pytest reads the PDF) and the row counts → pytest stops the agent → the
// station shows offline → disable it. axe on every state.
import { ask, checkState, closeInput, emit, launch, signInAsStaff, staffLogin } from "./browser.mjs";

const { STATION_NAME, CUPS_QUEUE, EVENT_NAME } = process.env;

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: "en-US" });
  const admin = await context.newPage();
  admin.on("pageerror", (error) => emit({ page_error: String(error) }));

  await signInAsStaff(admin, staffLogin("ADMIN"), "/admin/stations");
  await admin.getByRole("heading", { name: "Print stations", level: 1 }).waitFor();
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

  await ask({ need_code: `pair ${code}` });
  await codePanel.getByRole("button", { name: "Done, hide the code" }).click();
  const stations = admin.getByRole("table", { name: "Stations" });
  const row = stations.getByRole("row", { name: new RegExp(STATION_NAME) });
  await row.getByRole("cell", { name: "online", exact: true }).waitFor({ timeout: 15_000 });
  await checkState(admin, "online");

  await row.getByLabel(`Add an event to ${STATION_NAME}`).selectOption({ label: EVENT_NAME });
  await admin.getByText(`${STATION_NAME} now prints for ${EVENT_NAME}.`).waitFor();
  await row.getByRole("button", { name: `Remove ${EVENT_NAME} from ${STATION_NAME}` }).waitFor();

  await row.getByRole("button", { name: `Send a test print to ${STATION_NAME}` }).click();
  await admin.getByText(`Test print sent to ${STATION_NAME}.`).waitFor();
  await row.locator('[data-column="printed"]', { hasText: "1" }).waitFor({ timeout: 15_000 });
  emit({ printed_row: await row.getByRole("cell").allInnerTexts() });
  await checkState(admin, "test-printed");

  await ask({ need_code: "stop-agent" });
  await row.getByRole("cell", { name: "offline", exact: true }).waitFor({ timeout: 15_000 });
  await checkState(admin, "offline");

  await row.getByRole("button", { name: `Disable ${STATION_NAME}` }).click();
  await row.getByRole("cell", { name: "disabled", exact: true }).waitFor();
  await row.getByRole("button", { name: `Enable ${STATION_NAME}` }).waitFor();
  await checkState(admin, "disabled");
  emit({ result: { code } });
} finally {
  closeInput();
  await browser.close();
}
