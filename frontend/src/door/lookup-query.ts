import { toE164 } from "../lib/phone";

const LOOKS_LIKE_PHONE = /^[+0-9() .-]+$/;

/** What to send to find_attendees for the text typed so far, or null to wait for more: a name
 * from two characters on; a phone number only once it is complete (the search is exact, and a
 * half-typed number is not an error the volunteer needs to see). */
export function lookupQuery(typed: string): string | null {
  const text = typed.trim();
  if (LOOKS_LIKE_PHONE.test(text)) return toE164(text);
  return text.length >= 2 ? text : null;
}
