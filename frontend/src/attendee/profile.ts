import * as v from "valibot";
import type { ProfileChanges } from "./me-api";

// The same shapes the database checks (profiles_linkedin_url / github_url), so a person hears
// about a typo before saving.
export const LINKEDIN_URL = /^https:\/\/([a-z]{2,3}\.)?linkedin\.com\/in\/[A-Za-z0-9_%-]+\/?$/;
export const GITHUB_URL = /^https:\/\/github\.com\/[A-Za-z0-9](-?[A-Za-z0-9])*\/?$/;

const optional = (max: number) => v.pipe(v.string(), v.trim(), v.maxLength(max, "me.tooLong"));

export const profileSchema = v.object({
  first_name: v.pipe(v.string(), v.trim(), v.minLength(1, "register.firstNameRequired"), v.maxLength(100, "me.tooLong")),
  last_name: optional(100),
  pronouns: optional(40),
  company: optional(100),
  title: optional(100),
  bio: optional(2000),
  linkedin_url: v.union([v.literal(""), v.pipe(v.string(), v.trim(), v.regex(LINKEDIN_URL, "me.linkedinInvalid"))], "me.linkedinInvalid"),
  github_url: v.union([v.literal(""), v.pipe(v.string(), v.trim(), v.regex(GITHUB_URL, "me.githubInvalid"))], "me.githubInvalid"),
});
export type ProfileForm = v.InferOutput<typeof profileSchema>;
export type ProfileMessage = "register.firstNameRequired" | "me.tooLong" | "me.linkedinInvalid" | "me.githubInvalid";

/** Empty inputs are stored as null, not as empty strings. */
export function toProfileChanges(form: ProfileForm): ProfileChanges {
  const orNull = (value: string) => (value === "" ? null : value);
  return {
    first_name: form.first_name,
    last_name: orNull(form.last_name),
    pronouns: orNull(form.pronouns),
    company: orNull(form.company),
    title: orNull(form.title),
    bio: orNull(form.bio),
    linkedin_url: orNull(form.linkedin_url),
    github_url: orNull(form.github_url),
  };
}
