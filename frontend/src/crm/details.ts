/** The contact page's details form: what the inputs hold, and the row update they make.
 * It checks what a person can fix before saving (phone, email, a real birthday); the database
 * checks the same constraints again and has the last word. */
import { displayPhone, toE164 } from "../lib/phone";
import type { Contact, ContactUpdate } from "./api";

export interface DetailsForm {
  first_name: string;
  last_name: string;
  email: string;
  phone: string;
  company: string;
  title: string;
  pronouns: string;
  birthday_month: string;
  birthday_day: string;
  birthday_year: string;
  preferred_language: string;
  /** Custom fields as ordered name/value pairs (text values). */
  custom_fields: { name: string; value: string }[];
}

export type DetailsError =
  | "phone"
  | "email"
  | "birthday"
  | "birthdayYear"
  | "birthdayIncomplete"
  | "fieldName";

export type DetailsErrors = Partial<Record<"phone" | "email" | "birthday" | "custom_fields", DetailsError>>;

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const FIELD_NAME = /^[A-Za-z0-9_]{1,64}$/;

function fieldValue(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function formFromContact(contact: Contact): DetailsForm {
  const custom = contact.custom_fields;
  const entries = typeof custom === "object" && !Array.isArray(custom) ? Object.entries(custom) : [];
  return {
    first_name: contact.first_name ?? "",
    last_name: contact.last_name ?? "",
    email: contact.email ?? "",
    // Shown as people write it; toUpdate turns whatever is typed back into E.164.
    phone: displayPhone(contact.phone) ?? "",
    company: contact.company ?? "",
    title: contact.title ?? "",
    pronouns: contact.pronouns ?? "",
    birthday_month: contact.birthday_month?.toString() ?? "",
    birthday_day: contact.birthday_day?.toString() ?? "",
    birthday_year: contact.birthday_year?.toString() ?? "",
    preferred_language: contact.preferred_language ?? "",
    custom_fields: entries.map(([name, value]) => ({ name, value: fieldValue(value) })),
  };
}

/** Days in a month; February has 29 when the year is unknown (a birthday on Feb 29 exists). */
export function daysInMonth(month: number, year: number | null): number {
  if (month === 2) {
    const leap = year === null || (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0));
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function optional(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

function birthday(form: DetailsForm, thisYear: number): { value: Pick<ContactUpdate, "birthday_month" | "birthday_day" | "birthday_year"> } | { error: DetailsError } {
  const month = form.birthday_month === "" ? null : Number(form.birthday_month);
  const day = form.birthday_day === "" ? null : Number(form.birthday_day);
  const yearText = form.birthday_year.trim();
  const year = yearText === "" ? null : Number(yearText);
  if ((month === null) !== (day === null) || (month === null && year !== null)) return { error: "birthdayIncomplete" };
  if (year !== null && (!Number.isInteger(year) || year < 1900 || year > thisYear)) return { error: "birthdayYear" };
  if (month !== null && day !== null && day > daysInMonth(month, year)) return { error: "birthday" };
  return { value: { birthday_month: month, birthday_day: day, birthday_year: year } };
}

/** The update a form makes, or what to fix first. */
export function toUpdate(form: DetailsForm, thisYear = new Date().getFullYear()): { update: ContactUpdate } | { errors: DetailsErrors } {
  const errors: DetailsErrors = {};
  const phoneText = optional(form.phone);
  const phone = phoneText === null ? null : toE164(phoneText);
  if (phoneText !== null && phone === null) errors.phone = "phone";
  const email = optional(form.email);
  if (email !== null && !EMAIL.test(email)) errors.email = "email";
  const day = birthday(form, thisYear);
  if ("error" in day) errors.birthday = day.error;
  const fields = form.custom_fields.filter((field) => field.name.trim() !== "" || field.value.trim() !== "");
  if (fields.some((field) => !FIELD_NAME.test(field.name.trim()))) errors.custom_fields = "fieldName";
  if (Object.keys(errors).length > 0 || "error" in day) return { errors };
  const language = form.preferred_language;
  return {
    update: {
      first_name: optional(form.first_name),
      last_name: optional(form.last_name),
      email,
      phone,
      company: optional(form.company),
      title: optional(form.title),
      pronouns: optional(form.pronouns),
      ...day.value,
      preferred_language: language === "en" || language === "es" ? language : null,
      custom_fields: Object.fromEntries(fields.map((field) => [field.name.trim(), field.value])),
    },
  };
}
