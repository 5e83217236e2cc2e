/** The preference page's data (public.unsubscribe_preferences) and the change it sends
 * (public.change_unsubscribe_preferences): plain functions the page and the tests share. */

export type ConsentStatus = "opted_in" | "opted_out";

export interface Preferences {
  firstName: string | null;
  emailHint: string | null;
  phoneHint: string | null;
  email: ConsentStatus | null;
  sms: ConsentStatus | null;
}

/** What the person chose on the page. */
export interface Choice {
  emails: boolean;
  stopTexts: boolean;
}

/** The argument of change_unsubscribe_preferences: only the channels that change. Texts can only
 * be stopped here; they are re-subscribed by texting START from the phone (the SQL refuses more). */
export interface PreferenceChange {
  email?: ConsentStatus;
  sms?: "opted_out";
}

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

function status(value: unknown): ConsentStatus | null {
  return value === "opted_in" || value === "opted_out" ? value : null;
}

/** The SQL function's jsonb, checked field by field (it is typed `Json` by the generator). */
export function parsePreferences(json: unknown): Preferences {
  const row = typeof json === "object" && json !== null ? (json as Record<string, unknown>) : {};
  return {
    firstName: text(row.first_name),
    emailHint: text(row.email_hint),
    phoneHint: text(row.phone_hint),
    email: status(row.email),
    sms: status(row.sms),
  };
}

/** A marketing email reached them, so "no choice recorded" means they still get emails. */
export function receivesEmail(preferences: Preferences): boolean {
  return preferences.email !== "opted_out";
}

/** The page's starting choice: what they receive now. */
export function currentChoice(preferences: Preferences): Choice {
  return { emails: receivesEmail(preferences), stopTexts: preferences.sms === "opted_out" };
}

/** The change to send, or null when the choice is what they have already. */
export function changeFor(preferences: Preferences, choice: Choice): PreferenceChange | null {
  const change: PreferenceChange = {};
  if (choice.emails !== receivesEmail(preferences)) change.email = choice.emails ? "opted_in" : "opted_out";
  if (choice.stopTexts && preferences.sms !== "opted_out") change.sms = "opted_out";
  return Object.keys(change).length > 0 ? change : null;
}
