import { A, useParams } from "@solidjs/router";
import { useMutation, useQuery } from "@tanstack/solid-query";
import { createSignal, Show } from "solid-js";
import { fetchDisclosures, fetchEventBySlug, type Channel, type PublicEvent } from "../attendee/api";
import { formatDateTime } from "../lib/dates";
import { errorCode } from "../lib/errors";
import { isLocale, locale, type Locale } from "../lib/i18n";
import { queryKeys } from "../lib/query";
import { Button } from "../ui/Button";
import { ConsentCheckbox } from "../ui/ConsentCheckbox";
import { LanguageSelect, OptIns, shownDisclosure } from "../attendee/LanguageAndOptIns";
import { ErrorAlert } from "../ui/ErrorAlert";
import { TextField } from "../ui/TextField";
import { submitRsvp, type RsvpForm } from "./api";
import { t } from "./t";

function RsvpFormView(props: { event: PublicEvent; onDone: () => void }) {
  const disclosures = useQuery(() => ({ queryKey: queryKeys.disclosures(), queryFn: fetchDisclosures }));
  const [form, setForm] = createSignal<RsvpForm>({
    first_name: "",
    last_name: "",
    phone: "",
    email: "",
    preferred_language: locale(),
    sms_opt_in: false,
    email_opt_in: false,
  });
  const set = (patch: Partial<RsvpForm>) => setForm({ ...form(), ...patch });
  const shown = (channel: Channel) => shownDisclosure(disclosures.data, channel);
  const submit = useMutation(() => ({
    mutationFn: () => submitRsvp(props.event.id, form(), { sms: shown("sms"), email: shown("email") }),
    onSuccess: () => { props.onDone(); },
  }));
  return (
    <form
      class="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        submit.mutate();
      }}
    >
      <p>{t("rsvp.intro")}</p>
      <TextField label={t("rsvp.firstName")} required autocomplete="given-name" value={form().first_name} maxlength={100}
        onInput={(event) => { set({ first_name: event.currentTarget.value }); }} />
      <TextField label={t("rsvp.lastName")} autocomplete="family-name" value={form().last_name} maxlength={100}
        onInput={(event) => { set({ last_name: event.currentTarget.value }); }} />
      <TextField label={t("rsvp.phone")} hint={t("rsvp.phoneHint")} type="tel" autocomplete="tel" value={form().phone}
        onInput={(event) => { set({ phone: event.currentTarget.value }); }} />
      <TextField label={t("rsvp.email")} type="email" autocomplete="email" value={form().email}
        onInput={(event) => { set({ email: event.currentTarget.value }); }} />
      <LanguageSelect label={t("rsvp.language")} value={form().preferred_language}
        onChange={(event) => {
          const value = event.currentTarget.value;
          if (isLocale(value)) set({ preferred_language: value satisfies Locale });
        }} />
      <OptIns disclosures={disclosures.data}>
        {(channel, text) => {
          const key = channel === "sms" ? "sms_opt_in" : "email_opt_in";
          const address = () => (channel === "sms" ? form().phone : form().email);
          return (
            <ConsentCheckbox label={text.label} disclosure={text.disclosure} checked={form()[key]}
              disabled={address().trim() === ""}
              onChange={(event) => { set({ [key]: event.currentTarget.checked }); }} />
          );
        }}
      </OptIns>
      <ErrorAlert code={submit.error ? errorCode(submit.error) : null} />
      <Button type="submit" class="w-full" disabled={submit.isPending}>
        {submit.isPending ? t("rsvp.submitting") : t("rsvp.submit")}
      </Button>
    </form>
  );
}

/** /e/<slug>/rsvp: anyone says they will come to a published event before the day. */
export default function RsvpPage() {
  const params = useParams<{ slug: string }>();
  const event = useQuery(() => ({ queryKey: queryKeys.eventBySlug(params.slug), queryFn: () => fetchEventBySlug(params.slug) }));
  const [done, setDone] = createSignal(false);
  return (
    <div class="mx-auto max-w-md space-y-6">
      <Show when={event.error}>
        <ErrorAlert code={errorCode(event.error)} />
      </Show>
      <Show when={event.data}>
        {(current) => (
          <>
            <header class="space-y-1">
              <h1 class="text-3xl font-bold">{t("rsvp.title", { name: current().name })}</h1>
              <p class="text-stone-700">
                {formatDateTime(current().starts_at, current().time_zone, locale())}
                <Show when={current().venue}> · {current().venue}</Show>
              </p>
            </header>
            <Show when={!done()} fallback={
              <div class="space-y-3">
                <p role="status" class="rounded-lg border border-teal-700 bg-teal-50 p-3">{t("rsvp.done", { name: current().name })}</p>
                <A href={`/e/${current().slug}`} class="font-medium text-teal-800 underline">{t("rsvp.checkIn")}</A>
              </div>
            }>
              <RsvpFormView event={current()} onDone={() => setDone(true)} />
            </Show>
          </>
        )}
      </Show>
    </div>
  );
}
