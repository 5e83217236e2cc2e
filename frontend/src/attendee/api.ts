import * as v from "valibot";
import type { Database } from "../lib/database.types";
import { AppError, errorCode, throwIfError } from "../lib/errors";
import type { Locale } from "../lib/i18n";
import { supabase } from "../lib/supabase";

export type Channel = Database["public"]["Enums"]["message_channel"];
export type ConsentStatus = Database["public"]["Enums"]["consent_status"];

export interface PublicEvent {
  id: string;
  slug: string;
  name: string;
  venue: string | null;
  starts_at: string;
  ends_at: string;
  time_zone: string;
}

/** The public event page's event (anonymous visitors read published events only). */
export async function fetchEventBySlug(slug: string): Promise<PublicEvent> {
  const { data, error } = await supabase()
    .from("events")
    .select("id, slug, name, venue, starts_at, ends_at, time_zone")
    .eq("slug", slug)
    .maybeSingle();
  throwIfError(error);
  if (!data) throw new AppError("unknown_event");
  return data;
}

/** Text a one-time code. A 429 means a code went out less than a minute ago. */
export async function requestCode(phone: string): Promise<void> {
  const { error } = await supabase().auth.signInWithOtp({ phone, options: { channel: "sms" } });
  throwIfError(error);
}

export async function verifyCode(phone: string, token: string): Promise<void> {
  const { error } = await supabase().auth.verifyOtp({ phone, token, type: "sms" });
  throwIfError(error);
}

// check_in returns jsonb; parse it rather than trust a cast.
const checkInResultSchema = v.object({
  code: v.picklist(["checked_in", "already_checked_in"]),
  check_in_id: v.string(),
  contact_id: v.string(),
  checked_in_at: v.string(),
  display_name: v.string(),
  print_job_id: v.nullable(v.string()),
  registered: v.boolean(),
});
export type CheckInResult = v.InferOutput<typeof checkInResultSchema>;

export interface Registration {
  first_name: string;
  last_name?: string;
  pronouns?: string;
  company?: string;
  title?: string;
  email?: string;
  preferred_language: Locale;
}

/** Check the signed-in attendee in; `registration_required` means: show the first-timer form. */
export async function checkInSelf(
  eventId: string,
  registration?: Registration,
): Promise<CheckInResult | "registration_required"> {
  const { data, error } = await supabase().rpc("check_in", {
    p_event_id: eventId,
    ...(registration ? { p_registration: { ...registration } } : {}),
  });
  if (error && errorCode(error) === "registration_required") return "registration_required";
  throwIfError(error);
  return v.parse(checkInResultSchema, data);
}

export interface Disclosure {
  id: string;
  channel: Channel;
  locale: Locale;
  body: string;
}

/** The opt-in texts shown now (both channels, both languages). */
export async function fetchDisclosures(): Promise<Disclosure[]> {
  const { data, error } = await supabase()
    .from("consent_disclosures")
    .select("id, channel, locale, body")
    .is("retired_at", null);
  throwIfError(error);
  return (data ?? []).filter((row): row is Disclosure => row.locale === "en" || row.locale === "es");
}

/** Record a choice from a form; an opt-in names the disclosure text the person saw. */
export async function recordConsent(channel: Channel, status: ConsentStatus, disclosureId?: string): Promise<void> {
  const { error } = await supabase().rpc("record_form_consent", {
    p_channel: channel,
    p_status: status,
    ...(disclosureId ? { p_disclosure_id: disclosureId } : {}),
  });
  throwIfError(error);
}

export interface MyContact {
  id: string;
  first_name: string | null;
  last_name: string | null;
  pronouns: string | null;
  company: string | null;
  title: string | null;
  email: string | null;
  phone: string | null;
  qr_token: string;
  preferred_language: string | null;
}

/** The signed-in attendee's own contact (RLS: only their row is visible). */
export async function fetchMyContact(userId: string): Promise<MyContact> {
  const { data, error } = await supabase()
    .from("contacts")
    .select("id, first_name, last_name, pronouns, company, title, email, phone, qr_token, preferred_language")
    .eq("user_id", userId)
    .maybeSingle();
  throwIfError(error);
  if (!data) throw new AppError("unknown_attendee");
  return data;
}
