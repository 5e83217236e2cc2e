import { Field, Form, createForm } from "@formisch/solid";
import { untrack } from "solid-js";
import { TextField } from "../ui/TextField";
import type { MyContact } from "./api";
import type { Profile } from "./me-api";
import { profileSchema, type ProfileForm as Values, type ProfileMessage } from "./profile";
import { t } from "./t";

type TextPath = keyof Values;

/** The attendee's own name-tag fields, bio and links, validated as the database validates. */
export function ProfileForm(props: { contact: MyContact; profile: Profile | null; onSave: (values: Values) => Promise<void> }) {
  const form = createForm({
    schema: profileSchema,
    // The form starts from the saved values once; later saves refetch, they don't reset it.
    initialInput: untrack(() => ({
      first_name: props.contact.first_name ?? "",
      last_name: props.contact.last_name ?? "",
      pronouns: props.contact.pronouns ?? "",
      company: props.contact.company ?? "",
      title: props.contact.title ?? "",
      bio: props.profile?.bio ?? "",
      linkedin_url: props.profile?.linkedin_url ?? "",
      github_url: props.profile?.github_url ?? "",
    })),
    validate: "submit",
    revalidate: "input",
  });
  const field = (path: TextPath, label: string, extra: { autocomplete: string; type?: string; hint?: string }) => (
    <Field of={form} path={[path]}>
      {(store) => (
        <TextField
          {...store.props}
          label={label}
          hint={extra.hint}
          type={extra.type ?? "text"}
          autocomplete={extra.autocomplete}
          value={store.input ?? ""}
          error={store.errors ? t(store.errors[0] as ProfileMessage) : null}
        />
      )}
    </Field>
  );
  return (
    <Form of={form} class="space-y-4" onSubmit={(values) => props.onSave(values)}>
      {field("first_name", t("register.firstName"), { autocomplete: "given-name" })}
      {field("last_name", t("register.lastName"), { autocomplete: "family-name" })}
      {field("pronouns", t("register.pronouns"), { autocomplete: "off", hint: t("register.pronounsHint") })}
      {field("company", t("register.company"), { autocomplete: "organization" })}
      {field("title", t("register.jobTitle"), { autocomplete: "organization-title" })}
      {field("bio", t("me.bio"), { autocomplete: "off" })}
      {field("linkedin_url", t("me.linkedin"), { autocomplete: "url", type: "url", hint: t("me.linkedinHint") })}
      {field("github_url", t("me.github"), { autocomplete: "url", type: "url", hint: t("me.githubHint") })}
      <button
        type="submit"
        disabled={form.isSubmitting}
        class="min-h-12 w-full rounded-lg bg-teal-800 px-5 py-3 font-semibold text-white disabled:bg-stone-400"
      >
        {form.isSubmitting ? t("me.saving") : t("me.save")}
      </button>
    </Form>
  );
}
