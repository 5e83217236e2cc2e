const LOOKS_LIKE_PHONE = /^[+0-9() .-]+$/;

/** The phone library's E.164 parser (`lib/phone`), which the door loads right after its first
 * paint: libphonenumber's metadata is too big to hold that paint back. */
export type ToE164 = (input: string) => string | null;

/** What to send to find_attendees for the text typed so far, or null to wait for more: a name
 * from two characters on; a phone number only once it is complete (the search is exact, and a
 * half-typed number is not an error the volunteer needs to see) and the phone library is here. */
export function lookupQuery(typed: string, toE164: ToE164 | undefined): string | null {
  const text = typed.trim();
  if (LOOKS_LIKE_PHONE.test(text)) return toE164 ? toE164(text) : null;
  return text.length >= 2 ? text : null;
}
