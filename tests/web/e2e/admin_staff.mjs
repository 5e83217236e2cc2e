// Staff management as an owner lives it: sign in → Staff → invite an organizer by email → the
// invitee opens the emailed link (pytest reads it from the MailerSend simulator), chooses a
// password and lands in the console as an organizer → the owner's screen shows the acceptance
// live → the owner changes the new member's level and disables them, then a sender's daily cap,
// replays a failed webhook and finds the replay in the audit log. axe on every state.
import { BASE_URL, ask, checkState, closeInput, emit, guardedPage, launch, signInAsStaff, staffLogin } from "./browser.mjs";

const { OWNER_EMAIL, INVITEE_EMAIL, INVITEE_PASSWORD, SENDER_NAME, FAILED_WEBHOOK_ERROR } = process.env;

// Requests that tried to leave the machine, one list per page opened.
const outsideRequests = [];

async function desktopPage(browser) {
  const { page, outside } = await guardedPage(browser, { viewport: { width: 1280, height: 900 }, locale: "en-US" });
  outsideRequests.push(outside);
  return page;
}

const browser = await launch();
try {
  const owner = await desktopPage(browser);
  await signInAsStaff(owner, staffLogin("OWNER"), "/admin/staff");
  await owner.getByRole("heading", { name: "Staff", exact: true }).waitFor();
  const staffTable = owner.getByRole("table", { name: "Staff members" });
  // Each member's two-factor status: the owner signed in with a second factor.
  const ownerRow = staffTable.getByRole("row", { name: new RegExp(OWNER_EMAIL) });
  await ownerRow.getByRole("rowheader", { name: OWNER_EMAIL }).waitFor();
  await ownerRow.getByRole("cell", { name: "Set up", exact: true }).waitFor();
  await checkState(owner, "staff");

  const invite = owner.getByRole("region", { name: "Invite someone" });
  await invite.getByLabel("Email").fill("not an email");
  await invite.getByRole("button", { name: "Send invitation" }).click();
  await invite.getByText("Enter an email address like name@example.com.").waitFor();
  await checkState(owner, "invite-invalid");

  await invite.getByLabel("Email").fill(INVITEE_EMAIL);
  await invite.getByLabel("Name (optional)").fill("Olga Organizer");
  await invite.getByLabel("Level").selectOption("organizer");
  await invite.getByRole("button", { name: "Send invitation" }).click();
  await owner.getByText(`Invitation on its way to ${INVITEE_EMAIL}.`).waitFor();
  const invitations = owner.getByRole("table", { name: "Recent invitations and password resets" });
  await invitations.getByRole("row", { name: new RegExp(`${INVITEE_EMAIL}.*Sent`) }).waitFor({ timeout: 30_000 });
  await checkState(owner, "invitation-sent");

  const fragment = await ask({ need_code: INVITEE_EMAIL });
  const invitee = await desktopPage(browser);
  await invitee.goto(`${BASE_URL}/set-password#${fragment}`);
  await invitee.getByRole("heading", { name: "Choose your password" }).waitFor();
  const addressBar = new URL(invitee.url());
  if (addressBar.hash !== "") throw new Error("the one-time code stayed in the address bar");
  await checkState(invitee, "set-password");
  await invitee.getByLabel("New password").fill(INVITEE_PASSWORD);
  await invitee.getByLabel("Repeat the password").fill(`${INVITEE_PASSWORD}x`);
  await invitee.getByRole("button", { name: "Save password and continue" }).click();
  await invitee.getByText("The two passwords are different.").waitFor();
  await checkState(invitee, "set-password-mismatch");
  await invitee.getByLabel("Repeat the password").fill(INVITEE_PASSWORD);
  await invitee.getByRole("button", { name: "Save password and continue" }).click();
  await invitee.getByText("Your role: Organizer").waitFor();
  await checkState(invitee, "invitee-console");

  // The owner's screen follows the acceptance through Realtime, without a reload. Their tab
  // comes to the front again: Chromium throttles a background tab's animation frames, which
  // Playwright's waits poll with (a toast could then appear unseen until the timeout).
  await owner.bringToFront();
  await invitations.getByRole("row", { name: new RegExp(`${INVITEE_EMAIL}.*Accepted`) }).waitFor();
  const row = staffTable.getByRole("row", { name: new RegExp(INVITEE_EMAIL) });
  await row.getByRole("cell", { name: "Active" }).waitFor();
  // A password only so far: no second factor, so nothing to reset.
  await row.getByRole("cell", { name: "Not set up", exact: true }).waitFor();
  if ((await row.getByRole("button", { name: "Reset two-factor" }).count()) !== 0) {
    throw new Error("a reset of two-factor was offered for a member without a factor");
  }
  await row.getByLabel(`Level of ${INVITEE_EMAIL}`).selectOption("volunteer");
  await owner.getByText(`${INVITEE_EMAIL} is now Volunteer.`).waitFor();
  await row.getByRole("button", { name: "Disable" }).click();
  await row.getByRole("cell", { name: "Disabled" }).waitFor();
  await checkState(owner, "member-disabled");

  // A sender's daily cap, changed on the senders screen (the database validates and audits it).
  await owner.getByRole("navigation", { name: "Staff navigation" }).getByRole("link", { name: "Senders" }).click();
  const sender = owner.getByRole("region", { name: SENDER_NAME });
  await sender.getByLabel("Daily cap").fill("0");
  await sender.getByRole("button", { name: "Save sender" }).click();
  await owner.getByText("Something in the form isn't valid.").waitFor();
  await checkState(owner, "sender-invalid");
  await sender.getByLabel("Daily cap").fill("500");
  await sender.getByRole("button", { name: "Save sender" }).click();
  await owner.getByText(`${SENDER_NAME} saved.`).waitFor();
  await owner.getByRole("navigation", { name: "Staff navigation" }).getByRole("link", { name: "Settings" }).click();
  await owner.getByLabel("Time zone").waitFor();
  await checkState(owner, "settings");

  // A failed webhook, replayed from the app; the replay shows up in the audit log.
  const nav = owner.getByRole("navigation", { name: "Staff navigation" });
  await nav.getByRole("link", { name: "Webhooks" }).click();
  const problems = owner.getByRole("table", { name: "Failed and deferred webhooks" });
  await problems.getByRole("cell", { name: FAILED_WEBHOOK_ERROR }).waitFor();
  await checkState(owner, "webhooks");
  await problems
    .getByRole("row", { name: new RegExp(FAILED_WEBHOOK_ERROR) })
    .getByRole("button", { name: /Replay/ })
    .click();
  await owner.getByText("Webhook replayed.").waitFor();
  await problems.getByRole("cell", { name: FAILED_WEBHOOK_ERROR }).waitFor({ state: "detached" });
  await nav.getByRole("link", { name: "Audit log" }).click();
  await owner.getByLabel("Table").fill("webhook_events");
  await owner.getByRole("button", { name: "Show" }).click();
  await owner.getByRole("cell", { name: "webhook_replay" }).first().waitFor();
  await checkState(owner, "audit");
  await nav.getByRole("link", { name: "Staff" }).click();

  await owner.getByRole("button", { name: "Español" }).click();
  await owner.getByRole("heading", { name: "Equipo", exact: true }).waitFor();
  await checkState(owner, "staff-es");
  const outside = outsideRequests.flat();
  if (outside.length > 0) throw new Error(`requests left the machine: ${outside.join(", ")}`);
  emit({ result: { invitee: INVITEE_EMAIL } });
} finally {
  closeInput();
  await browser.close();
}
