import { A, useNavigate, useParams } from "@solidjs/router";
import { useQuery, useQueryClient } from "@tanstack/solid-query";
import { Show, createSignal, untrack } from "solid-js";
import { errorCode, type ErrorCode } from "../lib/errors";
import { tCommon, tError } from "../lib/i18n";
import { RequireStaff } from "../staff/RequireStaff";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { TextField } from "../ui/TextField";
import { notifySuccess } from "../ui/notifications";
import { eventKeys, fetchEventSummary, fetchOrgTimeZone, saveEvent, type EventSummary } from "./api";
import { fieldOfRefusal, parseCapacity, suggestSlug, toLocalInput, type EventField } from "./logic";
import { t } from "./t";

function EventForm(props: { event: EventSummary | null; timeZone: string }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // A draft seeded once from the saved event; saving navigates away.
  const initial = untrack(() => props.event);
  const [name, setName] = createSignal(initial?.name ?? "");
  const [slug, setSlug] = createSignal(initial?.slug ?? "");
  const [slugEdited, setSlugEdited] = createSignal(initial !== null);
  const [startsLocal, setStartsLocal] = createSignal(initial ? toLocalInput(initial.starts_local) : "");
  const [endsLocal, setEndsLocal] = createSignal(initial ? toLocalInput(initial.ends_local) : "");
  const [venue, setVenue] = createSignal(initial?.venue ?? "");
  const [capacity, setCapacity] = createSignal(initial?.capacity?.toString() ?? "");
  const [published, setPublished] = createSignal(initial?.published ?? false);
  const [refusal, setRefusal] = createSignal<ErrorCode | null>(null);
  const [saving, setSaving] = createSignal(false);

  const errorFor = (field: EventField) => {
    const code = refusal();
    return code && fieldOfRefusal(code) === field ? tError(code) : null;
  };
  const formError = () => {
    const code = refusal();
    return code && fieldOfRefusal(code) === null ? code : null;
  };

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setSaving(true);
    setRefusal(null);
    try {
      const saved = await saveEvent(initial?.id ?? null, {
        name: name(),
        slug: slug(),
        startsLocal: startsLocal(),
        endsLocal: endsLocal(),
        venue: venue(),
        capacity: parseCapacity(capacity()),
        published: published(),
      });
      await queryClient.invalidateQueries({ queryKey: eventKeys.overview() });
      notifySuccess(() => t("form.saved", { name: saved.name }));
      navigate(`/events/${saved.id}`);
    } catch (error) {
      setRefusal(errorCode(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="grid max-w-3xl gap-4 sm:grid-cols-2" onSubmit={(event) => void save(event)} novalidate>
      <p class="sm:col-span-2">{t("timeZoneNote", { zone: props.timeZone })}</p>
      <div class="sm:col-span-2">
        <ErrorAlert code={formError()} />
      </div>
      <TextField
        label={t("form.name")}
        value={name()}
        required
        error={errorFor("name")}
        onInput={(event) => {
          setName(event.currentTarget.value);
          if (!slugEdited()) setSlug(suggestSlug(event.currentTarget.value));
        }}
      />
      <TextField
        label={t("form.slug")}
        hint={t("form.slugHint")}
        value={slug()}
        required
        error={errorFor("slug")}
        onInput={(event) => {
          setSlugEdited(true);
          setSlug(event.currentTarget.value);
        }}
      />
      <TextField
        label={t("form.startsAt")}
        type="datetime-local"
        value={startsLocal()}
        required
        error={errorFor("startsLocal")}
        onInput={(event) => setStartsLocal(event.currentTarget.value)}
      />
      <TextField
        label={t("form.endsAt")}
        type="datetime-local"
        value={endsLocal()}
        required
        error={errorFor("endsLocal")}
        onInput={(event) => setEndsLocal(event.currentTarget.value)}
      />
      <TextField label={t("form.venue")} value={venue()} onInput={(event) => setVenue(event.currentTarget.value)} />
      <TextField
        label={t("form.capacity")}
        hint={t("form.capacityHint")}
        inputmode="numeric"
        value={capacity()}
        error={errorFor("capacity")}
        onInput={(event) => setCapacity(event.currentTarget.value)}
      />
      <label class="flex min-h-12 items-center gap-3 sm:col-span-2">
        <input
          type="checkbox"
          class="size-6"
          checked={published()}
          onChange={(event) => setPublished(event.currentTarget.checked)}
        />
        {t("form.published")}
      </label>
      <div class="flex flex-wrap items-center gap-4 sm:col-span-2">
        <Button type="submit" disabled={saving()}>
          {saving() ? t("form.saving") : t("form.save")}
        </Button>
        <A href="/events" class="text-teal-800 underline">
          {t("form.cancel")}
        </A>
      </div>
    </form>
  );
}

function EditorScreen() {
  const params = useParams<{ id?: string }>();
  const timeZone = useQuery(() => ({ queryKey: eventKeys.orgTimeZone(), queryFn: fetchOrgTimeZone }));
  const event = useQuery(() => ({
    queryKey: [...eventKeys.overview(), params.id ?? "new"],
    queryFn: () => (params.id ? fetchEventSummary(params.id) : Promise.resolve(null)),
  }));
  const failure = () => timeZone.error ?? event.error;
  return (
    <section class="space-y-4">
      <h1 class="text-2xl font-bold">
        {event.data ? t("form.editTitle", { name: event.data.name }) : t("form.newTitle")}
      </h1>
      <Show when={failure()}>
        <ErrorAlert code={errorCode(failure())} />
      </Show>
      <Show
        when={timeZone.data && event.isSuccess}
        fallback={<Show when={!failure()}><p role="status">{tCommon("loading")}</p></Show>}
      >
        <EventForm event={event.data ?? null} timeZone={timeZone.data ?? ""} />
      </Show>
    </section>
  );
}

export default function EventEditor() {
  return (
    <RequireStaff min="organizer">
      <EditorScreen />
    </RequireStaff>
  );
}
