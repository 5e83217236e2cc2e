import { AsYouType, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/min";

/** Numbers typed without a country code are read as US numbers, as the SQL does (parse_phone). */
export const DEFAULT_COUNTRY: CountryCode = "US";

/** What the field shows while someone types: "(305) 555-0123", "+34 612 34 56 78". */
export function formatAsTyped(input: string): string {
  const digits = input.replace(/[^\d+]/g, "");
  const formatted = new AsYouType(DEFAULT_COUNTRY).input(digits);
  // "(305)" would put the ")" back after every backspace, so the digits cannot be deleted.
  return formatted.endsWith(")") ? digits : formatted;
}

/** The E.164 form of a valid number, or null when it is not a valid phone number. */
export function toE164(input: string): string | null {
  const parsed = parsePhoneNumberFromString(input, DEFAULT_COUNTRY);
  return parsed?.isValid() ? parsed.number : null;
}

/** supabase-js hands back user.phone without the "+"; contacts store E.164 with it. */
export function fromAuthPhone(phone: string | undefined): string | null {
  if (!phone) return null;
  return phone.startsWith("+") ? phone : `+${phone}`;
}

/**
 * How a screen shows a stored number: national format for US numbers ("(305) 555-0123", what
 * the organizers dial), international for every other country ("+34 612 34 56 78"). Anything
 * that is not a valid number (an email address in a mixed column, a malformed import) is shown
 * exactly as stored, so nothing is hidden behind a guess; null stays null.
 */
export function displayPhone(value: string): string;
export function displayPhone(value: string | null | undefined): string | null | undefined;
export function displayPhone(value: string | null | undefined): string | null | undefined {
  if (!value?.startsWith("+")) return value;
  const parsed = parsePhoneNumberFromString(value);
  if (!parsed?.isValid()) return value;
  return parsed.country === DEFAULT_COUNTRY ? parsed.formatNational() : parsed.formatInternational();
}
