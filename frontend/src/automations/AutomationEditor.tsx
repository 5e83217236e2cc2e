import { A, useNavigate, useParams } from "@solidjs/router";
import { useQuery, useQueryClient } from "@tanstack/solid-query";
import { For, Show, createSignal, untrack } from "solid-js";
import { createStore } from "solid-js/store";
import { SelectField } from "../crm/SelectField";
import { errorCode } from "../lib/errors";
import { tCommon } from "../lib/i18n";
import { RequireStaff } from "../staff/RequireStaff";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { TextField } from "../ui/TextField";
import { notifyError, notifySuccess } from "../ui/notifications";
import { NameTakenError, automationKeys, fetchAutomation, fetchChoices, saveAutomation, type Choices } from "./api";
import {
  TRIGGERS,
  emptyDraft,
  isTrigger,
  problems,
  toColumns,
  toDraft,
  usesDelay,
  usesEvent,
  type AutomationDraft,
  type AutomationRow,
  type DraftProblem,
} from "./rules";
import { t } from "./t";
import { TestPanel } from "./TestPanel";

const LINK = "font-semibold text-teal-900 underline";

function AutomationForm(props: { row: AutomationRow | null; choices: Choices }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // A draft seeded once; saving refetches the row and the list.
  const [draft, setDraft] = createStore<AutomationDraft>(untrack(() => (props.row ? toDraft(props.row) : emptyDraft())));
  const [shown, setShown] = createSignal<DraftProblem[]>([]);
  const [nameTaken, setNameTaken] = createSignal(false);
  const [saving, setSaving] = createSignal(false);
  const problem = (key: DraftProblem) => (shown().includes(key) ? t(`form.problems.${key}`) : null);
  const ofChannel = <T extends { channel: string }>(items: T[]) => items.filter((item) => item.channel === draft.channel);
  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setNameTaken(false);
    const found = problems(draft);
    setShown(found);
    if (found.length > 0) return;
    setSaving(true);
    try {
      const id = await saveAutomation(props.row?.id ?? null, toColumns(draft));
      notifySuccess(() => t("form.saved"));
      await queryClient.invalidateQueries({ queryKey: ["automations"] });
      if (!props.row) navigate(`/automations/${id}`, { replace: true });
    } catch (error) {
      if (error instanceof NameTakenError) setNameTaken(true);
      else notifyError(error);
    } finally {
      setSaving(false);
    }
  };
  return (
    <form class="grid gap-4 sm:grid-cols-2" onSubmit={(event) => void save(event)} novalidate>
      <TextField
        class="sm:col-span-2"
        label={t("form.name")}
        value={draft.name}
        error={nameTaken() ? t("form.problems.nameTaken") : problem("name")}
        onInput={(event) => { setDraft("name", event.currentTarget.value); }}
      />
      <SelectField
        class="sm:col-span-2"
        label={t("form.trigger")}
        value={draft.kind}
        options={TRIGGERS.map((kind) => ({ value: kind, label: t(`trigger.${kind}`) }))}
        onChange={(value) => {
          if (isTrigger(value)) setDraft("kind", value);
        }}
      />
      <Show when={usesDelay(draft.kind)}>
        <TextField
          label={t("form.delayHours")}
          hint={t("form.delayHint")}
          inputmode="numeric"
          value={draft.delayHours}
          error={problem("delay")}
          onInput={(event) => { setDraft("delayHours", event.currentTarget.value); }}
        />
      </Show>
      <Show when={draft.kind === "no_check_in"}>
        <TextField
          label={t("form.inactiveDays")}
          inputmode="numeric"
          value={draft.inactiveDays}
          error={problem("inactiveDays")}
          onInput={(event) => { setDraft("inactiveDays", event.currentTarget.value); }}
        />
      </Show>
      <Show when={usesEvent(draft.kind)}>
        <SelectField
          label={t("form.event")}
          value={draft.eventId}
          options={[{ value: "", label: t("form.anyEvent") }, ...props.choices.events.map((e) => ({ value: e.id, label: e.name }))]}
          onChange={(value) => { setDraft("eventId", value); }}
        />
      </Show>
      <fieldset class="space-y-2 sm:col-span-2">
        <legend class="font-medium">{t("form.action")}</legend>
        <div class="flex flex-wrap gap-x-6">
          <label class="flex min-h-12 items-center gap-2">
            <input
              type="radio"
              name="action"
              class="size-5"
              checked={draft.action === "send_template"}
              onChange={() => { setDraft("action", "send_template"); }}
            />
            {t("form.actionSend")}
          </label>
          <label class="flex min-h-12 items-center gap-2">
            <input
              type="radio"
              name="action"
              class="size-5"
              checked={draft.action === "add_tag"}
              onChange={() => { setDraft("action", "add_tag"); }}
            />
            {t("form.actionTag")}
          </label>
        </div>
      </fieldset>
      <Show
        when={draft.action === "send_template"}
        fallback={
          <TextField
            label={t("form.tag")}
            value={draft.tag}
            error={problem("tag")}
            onInput={(event) => { setDraft("tag", event.currentTarget.value); }}
          />
        }
      >
        <SelectField
          label={t("form.channel")}
          value={draft.channel}
          options={[
            { value: "sms", label: t("channel.sms") },
            { value: "email", label: t("channel.email") },
          ]}
          onChange={(value) => {
            setDraft({ channel: value === "email" ? "email" : "sms", templateId: "", senderId: "" });
          }}
        />
        <div class="flex flex-col gap-1">
          <SelectField
            label={t("form.template")}
            value={draft.templateId}
            aria-invalid={problem("template") ? true : undefined}
            options={[
              { value: "", label: t("form.chooseTemplate") },
              ...ofChannel(props.choices.templates).map((item) => ({ value: item.id, label: item.name })),
            ]}
            onChange={(value) => { setDraft("templateId", value); }}
          />
          <Show when={problem("template")}>{(text) => <p class="text-sm text-red-800">{text()}</p>}</Show>
        </div>
        <div class="flex flex-col gap-1">
          <SelectField
            label={t("form.sender")}
            value={draft.senderId}
            aria-invalid={problem("sender") ? true : undefined}
            options={[
              { value: "", label: t("form.chooseSender") },
              ...ofChannel(props.choices.senders).map((item) => ({ value: item.id, label: item.name })),
            ]}
            onChange={(value) => { setDraft("senderId", value); }}
          />
          <Show when={problem("sender")}>{(text) => <p class="text-sm text-red-800">{text()}</p>}</Show>
        </div>
      </Show>
      <fieldset class="grid gap-4 rounded-lg border border-stone-300 p-4 sm:col-span-2 sm:grid-cols-2">
        <legend class="px-1 font-medium">{t("form.windowLegend")}</legend>
        <p class="text-sm text-stone-700 sm:col-span-2">
          {draft.kind === "birthday" ? t("form.birthdayHint") : t("form.windowHint")}
        </p>
        <TextField
          label={t("form.windowStart")}
          type="time"
          value={draft.windowStart}
          error={problem("window")}
          onInput={(event) => { setDraft("windowStart", event.currentTarget.value); }}
        />
        <TextField
          label={t("form.windowEnd")}
          type="time"
          value={draft.windowEnd}
          onInput={(event) => { setDraft("windowEnd", event.currentTarget.value); }}
        />
      </fieldset>
      <label class="flex min-h-12 items-center gap-2">
        <input
          type="checkbox"
          class="size-5"
          checked={draft.oncePerContact}
          onChange={(event) => { setDraft("oncePerContact", event.currentTarget.checked); }}
        />
        {t("form.once")}
      </label>
      <label class="flex min-h-12 items-center gap-2">
        <input
          type="checkbox"
          class="size-5"
          checked={draft.enabled}
          onChange={(event) => { setDraft("enabled", event.currentTarget.checked); }}
        />
        {t("form.enabled")}
      </label>
      <div role="alert" class="empty:hidden sm:col-span-2">
        <Show when={shown().length > 0 || nameTaken()}>
          <ul class="list-disc rounded-lg border border-red-700 bg-red-50 p-3 pl-8 text-red-900">
            <Show when={nameTaken()}>
              <li>{t("form.problems.nameTaken")}</li>
            </Show>
            <For each={shown()}>{(key) => <li>{t(`form.problems.${key}`)}</li>}</For>
          </ul>
        </Show>
      </div>
      <Button type="submit" class="sm:col-span-2 sm:justify-self-start" disabled={saving()}>
        {saving() ? t("form.saving") : t("form.save")}
      </Button>
    </form>
  );
}

function EditorScreen() {
  const params = useParams<{ id?: string }>();
  const id = () => params.id ?? "";
  const row = useQuery(() => ({
    queryKey: automationKeys.one(id()),
    queryFn: () => fetchAutomation(id()),
    enabled: id() !== "",
  }));
  const choices = useQuery(() => ({ queryKey: automationKeys.choices(), queryFn: fetchChoices }));
  const failure = () => row.error ?? choices.error;
  return (
    <section class="space-y-4">
      <A href="/automations" class={LINK}>
        {t("form.back")}
      </A>
      <h1 class="text-2xl font-bold">{id() === "" ? t("form.titleNew") : t("form.titleEdit")}</h1>
      <ErrorAlert code={failure() ? errorCode(failure()) : null} />
      <Show when={choices.data} fallback={<Show when={!failure()}><p role="status">{tCommon("loading")}</p></Show>}>
        {(options) => (
          // Keyed by the automation: a new one, once saved, moves to its own page and form.
          <Show when={id()} keyed fallback={<AutomationForm row={null} choices={options()} />}>
            {(current) => (
              <Show when={row.data}>
                {(saved) => (
                  <>
                    <AutomationForm row={saved()} choices={options()} />
                    <TestPanel automationId={current} channel={saved().channel} />
                  </>
                )}
              </Show>
            )}
          </Show>
        )}
      </Show>
    </section>
  );
}

export default function AutomationEditor() {
  return (
    <RequireStaff min="organizer">
      <EditorScreen />
    </RequireStaff>
  );
}
