import * as v from "valibot";
import type { Locale } from "../lib/i18n";
import type { Registration } from "./api";

// Messages are keys of the attendee messages, so errors follow the language switch.
const optionalText = v.pipe(v.string(), v.trim(), v.maxLength(100, "register.tooLong"));

export const registrationSchema = v.pipe(
  v.object({
    first_name: v.pipe(v.string(), v.trim(), v.minLength(1, "register.firstNameRequired"), v.maxLength(100, "register.tooLong")),
    last_name: optionalText,
    pronouns: v.pipe(v.string(), v.trim(), v.maxLength(40, "register.tooLong")),
    company: optionalText,
    title: optionalText,
    email: v.union([v.literal(""), v.pipe(v.string(), v.trim(), v.email("register.emailInvalid"))], "register.emailInvalid"),
    preferred_language: v.picklist(["en", "es"]),
    sms_opt_in: v.boolean(),
    email_opt_in: v.boolean(),
  }),
  v.forward(
    v.check((form) => !form.email_opt_in || form.email !== "", "register.emailNeededForOptIn"),
    ["email"],
  ),
);
export type RegistrationForm = v.InferOutput<typeof registrationSchema>;
export type RegistrationMessage =
  | "register.firstNameRequired"
  | "register.tooLong"
  | "register.emailInvalid"
  | "register.emailNeededForOptIn";

export function emptyRegistration(language: Locale): v.InferInput<typeof registrationSchema> {
  return {
    first_name: "",
    last_name: "",
    pronouns: "",
    company: "",
    title: "",
    email: "",
    preferred_language: language,
    sms_opt_in: false,
    email_opt_in: false,
  };
}

/** What check_in's p_registration gets: only the fields the person filled in. */
export function toRegistration(form: RegistrationForm): Registration {
  const registration: Registration = { first_name: form.first_name, preferred_language: form.preferred_language };
  for (const key of ["last_name", "pronouns", "company", "title", "email"] as const) {
    if (form[key] !== "") registration[key] = form[key];
  }
  return registration;
}
