import { A, useParams } from "@solidjs/router";
import { useMutation, useQueryClient } from "@tanstack/solid-query";
import { createSignal, For, Index, Match, Show, Switch, untrack } from "solid-js";
import { createStore, unwrap } from "solid-js/store";
import { errorCode } from "../lib/errors";
import { locale, tCommon } from "../lib/i18n";
import { createLiveInfiniteQuery, createLiveQuery } from "../lib/liveQuery";
import { invalidateOnChanges } from "../lib/realtime";
import { RequireStaff } from "../staff/RequireStaff";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { notifyError, notifySuccess } from "../ui/notifications";
import { TextField } from "../ui/TextField";
import { describeActivity } from "./activity";
import {
  changeTags,
  fetchActivity,
  fetchConsent,
  fetchContact,
  PAGE_SIZE,
  updateContact,
  type Contact,
  type InteractionKind,
} from "./api";
import { displayName } from "./names";
import { formFromContact, toUpdate, type DetailsErrors, type DetailsForm } from "./details";
import { EMPTY_FILTER } from "./filters";
import { AttachmentPicker } from "./Attachments";
import { logInteractionWithFiles, type Attachment } from "./attachments-api";
import { InteractionFiles } from "./InteractionFiles";
import { Duplicates } from "./Duplicates";
import { EraseContact, ErasedContact } from "./Erasure";
import { SelectField } from "./SelectField";
import { t } from "./t";

const keys = {
  contact: (id: string) => ["contacts", id] as const,
  consent: (id: string) => ["consent_events", id] as const,
  activity: (id: string) => ["rpc", "contact_activity", id] as const,
};

function when(iso: string): string {
  return new Intl.DateTimeFormat(locale() === "es" ? "es-US" : "en-US", { dateStyle: "medium", timeStyle: "short" }).format(
    new Date(iso),
  );
}

const MONTHS = Array.from({ length: 12 }, (_, index) => index + 1);

function DetailsEditor(props: { contact: Contact }) {
  const queryClient = useQueryClient();
  // The form starts from the contact as loaded; the page re-creates it when the row changes.
  const [form, setForm] = createStore<DetailsForm>(formFromContact(untrack(() => props.contact)));
  const [errors, setErrors] = createSignal<DetailsErrors>({});
  const save = useMutation(() => ({
    mutationFn: (update: Parameters<typeof updateContact>[1]) => updateContact(props.contact.id, update),
    onSuccess: () => {
      notifySuccess(() => t("contact.saved"));
      void queryClient.invalidateQueries({ queryKey: keys.contact(props.contact.id) });
    },
  }));
  const text = (name: "first_name" | "last_name" | "email" | "phone" | "company" | "title" | "pronouns", label: string, type = "text") => (
    <TextField
      label={label}
      type={type}
      value={form[name]}
      onInput={(event) => { setForm(name, event.currentTarget.value); }}
      error={name === "phone" && errors().phone ? t("contact.invalid.phone") : name === "email" && errors().email ? t("contact.invalid.email") : null}
    />
  );
  const monthName = (month: number) =>
    new Intl.DateTimeFormat(locale() === "es" ? "es-US" : "en-US", { month: "long", timeZone: "UTC" }).format(
      new Date(Date.UTC(2000, month - 1, 1)),
    );
  return (
    <form
      aria-labelledby="details-title"
      class="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        const result = toUpdate(unwrap(form));
        if ("errors" in result) {
          setErrors(result.errors);
          return;
        }
        setErrors({});
        save.mutate(result.update);
      }}
    >
      <h2 id="details-title" class="text-xl font-bold">
        {t("contact.details")}
      </h2>
      <div class="grid gap-3 sm:grid-cols-2">
        {text("first_name", t("contact.firstName"))}
        {text("last_name", t("contact.lastName"))}
        {text("phone", t("contact.phone"), "tel")}
        {text("email", t("contact.email"), "email")}
        {text("company", t("contact.company"))}
        {text("title", t("contact.jobTitle"))}
        {text("pronouns", t("contact.pronouns"))}
        <SelectField
          label={t("contact.preferredLanguage")}
          options={[
            { value: "", label: t("contact.noLanguage") },
            { value: "en", label: tCommon("language.en") },
            { value: "es", label: tCommon("language.es") },
          ]}
          value={form.preferred_language}
          onChange={(value) => { setForm("preferred_language", value); }}
        />
      </div>
      <fieldset class="space-y-2" aria-describedby={errors().birthday ? "birthday-error" : undefined}>
        <legend class="font-medium">{t("contact.birthday")}</legend>
        <div class="grid grid-cols-3 gap-3">
          <SelectField
            label={t("contact.birthdayMonth")}
            options={[{ value: "", label: t("contact.noMonth") }, ...MONTHS.map((m) => ({ value: String(m), label: monthName(m) }))]}
            value={form.birthday_month}
            onChange={(value) => { setForm("birthday_month", value); }}
          />
          <SelectField
            label={t("contact.birthdayDay")}
            options={[{ value: "", label: t("contact.noMonth") }, ...Array.from({ length: 31 }, (_, i) => ({ value: String(i + 1), label: String(i + 1) }))]}
            value={form.birthday_day}
            onChange={(value) => { setForm("birthday_day", value); }}
          />
          <TextField
            label={t("contact.birthdayYear")}
            inputmode="numeric"
            value={form.birthday_year}
            onInput={(event) => { setForm("birthday_year", event.currentTarget.value); }}
          />
        </div>
        <Show when={errors().birthday}>
          {(code) => (
            <p id="birthday-error" class="text-sm text-red-800">
              {t(`contact.invalid.${code()}`)}
            </p>
          )}
        </Show>
      </fieldset>
      <fieldset class="space-y-2">
        <legend class="font-medium">{t("contact.customFields")}</legend>
        <Index each={form.custom_fields}>
          {(field, index) => (
            <div class="flex flex-wrap items-end gap-2">
              <TextField label={t("contact.fieldName")} value={field().name} onInput={(event) => { setForm("custom_fields", index, "name", event.currentTarget.value); }} />
              <TextField label={t("contact.fieldValue")} value={field().value} onInput={(event) => { setForm("custom_fields", index, "value", event.currentTarget.value); }} />
              <Button
                variant="link"
                aria-label={t("contact.removeField", { name: field().name })}
                onClick={() => { setForm("custom_fields", (fields) => fields.filter((_, i) => i !== index)); }}
              >
                ×
              </Button>
            </div>
          )}
        </Index>
        <Show when={errors().custom_fields}>
          <p class="text-sm text-red-800">{t("contact.invalid.fieldName")}</p>
        </Show>
        <Button variant="secondary" onClick={() => { setForm("custom_fields", (fields) => [...fields, { name: "", value: "" }]); }}>
          {t("contact.addField")}
        </Button>
      </fieldset>
      <ErrorAlert code={save.error ? errorCode(save.error) : null} />
      <Button type="submit" disabled={save.isPending}>
        {save.isPending ? t("contact.saving") : t("contact.save")}
      </Button>
    </form>
  );
}

function Tags(props: { contact: Contact }) {
  const queryClient = useQueryClient();
  const [tag, setTag] = createSignal("");
  const change = useMutation(() => ({
    mutationFn: (delta: { add: string[]; remove: string[] }) => changeTags([props.contact.id], EMPTY_FILTER, delta),
    onSuccess: () => {
      setTag("");
      void queryClient.invalidateQueries({ queryKey: keys.contact(props.contact.id) });
    },
    onError: notifyError,
  }));
  return (
    <section aria-labelledby="tags-title" class="space-y-2">
      <h2 id="tags-title" class="text-xl font-bold">
        {t("contact.tags")}
      </h2>
      <Show when={props.contact.tags.length > 0} fallback={<p>{t("contact.noTags")}</p>}>
        <ul class="flex flex-wrap gap-2">
          <For each={props.contact.tags}>
            {(name) => (
              <li class="flex items-center gap-1 rounded-full bg-teal-50 px-3 py-1">
                {name}
                <button
                  type="button"
                  class="min-h-6 min-w-6 rounded-full text-lg"
                  aria-label={t("contact.removeTag", { tag: name })}
                  onClick={() => { change.mutate({ add: [], remove: [name] }); }}
                >
                  ×
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <form
        class="flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          if (tag().trim() !== "") change.mutate({ add: [tag().trim()], remove: [] });
        }}
      >
        <TextField label={t("contact.newTag")} value={tag()} onInput={(event) => setTag(event.currentTarget.value)} maxlength={64} />
        <Button type="submit" variant="secondary" disabled={change.isPending}>
          {t("contact.addTag")}
        </Button>
      </form>
    </section>
  );
}

function Consent(props: { contactId: string }) {
  const consent = createLiveQuery(() => ({ queryKey: keys.consent(props.contactId), queryFn: () => fetchConsent(props.contactId) }));
  const current = (channel: "sms" | "email") => consent().data?.current.find((row) => row.channel === channel)?.status;
  return (
    <section aria-labelledby="consent-title" class="space-y-2">
      <h2 id="consent-title" class="text-xl font-bold">
        {t("contact.consent")}
      </h2>
      <ErrorAlert code={consent().error ? errorCode(consent().error) : null} />
      <dl class="grid grid-cols-2 gap-2">
        <For each={["sms", "email"] as const}>
          {(channel) => (
            <div>
              <dt class="font-medium">{t(`contact.channel.${channel}`)}</dt>
              <dd>{t(`contact.consentStatus.${current(channel) ?? "none"}`)}</dd>
            </div>
          )}
        </For>
      </dl>
      <details>
        <summary class="cursor-pointer font-semibold">{t("contact.consentHistory")}</summary>
        <Show when={(consent().data?.history.length ?? 0) > 0} fallback={<p>{t("contact.noConsentHistory")}</p>}>
          <table class="mt-2 w-full text-left text-sm">
            <thead>
              <tr>
                <th scope="col">{t("contact.when")}</th>
                <th scope="col">{t("list.consentSms")}</th>
                <th scope="col">{t("contact.status")}</th>
                <th scope="col">{t("contact.consentSource")}</th>
              </tr>
            </thead>
            <tbody>
              <For each={consent().data?.history}>
                {(row) => (
                  <tr class="border-t border-stone-200">
                    <td>{when(row.created_at)}</td>
                    <td>{t(`contact.channel.${row.channel}`)}</td>
                    <td>{t(`contact.consentStatus.${row.status}`)}</td>
                    <td>{row.source}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </Show>
      </details>
    </section>
  );
}

function LogInteraction(props: { contactId: string }) {
  const queryClient = useQueryClient();
  const [kind, setKind] = createSignal<InteractionKind>("note");
  const [body, setBody] = createSignal("");
  const [files, setFiles] = createSignal<Attachment[]>([]);
  const [uploading, setUploading] = createSignal(false);
  // Bumped after saving: re-creates the file picker empty.
  const [pickerRound, setPickerRound] = createSignal(0);
  const log = useMutation(() => ({
    mutationFn: () => logInteractionWithFiles(props.contactId, kind(), body().trim(), files()),
    onSuccess: () => {
      setBody("");
      setFiles([]);
      setPickerRound((round) => round + 1);
      notifySuccess(() => t("contact.logged"));
      void queryClient.invalidateQueries({ queryKey: keys.activity(props.contactId) });
    },
  }));
  return (
    <form
      aria-labelledby="interaction-title"
      class="space-y-2 rounded-lg border border-stone-300 bg-white p-3"
      onSubmit={(event) => {
        event.preventDefault();
        if (body().trim() !== "") log.mutate();
      }}
    >
      <h3 id="interaction-title" class="font-semibold">
        {t("contact.addInteraction")}
      </h3>
      <SelectField
        label={t("contact.interactionKind")}
        options={(["note", "call", "meeting", "email"] as const).map((value) => ({ value, label: t(`kinds.${value}`) }))}
        value={kind()}
        onChange={(value) => setKind(value as InteractionKind)}
      />
      <div class="flex flex-col gap-1">
        <label for="interaction-body" class="font-medium">
          {t("contact.interactionBody")}
        </label>
        <textarea
          id="interaction-body"
          rows="3"
          class="rounded-lg border border-stone-500 bg-white p-3"
          value={body()}
          onInput={(event) => setBody(event.currentTarget.value)}
        />
      </div>
      <Show when={pickerRound() + 1} keyed>
        <AttachmentPicker contactId={props.contactId} onChange={setFiles} onBusy={setUploading} />
      </Show>
      <ErrorAlert code={log.error ? errorCode(log.error) : null} />
      <Button type="submit" disabled={log.isPending || uploading() || body().trim() === ""}>
        {t("contact.logInteraction")}
      </Button>
    </form>
  );
}

function Timeline(props: { contactId: string }) {
  const activity = createLiveInfiniteQuery(() => ({
    queryKey: keys.activity(props.contactId),
    queryFn: ({ pageParam }) => fetchActivity(props.contactId, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.length < PAGE_SIZE ? undefined : (last[last.length - 1]?.occurred_at ?? undefined)),
  }));
  // Live: any change to this person's rows refreshes the timeline (other organizers included).
  // The page re-creates this section for another contact, so the subscription is set up once.
  const contactId = untrack(() => props.contactId);
  for (const table of ["interactions", "messages", "check_ins", "consent_events", "conversations"]) {
    invalidateOnChanges({
      table,
      filter: `contact_id=eq.${contactId}`,
      queryKeys: [keys.activity(contactId), keys.consent(contactId)],
    });
  }
  const entries = () => activity().data?.pages.flat() ?? [];
  return (
    <section aria-labelledby="timeline-title" class="space-y-3">
      <h2 id="timeline-title" class="text-xl font-bold">
        {t("contact.timeline")}
      </h2>
      <LogInteraction contactId={props.contactId} />
      <ErrorAlert code={activity().error ? errorCode(activity().error) : null} />
      <Show when={entries().length > 0} fallback={<p>{activity().isPending ? tCommon("loading") : t("contact.emptyTimeline")}</p>}>
        <ol class="space-y-2">
          <For each={entries()}>
            {(entry) => {
              const described = () => describeActivity(entry);
              return (
                <li class="rounded-lg border border-stone-200 bg-white p-3">
                  <p class="text-sm text-stone-700">
                    <time datetime={entry.occurred_at}>{when(entry.occurred_at)}</time>
                  </p>
                  <p class="font-semibold">{described().title}</p>
                  <Show when={described().body}>{(body) => <p class="whitespace-pre-wrap">{body()}</p>}</Show>
                  <Show when={described().note}>{(note) => <p class="text-sm">{note()}</p>}</Show>
                  <Show when={entry.kind === "interaction"}>
                    <InteractionFiles
                      contactId={props.contactId}
                      interactionId={entry.ref_id}
                      value={(entry.detail as { attachments?: unknown } | null)?.attachments}
                    />
                  </Show>
                </li>
              );
            }}
          </For>
        </ol>
      </Show>
      <Show when={activity().hasNextPage}>
        <Button variant="secondary" disabled={activity().isFetchingNextPage} onClick={() => void activity().fetchNextPage()}>
          {t("contact.older")}
        </Button>
      </Show>
    </section>
  );
}

/** One person: details and custom fields, tags, consent with its history, and the timeline. */
export default function ContactPage() {
  const params = useParams<{ id: string }>();
  const queryClient = useQueryClient();
  const contact = createLiveQuery(() => ({ queryKey: keys.contact(params.id), queryFn: () => fetchContact(params.id) }));
  invalidateOnChanges({ table: "contacts", filter: `id=eq.${params.id}`, queryKeys: [keys.contact(params.id)] });
  return (
    <RequireStaff min="organizer">
      <div class="space-y-6">
        <A href="/crm/contacts" class="text-teal-900 underline">
          {t("contact.back")}
        </A>
        <Switch fallback={<p role="status">{tCommon("loading")}</p>}>
          <Match when={contact().error}>
            {(error) =>
              errorCode(error()) === "unknown_contact" ? (
                <>
                  <div role="alert">
                    <h1 class="text-2xl font-bold">{t("contact.notFound")}</h1>
                  </div>
                  <ErasedContact contactId={params.id} />
                </>
              ) : (
                <ErrorAlert code={errorCode(error())} />
              )
            }
          </Match>
          <Match when={contact().data}>
            {(data) => (
              <Show when={data().id} keyed>
                <h1 class="text-2xl font-bold">{displayName(data())}</h1>
                <Show when={data().updated_at} keyed>
                  <DetailsEditor contact={data()} />
                </Show>
                <Tags contact={data()} />
                <Consent contactId={data().id} />
                <Duplicates contact={data()} />
                <Timeline contactId={data().id} />
                <EraseContact
                  contactId={data().id}
                  onErased={() => void queryClient.invalidateQueries({ queryKey: keys.contact(params.id) })}
                />
              </Show>
            )}
          </Match>
        </Switch>
      </div>
    </RequireStaff>
  );
}
