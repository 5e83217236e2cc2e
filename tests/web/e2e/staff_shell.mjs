// The staff shell: a protected page sends a signed-out person to sign in and back, a wrong
// password is answered in words, the navigation follows the role from my_staff_level, the
// shell speaks Spanish, a signed-in non-staff account sees "Staff only", sign-out works.
// Then an organizer on a 360 px phone: the navigation is one menu per group, opened and used
// with the keyboard alone, the current page announced; on a desk the same groups as a sidebar.
import { BASE_URL, checkState, closeInput, emit, launch, phonePage, signInAsStaff, staffLogin } from "./browser.mjs";

const { STAFF_EMAIL, STAFF_PASSWORD, OUTSIDER_EMAIL, OUTSIDER_PASSWORD } = process.env;

async function signIn(page, email, password) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

const browser = await launch();
try {
  const { context, page, outside } = await phonePage(browser);
  await context.setDefaultTimeout(30_000);
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto(`${BASE_URL}/staff`);
  await page.getByRole("heading", { name: "Staff sign-in" }).waitFor();
  const redirectedTo = new URL(page.url());
  await checkState(page, "sign-in");

  await signIn(page, STAFF_EMAIL, "not-the-password");
  await page.getByRole("alert").getByText("The email or password is wrong.").waitFor();
  await checkState(page, "sign-in-wrong-password");

  await page.getByLabel("Password").fill(STAFF_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Staff console" }).waitFor();
  await page.getByText("Your role: Volunteer").waitFor();
  const navigation = await page.getByRole("navigation", { name: "Staff navigation" }).getByRole("link").allTextContents();
  await checkState(page, "console");

  await page.getByRole("button", { name: "Español" }).click();
  await page.getByRole("heading", { name: "Consola del equipo" }).waitFor();
  await page.getByText("Tu rol: Voluntario").waitFor();
  await checkState(page, "console-spanish");
  await page.getByRole("button", { name: "English" }).click();

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Welcome to Hello Miami" }).waitFor();
  await page.goto(`${BASE_URL}/staff`);
  await page.getByRole("heading", { name: "Staff sign-in" }).waitFor();
  await signIn(page, OUTSIDER_EMAIL, OUTSIDER_PASSWORD);
  await page.getByRole("heading", { name: "Staff only" }).waitFor();
  await checkState(page, "not-staff");

  await page.goto(`${BASE_URL}/no-such-page`);
  await page.getByRole("heading", { name: "Page not found" }).waitFor();
  await checkState(page, "not-found");

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Welcome to Hello Miami" }).waitFor();
  await page.setViewportSize({ width: 360, height: 740 });
  await signInAsStaff(page, staffLogin("ORGANIZER"), "/staff");
  await page.getByRole("heading", { name: "Staff console" }).waitFor();
  const menus = page.getByRole("navigation", { name: "Staff navigation" });
  await menus.getByRole("button", { name: "People" }).waitFor();
  const groups = (await menus.getByRole("button").allTextContents()).map((text) => text.replace("▾", "").trim());
  const overflows = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  await checkState(page, "phone-console");

  // Keyboard only: focus the group, Enter opens it, the arrow reaches its first link, Enter goes.
  const people = menus.getByRole("button", { name: "People" });
  await people.focus();
  await page.keyboard.press("Enter");
  await menus.getByRole("link", { name: "Contacts" }).waitFor();
  const expanded = await people.getAttribute("aria-expanded");
  await checkState(page, "phone-menu-open");
  await page.keyboard.press("ArrowDown");
  const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Contacts", level: 1 }).waitFor();
  await page.waitForURL((url) => url.pathname === "/crm/contacts");
  await people.press("Enter");
  const current = await menus.getByRole("link", { name: "Contacts" }).getAttribute("aria-current");
  await page.keyboard.press("Escape");
  await menus.getByRole("link", { name: "Contacts" }).waitFor({ state: "hidden" });

  await page.setViewportSize({ width: 1280, height: 800 });
  const sidebar = page.getByRole("navigation", { name: "Staff navigation" });
  await sidebar.getByRole("link", { name: "Contacts" }).waitFor();
  const sidebarLinks = await sidebar.getByRole("link").allTextContents();
  await checkState(page, "desk-sidebar");

  if (outside.length > 0) throw new Error(`requests left the machine: ${outside.join(", ")}`);
  emit({
    result: {
      redirected_to: redirectedTo.pathname + redirectedTo.search,
      navigation,
      phone: { groups, overflows, expanded, focused, current },
      sidebar: sidebarLinks,
    },
  });
} finally {
  closeInput();
  await browser.close();
}
