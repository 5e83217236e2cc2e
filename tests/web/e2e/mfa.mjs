// Two-factor sign-in as staff live it: an admin without a second factor opens an admin page and
// is sent to enrol (QR code from Auth, a wrong code refused, the right one computed here with
// otpauth from the key shown on screen) → lands on the admin page; signs out and back in,
// answering the challenge (also shown in Spanish); turns two-factor off and on again; then an
// owner resets the admin's two-factor from the staff page. axe on every state.
import { BASE_URL, checkState, closeInput, emit, guardedPage, launch, signInAsStaff, staffLogin, totpCode } from "./browser.mjs";

const admin = staffLogin("ADMIN");

// Requests that tried to leave the machine, one list per page opened.
const outsideRequests = [];

async function desktopPage(browser) {
  const { page, outside } = await guardedPage(browser, { viewport: { width: 1280, height: 900 }, locale: "en-US" });
  outsideRequests.push(outside);
  return page;
}

/** On the enrol screen: show the QR code, refuse a wrong code once if asked, enrol. */
async function enrol(page, { tryWrongCode }) {
  await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  await page.getByRole("img", { name: "QR code to scan with your authenticator app" }).waitFor();
  const secret = (await page.locator("code").textContent()).trim();
  if (tryWrongCode) {
    await checkState(page, "enrol-scan");
    const right = totpCode(secret);
    await page.getByLabel("6-digit code").fill(`${(Number(right[0]) + 5) % 10}${right.slice(1)}`);
    await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
    await page.getByText("That code is wrong.", { exact: false }).waitFor();
    await checkState(page, "enrol-wrong-code");
  }
  await page.getByLabel("6-digit code").fill(totpCode(secret));
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  return secret;
}

const browser = await launch();
try {
  const page = await desktopPage(browser);
  await signInAsStaff(page, admin, "/admin/staff");
  await page.waitForURL((url) => url.pathname === "/two-factor");
  await page.getByText("Admins and owners need two-factor sign-in to use admin screens.").waitFor();
  await checkState(page, "enrol-required");
  const secret = await enrol(page, { tryWrongCode: true });
  await page.getByRole("heading", { name: "Staff", exact: true }).waitFor();
  await checkState(page, "admin-page-after-enrolling");

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL((url) => url.pathname === "/");
  await page.goto(`${BASE_URL}/sign-in?next=/admin/staff`);
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("6-digit code").waitFor();
  await checkState(page, "challenge");
  await page.getByRole("button", { name: "Español" }).click();
  await page.getByLabel("Código de 6 dígitos").fill(totpCode(secret));
  await checkState(page, "challenge-es");
  await page.getByRole("button", { name: "Verificar" }).click();
  await page.getByRole("heading", { name: "Equipo", exact: true }).waitFor();
  await page.getByRole("button", { name: "English" }).click();

  await page.goto(`${BASE_URL}/two-factor`);
  await page.getByText("Two-factor sign-in is on for this account.").waitFor();
  await checkState(page, "two-factor-on");
  await page.getByRole("button", { name: "Turn off two-factor sign-in" }).click();
  await page.getByRole("button", { name: "Set up two-factor sign-in" }).waitFor();
  await enrol(page, { tryWrongCode: false });
  await page.waitForURL((url) => url.pathname === "/staff");

  const owner = await desktopPage(browser);
  await signInAsStaff(owner, staffLogin("OWNER"), "/admin/staff");
  const row = owner.getByRole("table", { name: "Staff members" }).getByRole("row", { name: new RegExp(admin.email) });
  await row.getByRole("button", { name: "Reset two-factor" }).click();
  await owner.getByText(`${admin.email} sets up two-factor sign-in again at their next admin page.`).waitFor();
  await checkState(owner, "owner-reset-two-factor");
  const outside = outsideRequests.flat();
  if (outside.length > 0) throw new Error(`requests left the machine: ${outside.join(", ")}`);
  emit({ result: { admin: admin.email } });
} finally {
  closeInput();
  await browser.close();
}
