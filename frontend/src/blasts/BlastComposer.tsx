import { A, useNavigate } from "@solidjs/router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/solid-query";
import { For, Show } from "solid-js";
import { createStore } from "solid-js/store";
import { SelectField } from "../crm/SelectField";
import { errorCode } from "../lib/errors";
import { tCommon } from "../lib/i18n";
import { RequireStaff } from "../staff/RequireStaff";
import { fetchMessagingFacts, templateKeys } from "../templates/api";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { TextField } from "../ui/TextField";
import { notifyError, notifySuccess } from "../ui/notifications";
import { SegmentRules } from "../crm/SegmentBuilder";
import { toSegmentDefinition, type Rule } from "../crm/segmentRules";
import type { Json } from "../lib/database.types";
import { createDebounced } from "../lib/debounce";
import { createLiveQuery } from "../lib/liveQuery";
import { blastKeys, countSegment, createBlast, createBlastToFilter, fetchChoices } from "./api";
import { count } from "./format";
import {
  EMPTY_COMPOSER,
  canPickWinner,
  effectiveMetric,
  fallbackChannel,
  toSpec,
  usesEmail,
  usesSms,
  winnerMetrics,
  type BlastChannel,
  type ComposerForm,
  type WinnerForm,
  type WinnerMetric,
} from "./spec";
import { t } from "./t";
import { Variants } from "./Variants";

type Choices = Awaited<ReturnType<typeof fetchChoices>>;

/** The chosen segment's size, counted by the database as the choice changes. */
function SegmentCount(props: { segment: Choices["segments"][number] | undefined }) {
  // A live query: a recount never suspends the page (a useQuery read under the shell's Suspense
  // showed "Loading…" in place of the whole composer while the count was asked).
  const matches = createLiveQuery(() => ({
    queryKey: blastKeys.segmentCount(props.segment?.id ?? ""),
    queryFn: () => countSegment(props.segment?.definition ?? {}),
    enabled: props.segment !== undefined,
    staleTime: 0,
  }));
  return (
    <Show when={props.segment}>
      <p role="status" class="text-sm" data-testid="segment-count">
        {matches().data === undefined ? t("composer.counting") : t("composer.matches", { count: count(matches().data ?? 0) })}
      </p>
      <Show when={matches().error}>
        <ErrorAlert code={errorCode(matches().error)} />
      </Show>
    </Show>
  );
}

/** The live count waits for a short pause in editing, so typing a number asks once. */
const FILTER_COUNT_DELAY_MS = 250;

/** An unsaved filter: the segment builder's rules, counted by the database as they change. */
function FilterAudience(props: { rules: Rule[]; onChange: (rules: Rule[]) => void }) {
  const definition = createDebounced(() => toSegmentDefinition(props.rules) as Json, FILTER_COUNT_DELAY_MS);
  const matches = createLiveQuery(() => ({
    queryKey: blastKeys.filterCount(definition()),
    queryFn: () => countSegment(definition()),
    staleTime: 0,
  }));
  return (
    <div class="space-y-2 rounded-lg border border-stone-300 p-3">
      <h2 class="text-lg font-semibold">{t("composer.filterTitle")}</h2>
      <SegmentRules rules={props.rules} onChange={props.onChange} />
      <p role="status" class="text-sm" data-testid="filter-count">
        {matches().data === undefined ? t("composer.counting") : t("composer.filterMatches", { count: count(matches().data ?? 0) })}
      </p>
      <Show when={matches().error}>
        <ErrorAlert code={errorCode(matches().error)} />
      </Show>
    </div>
  );
}

const DECIDE_AFTER_HOURS = [1, 2, 4, 8, 12, 24, 48];

/** "Send the winner to the rest": the test share, its minimum, when and by what (the metrics that
 * fit the blast's A/B channels, and which channel falls back to delivery rate). */
function WinnerFields(props: { form: ComposerForm; onChange: <K extends keyof WinnerForm>(key: K, value: WinnerForm[K]) => void }) {
  const metric = () => effectiveMetric(props.form);
  const fallback = () => fallbackChannel(props.form, metric());
  return (
    <div class="space-y-3 border-t border-stone-200 pt-3">
      <label class="flex items-center gap-2 font-semibold">
        <input
          type="checkbox"
          class="size-5"
          checked={props.form.winner.enabled}
          onChange={(event) => { props.onChange("enabled", event.currentTarget.checked); }}
        />
        {t("composer.winner")}
      </label>
      <p class="text-sm text-stone-700">{t("composer.winnerIntro")}</p>
      <Show when={props.form.winner.enabled}>
        <div class="grid gap-2 sm:grid-cols-2">
          <TextField
            label={t("composer.winnerTestPercent")}
            inputmode="numeric"
            value={String(props.form.winner.testPercent)}
            onInput={(event) => { props.onChange("testPercent", Number(event.currentTarget.value) || 0); }}
          />
          <TextField
            label={t("composer.winnerMinimum")}
            inputmode="numeric"
            value={String(props.form.winner.minPerVariant)}
            onInput={(event) => { props.onChange("minPerVariant", Number(event.currentTarget.value) || 0); }}
          />
          <SelectField
            label={t("composer.winnerAfter")}
            options={DECIDE_AFTER_HOURS.map((hours) => ({ value: String(hours * 60), label: t("composer.winnerHours", { hours }) }))}
            value={String(props.form.winner.decideAfterMinutes)}
            onChange={(value) => { props.onChange("decideAfterMinutes", Number(value)); }}
          />
          <SelectField
            label={t("composer.winnerMetric")}
            options={winnerMetrics(props.form).map((value) => ({ value, label: t(`composer.metric.${value}`) }))}
            value={metric()}
            onChange={(value) => { props.onChange("metric", value as WinnerMetric); }}
          />
        </div>
        <Show when={fallback()}>
          {(channel) => <p class="text-sm text-stone-700">{t(`composer.winnerFallback.${channel()}`)}</p>}
        </Show>
      </Show>
    </div>
  );
}

export function Composer(props: { choices: Choices; orgTimeZone: string }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form, setForm] = createStore<ComposerForm>(structuredClone(EMPTY_COMPOSER));
  const templatesFor = (channel: "sms" | "email") => [
    { value: "", label: t("composer.chooseTemplate") },
    ...props.choices.templates.filter((tpl) => tpl.channel === channel).map((tpl) => ({ value: tpl.id, label: tpl.name })),
  ];
  const sendersFor = (channel: "sms" | "email") => [
    { value: "", label: t("composer.chooseSender") },
    ...props.choices.senders.filter((s) => s.channel === channel).map((s) => ({ value: s.id, label: s.name })),
  ];
  const segment = () => props.choices.segments.find((s) => s.id === form.segmentId);
  const create = useMutation(() => ({
    // A filter is kept as a one-off segment by the same call that creates the blast.
    mutationFn: () =>
      form.audience === "filter"
        ? createBlastToFilter(toSegmentDefinition(form.filterRules), toSpec({ ...form, segmentId: "" }, props.orgTimeZone))
        : createBlast(toSpec(form, props.orgTimeZone)),
    onSuccess: async (blast) => {
      notifySuccess(() => t(blast.status === "scheduled" ? "composer.scheduled" : "composer.created", { name: blast.name }));
      await queryClient.invalidateQueries({ queryKey: blastKeys.all() });
      navigate(`/messaging/blasts/${blast.id}`);
    },
    onError: (error: unknown) => notifyError(error),
  }));

  return (
    <form
      class="max-w-2xl space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate();
      }}
    >
      <TextField label={t("composer.name")} required value={form.name} onInput={(event) => { setForm("name", event.currentTarget.value); }} />
      <fieldset class="space-y-2">
        <legend class="font-semibold">{t("composer.audienceKind")}</legend>
        <For each={["segment", "filter"] as const}>
          {(kind) => (
            <label class="flex items-center gap-2">
              <input
                type="radio"
                name="audience"
                class="size-5"
                checked={form.audience === kind}
                onChange={() => { setForm("audience", kind); }}
              />
              {kind === "segment" ? t("composer.audienceSegment") : t("composer.audienceFilter")}
            </label>
          )}
        </For>
      </fieldset>
      <Show
        when={form.audience === "segment"}
        fallback={<FilterAudience rules={form.filterRules} onChange={(rules) => { setForm("filterRules", rules); }} />}
      >
        <SelectField
          label={t("composer.audience")}
          options={[
            { value: "", label: t("composer.chooseSegment") },
            ...props.choices.segments.map((s) => ({ value: s.id, label: s.name })),
          ]}
          value={form.segmentId}
          onChange={(value) => { setForm("segmentId", value); }}
        />
        <Show when={props.choices.segments.length === 0}>
          <p>{t("composer.noSegments")}</p>
        </Show>
        <SegmentCount segment={segment()} />
      </Show>
      <SelectField
        label={t("composer.channel")}
        options={(["sms", "email", "both"] as const).map((value) => ({ value, label: t(`channel.${value}`) }))}
        value={form.channel}
        onChange={(value) => { setForm("channel", value as BlastChannel); }}
      />
      <Show when={usesSms(form.channel)}>
        <SelectField label={t("composer.smsSender")} options={sendersFor("sms")} value={form.smsSenderId} onChange={(v) => { setForm("smsSenderId", v); }} />
        <Show when={form.smsVariants.length === 0}>
          <SelectField
            label={t("composer.smsTemplate")}
            options={templatesFor("sms")}
            value={form.smsTemplateId}
            onChange={(v) => { setForm("smsTemplateId", v); }}
          />
        </Show>
        <Variants
          channel="sms"
          variants={form.smsVariants}
          templateId={form.smsTemplateId}
          templates={templatesFor("sms")}
          onChange={(variants) => { setForm("smsVariants", variants); }}
        />
      </Show>
      <Show when={usesEmail(form.channel)}>
        <SelectField
          label={t("composer.emailSender")}
          options={sendersFor("email")}
          value={form.emailSenderId}
          onChange={(v) => { setForm("emailSenderId", v); }}
        />
        <Show when={form.emailVariants.length === 0}>
          <SelectField
            label={t("composer.emailTemplate")}
            options={templatesFor("email")}
            value={form.emailTemplateId}
            onChange={(v) => { setForm("emailTemplateId", v); }}
          />
        </Show>
        <Variants
          channel="email"
          variants={form.emailVariants}
          templateId={form.emailTemplateId}
          templates={templatesFor("email")}
          onChange={(variants) => { setForm("emailVariants", variants); }}
        />
      </Show>
      <Show when={canPickWinner(form)}>
        <WinnerFields form={form} onChange={(key, value) => { setForm("winner", key, value); }} />
      </Show>
      <TextField
        label={t("composer.sendAt", { zone: props.orgTimeZone })}
        hint={t("composer.sendAtHint")}
        type="datetime-local"
        value={form.sendAtLocal}
        onInput={(event) => { setForm("sendAtLocal", event.currentTarget.value); }}
      />
      <label class="flex items-center gap-2">
        <input type="checkbox" class="size-5" checked={form.autoPause} onChange={(event) => { setForm("autoPause", event.currentTarget.checked); }} />
        {t("composer.autoPause")}
      </label>
      <Button type="submit" disabled={create.isPending}>
        {create.isPending ? t("composer.creating") : t("composer.create")}
      </Button>
    </form>
  );
}

function ComposerScreen() {
  const choices = useQuery(() => ({ queryKey: blastKeys.choices(), queryFn: fetchChoices, staleTime: 0 }));
  const facts = useQuery(() => ({ queryKey: templateKeys.facts(), queryFn: fetchMessagingFacts }));
  return (
    <section class="space-y-4">
      <A href="/messaging/blasts" class="text-teal-800 underline">
        {t("composer.back")}
      </A>
      <h1 class="text-2xl font-bold">{t("composer.title")}</h1>
      <ErrorAlert code={choices.error ? errorCode(choices.error) : facts.error ? errorCode(facts.error) : null} />
      <Show
        when={choices.data && facts.data ? { choices: choices.data, zone: facts.data.orgTimeZone } : undefined}
        fallback={<Show when={!choices.error && !facts.error}><p role="status">{tCommon("loading")}</p></Show>}
      >
        {(ready) => <Composer choices={ready().choices} orgTimeZone={ready().zone} />}
      </Show>
    </section>
  );
}

export default function BlastComposer() {
  return (
    <RequireStaff min="organizer">
      <ComposerScreen />
    </RequireStaff>
  );
}
