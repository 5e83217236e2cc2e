// Operations as an admin lives them: sign in → Health shows a worker alive with what it reported →
// the worker dies (pytest stops its heartbeat without a clean exit) → the health page marks it
// stale and names the problem, and the banner appears on another admin screen; then Senders: a
// Messaging Service with a malformed SID is refused, the corrected one added, and a webhook URL
// copied for pasting into Twilio; the dashboard's numbers (checked against the database by pytest);
// the health page in Spanish. axe on every state.
import { BASE_URL, ask, checkState, closeInput, emit, guardedPage, launch, signInAsStaff, staffLogin } from "./browser.mjs";

const { WORKER_ID, SENDER_NAME, SENDER_SID, WEBHOOK_PUBLIC_URL, EVENT_NAME } = process.env;

const browser = await launch();
try {
  const { context, page: admin, outside } = await guardedPage(browser, { viewport: { width: 1280, height: 900 }, locale: "en-US" });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: BASE_URL });

  await ask({ need_code: "start-worker" });
  await signInAsStaff(admin, staffLogin("ADMIN"), "/admin/health");
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

  await admin.getByRole("navigation", { name: "Staff navigation" }).getByRole("link", { name: "Senders" }).click();
  const add = admin.getByRole("region", { name: "Add a sender" });
  await add.getByLabel("Kind").selectOption("twilio_service");
  await add.getByLabel("Name", { exact: true }).fill(SENDER_NAME);
  await add.getByLabel("Messaging Service SID").fill("MG123");
  await add.getByLabel("Daily cap (optional)").fill("500");
  await add.getByRole("button", { name: "Add sender" }).click();
  await admin.getByText("Something in the form isn't valid. Please check it and try again.").waitFor();
  await checkState(admin, "sender-invalid");
  await add.getByLabel("Messaging Service SID").fill(SENDER_SID);
  await add.getByRole("button", { name: "Add sender" }).click();
  await admin.getByText(`${SENDER_NAME} added.`).waitFor();
  await admin.getByRole("region", { name: SENDER_NAME }).getByText(SENDER_SID).waitFor();
  const urls = admin.getByRole("region", { name: "Webhook URLs" });
  await urls.getByRole("button", { name: /Copy the URL for Twilio: "A message comes in"/ }).click();
  await admin.getByText("URL copied.").waitFor();
  const copied = await admin.evaluate(() => navigator.clipboard.readText());
  if (copied !== `${WEBHOOK_PUBLIC_URL}/twilio/inbound`) throw new Error(`copied ${copied}`);
  await checkState(admin, "senders-added");

  // The dashboard: pytest compares every number read here with the database's views.
  await admin.getByRole("navigation", { name: "Staff navigation" }).getByRole("link", { name: "Dashboard" }).click();
  const kpis = admin.getByRole("region", { name: "Key numbers" });
  await kpis.getByText("Contacts", { exact: true }).waitFor();
  const checkIns = admin.getByRole("table", { name: "Check-ins per event" });
  await checkIns.getByRole("rowheader", { name: EVENT_NAME }).waitFor();
  emit({
    kpis: await kpis.locator("dl > div").evaluateAll((items) => items.map((item) => [item.querySelector("dt").textContent, item.querySelector("dd").textContent])),
    check_ins: await checkIns.locator("tbody tr").evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent))),
    consent: await admin
      .getByRole("table", { name: "Consent growth" })
      .locator("tbody tr")
      .evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent))),
  });
  await checkState(admin, "dashboard");

  await banner.getByRole("link", { name: "Open the health page" }).click();
  await admin.getByRole("heading", { name: "System health" }).waitFor();

  await admin.getByRole("button", { name: "Español" }).click();
  await admin.getByRole("heading", { name: "Estado del sistema" }).waitFor();
  await admin.getByRole("table", { name: "Procesos" }).getByRole("cell", { name: "sin señal" }).first().waitFor();
  await checkState(admin, "health-es");
  if (outside.length > 0) throw new Error(`requests left the machine: ${outside.join(", ")}`);
  emit({ result: { worker: WORKER_ID } });
} finally {
  closeInput();
  await browser.close();
}
