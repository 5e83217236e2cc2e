/** The public RSVP form's one call: the database finds or creates the person, RSVPs them and
 * records the opt-ins with the disclosure shown (rsvp_to_event validates and rate-limits). */
import type { Channel, Disclosure } from "../attendee/api";
import { throwIfError } from "../lib/errors";
import type { Locale } from "../lib/i18n";
import { supabase } from "../lib/supabase";

export interface RsvpForm {
  first_name: string;
  last_name: string;
  phone: string;
  email: string;
  preferred_language: Locale;
  sms_opt_in: boolean;
  email_opt_in: boolean;
}

/** Blank fields are left out; an opt-in goes with the disclosure shown beside its box. */
export function rsvpArguments(eventId: string, form: RsvpForm, shown: Record<Channel, Disclosure | undefined>) {
  const given = (value: string) => (value.trim() === "" ? undefined : value.trim());
  return {
    p_event_id: eventId,
    p_first_name: form.first_name,
    p_last_name: given(form.last_name),
    p_phone: given(form.phone),
    p_email: given(form.email),
    p_preferred_language: form.preferred_language,
    p_sms_disclosure_id: form.sms_opt_in && given(form.phone) ? shown.sms?.id : undefined,
    p_email_disclosure_id: form.email_opt_in && given(form.email) ? shown.email?.id : undefined,
  };
}

export async function submitRsvp(
  eventId: string,
  form: RsvpForm,
  shown: Record<Channel, Disclosure | undefined>,
): Promise<void> {
  const { error } = await supabase().rpc("rsvp_to_event", rsvpArguments(eventId, form, shown));
  throwIfError(error);
}
