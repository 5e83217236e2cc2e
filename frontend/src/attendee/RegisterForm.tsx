import { Field, Form, createForm } from "@formisch/solid";
import { locale } from "../lib/i18n";
import { Button } from "../ui/Button";
import { ConsentCheckbox } from "../ui/ConsentCheckbox";
import { TextField } from "../ui/TextField";
import type { Channel, Disclosure } from "./api";
import { LanguageSelect, OptIns, shownDisclosure } from "./LanguageAndOptIns";
import {
  emptyRegistration,
  registrationSchema,
  type RegistrationForm,
  type RegistrationMessage,
} from "./registration";
import { t } from "./t";

/** The first-timer's form: name-tag fields, language, and separate unticked opt-ins, each with
 * the disclosure text it records. */
export default function RegisterForm(props: {
  disclosures: Disclosure[];
  onSubmit: (form: RegistrationForm, shown: Record<Channel, Disclosure | undefined>) => Promise<void>;
}) {
  const form = createForm({
    schema: registrationSchema,
    initialInput: emptyRegistration(locale()),
    validate: "submit",
    revalidate: "input",
  });
  const shown = (channel: Channel) => shownDisclosure(props.disclosures, channel);
  const fieldError = (errors: readonly string[] | null) => (errors ? t(errors[0] as RegistrationMessage) : null);

  const text = (
    path: "first_name" | "last_name" | "pronouns" | "company" | "title" | "email",
    label: string,
    extra: { autocomplete: string; type?: string; hint?: string },
  ) => (
    <Field of={form} path={[path]}>
      {(field) => (
        <TextField
          {...field.props}
          label={label}
          hint={extra.hint}
          type={extra.type ?? "text"}
          autocomplete={extra.autocomplete}
          value={field.input ?? ""}
          error={fieldError(field.errors)}
        />
      )}
    </Field>
  );

  return (
    <Form
      of={form}
      class="space-y-4"
      onSubmit={(values) => props.onSubmit(values, { sms: shown("sms"), email: shown("email") })}
    >
      <h2 class="text-xl font-bold">{t("register.title")}</h2>
      <p>{t("register.intro")}</p>
      {text("first_name", t("register.firstName"), { autocomplete: "given-name" })}
      {text("last_name", t("register.lastName"), { autocomplete: "family-name" })}
      {text("pronouns", t("register.pronouns"), { autocomplete: "off", hint: t("register.pronounsHint") })}
      {text("company", t("register.company"), { autocomplete: "organization" })}
      {text("title", t("register.jobTitle"), { autocomplete: "organization-title" })}
      {text("email", t("register.email"), { autocomplete: "email", type: "email" })}
      <Field of={form} path={["preferred_language"]}>
        {(field) => <LanguageSelect {...field.props} label={t("register.language")} value={field.input} />}
      </Field>
      <OptIns disclosures={props.disclosures}>
        {(channel, text) => (
          <Field of={form} path={[channel === "sms" ? "sms_opt_in" : "email_opt_in"]}>
            {(field) => <ConsentCheckbox {...field.props} checked={field.input} label={text.label} disclosure={text.disclosure} />}
          </Field>
        )}
      </OptIns>
      <Button type="submit" class="w-full" disabled={form.isSubmitting}>
        {form.isSubmitting ? t("register.submitting") : t("register.submit")}
      </Button>
    </Form>
  );
}
