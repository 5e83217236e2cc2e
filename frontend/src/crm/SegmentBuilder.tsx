import { A } from "@solidjs/router";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/solid-query";
import { createEffect, createSignal, createUniqueId, For, Index, on, onCleanup, Show, type JSX } from "solid-js";
import { formatDateTime } from "../lib/dates";
import { errorCode } from "../lib/errors";
import { locale, tCommon } from "../lib/i18n";
import { RequireStaff } from "../staff/RequireStaff";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { notifySuccess } from "../ui/notifications";
import { TextField } from "../ui/TextField";
import { fetchEventsForFilter, fetchSegments, fetchTagCounts, type Segment } from "./api";
import { CONSENT_FILTERS } from "./filters";
import { displayName } from "./names";
import { ts } from "./segmentMessages";
import {
  availableKinds,
  countProblem,
  EMAIL_ONLY_BLAST_KINDS,
  fromSegmentDefinition,
  MAX_DAYS,
  newRule,
  parseTags,
  RULE_KINDS,
  toSegmentDefinition,
  type BlastKind,
  type BuiltDefinition,
  type Rule,
  type RuleKind,
} from "./segmentRules";
import { blastsForRule, deleteSegment, fetchSentBlasts, previewSegment, SENT_BLASTS_KEY, writeSegment } from "./segmentsApi";
import { SelectField } from "./SelectField";
import { t } from "./t";

/** The live count waits for a short pause in editing, so typing a number asks once. */
const PREVIEW_DELAY_MS = 250;

/** Blasts to pick for a messaging rule, by name and start date; opens and clicks only offer
 * email blasts, and say why. */
function BlastPicker(props: { rule: Extract<Rule, { kind: BlastKind }>; onChange: (rule: Rule) => void }): JSX.Element {
  const sent = useQuery(() => ({ queryKey: SENT_BLASTS_KEY, queryFn: fetchSentBlasts }));
  const emailOnly = () => EMAIL_ONLY_BLAST_KINDS.includes(props.rule.kind);
  const offered = () => blastsForRule(sent.data ?? [], emailOnly());
  const hintId = createUniqueId();
  return (
    <fieldset class="space-y-1" aria-describedby={emailOnly() ? hintId : undefined}>
      <legend class="font-medium">{ts("fields.blasts")}</legend>
      <Show when={emailOnly()}>
        <p id={hintId} class="text-sm text-stone-700">
          {ts("fields.emailOnly")}
        </p>
      </Show>
      <ErrorAlert code={sent.error ? errorCode(sent.error) : null} />
      <Show when={sent.data} fallback={<p role="status">{tCommon("loading")}</p>}>
        <Show when={offered().length > 0} fallback={<p>{emailOnly() ? ts("fields.noEmailBlasts") : ts("fields.noBlasts")}</p>}>
          <For each={offered()}>
            {(blast) => (
              <label class="flex min-h-12 items-center gap-2">
                <input
                  type="checkbox"
                  class="size-5"
                  checked={props.rule.blasts.includes(blast.id)}
                  onChange={(change) => {
                    const others = props.rule.blasts.filter((id) => id !== blast.id);
                    props.onChange({ ...props.rule, blasts: change.currentTarget.checked ? [...others, blast.id] : others });
                  }}
                />
                {blast.started_at
                  ? ts("fields.blastOption", {
                      name: blast.name,
                      when: formatDateTime(blast.started_at, Intl.DateTimeFormat().resolvedOptions().timeZone, locale()),
                    })
                  : blast.name}
              </label>
            )}
          </For>
        </Show>
      </Show>
    </fieldset>
  );
}

function RuleFields(props: { rule: Rule; onChange: (rule: Rule) => void }): JSX.Element {
  const tags = useQuery(() => ({ queryKey: ["rpc", "contact_tag_counts"], queryFn: fetchTagCounts }));
  const events = useQuery(() => ({ queryKey: ["events", "for-filter"], queryFn: fetchEventsForFilter }));
  // Re-rendered only when the kind changes, so a field keeps its focus while it is edited; the
  // fields read the rule through this accessor (a removed rule's slot may briefly hold another kind).
  const of =
    <K extends RuleKind>(kind: K) =>
    (): Extract<Rule, { kind: K }> =>
      (props.rule.kind === kind ? props.rule : newRule(kind)) as Extract<Rule, { kind: K }>;
  return (
    <Show when={props.rule.kind} keyed>
      {(kind) => {
        switch (kind) {
          case "tags_any":
          case "tags_all":
          case "tags_none": {
            const current = of(kind);
            return (
              <TextField
                label={ts("fields.tags")}
                hint={ts("fields.knownTags", { tags: (tags.data ?? []).map((row) => row.tag).join(", ") })}
                value={current().tags.join(", ")}
                onChange={(event) => { props.onChange({ ...current(), tags: parseTags(event.currentTarget.value) }); }}
              />
            );
          }
          case "attended_events": {
            const current = of(kind);
            return (
              <fieldset class="space-y-1">
                <legend class="font-medium">{ts("fields.events")}</legend>
                <Show when={(events.data ?? []).length > 0} fallback={<p>{ts("fields.noEvents")}</p>}>
                  <For each={events.data}>
                    {(event) => (
                      <label class="flex min-h-12 items-center gap-2">
                        <input
                          type="checkbox"
                          class="size-5"
                          checked={current().events.includes(event.id)}
                          onChange={(change) => {
                            const others = current().events.filter((id) => id !== event.id);
                            props.onChange({ ...current(), events: change.currentTarget.checked ? [...others, event.id] : others });
                          }}
                        />
                        {event.name}
                      </label>
                    )}
                  </For>
                </Show>
              </fieldset>
            );
          }
          case "attended_last_events":
          case "min_checkins":
          case "no_checkin_days":
          case "replied_within_days": {
            const current = of(kind);
            const problem = () => {
              const found = countProblem(current());
              return found ? ts(`problems.${found}`) : undefined;
            };
            return (
              <TextField
                label={kind === "replied_within_days" ? ts("fields.days") : ts("fields.count")}
                type="number"
                min={kind === "min_checkins" ? "0" : "1"}
                max={kind === "replied_within_days" || kind === "no_checkin_days" ? String(MAX_DAYS) : undefined}
                inputmode="numeric"
                error={problem()}
                value={String(current().count)}
                onInput={(event) => {
                  const count = Number.parseInt(event.currentTarget.value, 10);
                  if (Number.isInteger(count)) props.onChange({ ...current(), count });
                }}
              />
            );
          }
          case "first_timers":
            return null;
          case "last_checkin_after":
          case "last_checkin_before": {
            const current = of(kind);
            return (
              <TextField
                label={ts("fields.day")}
                type="date"
                value={current().day}
                onChange={(event) => { props.onChange({ ...current(), day: event.currentTarget.value }); }}
              />
            );
          }
          case "received_blasts":
          case "opened_blasts":
          case "clicked_blasts": {
            const current = of(kind);
            return <BlastPicker rule={current()} onChange={props.onChange} />;
          }
          case "created_between": {
            const current = of(kind);
            return (
              <div class="grid gap-2 sm:grid-cols-2">
                <TextField
                  label={ts("fields.from")}
                  type="date"
                  value={current().from}
                  onChange={(event) => { props.onChange({ ...current(), from: event.currentTarget.value }); }}
                />
                <TextField
                  label={ts("fields.to")}
                  type="date"
                  value={current().to}
                  onChange={(event) => { props.onChange({ ...current(), to: event.currentTarget.value }); }}
                />
              </div>
            );
          }
          case "has_phone":
          case "has_email": {
            const current = of(kind);
            return (
              <SelectField
                label={ts("fields.yesNo")}
                options={[{ value: "yes", label: ts("fields.yes") }, { value: "no", label: ts("fields.no") }]}
                value={current().value ? "yes" : "no"}
                onChange={(value) => { props.onChange({ ...current(), value: value === "yes" }); }}
              />
            );
          }
          case "consent_sms":
          case "consent_email": {
            const current = of(kind);
            return (
              <SelectField
                label={ts("fields.consent")}
                options={CONSENT_FILTERS.map((value) => ({ value, label: t(`list.consent.${value}`) }))}
                value={current().status}
                onChange={(value) => {
                  const status = CONSENT_FILTERS.find((item) => item === value);
                  if (status) props.onChange({ ...current(), status });
                }}
              />
            );
          }
          case "custom_field": {
            const current = of(kind);
            return (
              <div class="grid gap-2 sm:grid-cols-2">
                <TextField
                  label={ts("fields.key")}
                  value={current().key}
                  onChange={(event) => { props.onChange({ ...current(), key: event.currentTarget.value }); }}
                />
                <TextField
                  label={ts("fields.value")}
                  value={current().value}
                  onChange={(event) => { props.onChange({ ...current(), value: event.currentTarget.value }); }}
                />
              </div>
            );
          }
          case "source": {
            const current = of(kind);
            return (
              <TextField
                label={ts("fields.source")}
                value={current().value}
                onChange={(event) => { props.onChange({ ...current(), value: event.currentTarget.value }); }}
              />
            );
          }
        }
      }}
    </Show>
  );
}

/** The rules of a segment definition, edited in place: each rule's fields, remove, add. Also the
 * blast composer's unsaved filter (the same rules, compiled by the same server compiler). */
export function SegmentRules(props: { rules: Rule[]; onChange: (rules: Rule[]) => void }): JSX.Element {
  return (
    <section aria-labelledby="segment-rules-title" class="space-y-3">
      <h3 id="segment-rules-title" class="font-semibold">
        {ts("rules")}
      </h3>
      <Show when={props.rules.length > 0} fallback={<p>{ts("noRules")}</p>}>
        <ul class="space-y-3">
          <Index each={props.rules}>
            {(rule, index) => (
              <li class="space-y-2 rounded-lg border border-stone-300 bg-white p-3">
                <div class="flex flex-wrap items-center justify-between gap-2">
                  <h4 class="font-semibold">{ts(`kinds.${rule().kind}`)}</h4>
                  <Button
                    variant="link"
                    aria-label={ts("removeRule", { rule: ts(`kinds.${rule().kind}`) })}
                    onClick={() => { props.onChange(props.rules.filter((_, at) => at !== index)); }}
                  >
                    ×
                  </Button>
                </div>
                <RuleFields rule={rule()} onChange={(next) => { props.onChange(props.rules.map((item, at) => (at === index ? next : item))); }} />
              </li>
            )}
          </Index>
        </ul>
      </Show>
      <SelectField
        label={ts("addRule")}
        options={[
          { value: "", label: ts("chooseRule") },
          ...availableKinds(props.rules).map((kind) => ({ value: kind, label: ts(`kinds.${kind}`) })),
        ]}
        value=""
        onChange={(value) => {
          const kind = RULE_KINDS.find((item) => item === value);
          if (kind) props.onChange([...props.rules, newRule(kind)]);
        }}
      />
    </section>
  );
}

function SavedSegment(props: { segment: Segment; current: boolean; onOpen: () => void }) {
  const definition = () => props.segment.definition as BuiltDefinition;
  const count = useQuery(() => ({
    queryKey: ["rpc", "preview_segment", definition(), 0],
    queryFn: () => previewSegment(definition(), 0),
  }));
  return (
    <li>
      <Button
        variant={props.current ? "primary" : "secondary"}
        class="w-full text-left"
        aria-current={props.current ? "true" : undefined}
        onClick={() => { props.onOpen(); }}
      >
        {count.data?.count === 1
          ? ts("savedCountOne", { name: props.segment.name })
          : ts("savedCount", { name: props.segment.name, count: count.data ? count.data.count.toLocaleString() : "…" })}
      </Button>
    </li>
  );
}

function LivePreview(props: { definition: BuiltDefinition }) {
  const preview = useQuery(() => ({
    queryKey: ["rpc", "preview_segment", props.definition],
    queryFn: () => previewSegment(props.definition),
    placeholderData: keepPreviousData,
  }));
  return (
    <section aria-labelledby="segment-preview-title" class="space-y-2 rounded-lg border border-stone-300 bg-stone-50 p-3">
      <p role="status" aria-live="polite" class="text-lg font-semibold">
        <Show when={preview.data} fallback={ts("counting")}>
          {(data) => <>{data().count === 1 ? ts("countOne") : ts("count", { count: data().count.toLocaleString() })}</>}
        </Show>
      </p>
      <ErrorAlert code={preview.error ? errorCode(preview.error) : null} />
      <h3 id="segment-preview-title" class="font-semibold">
        {ts("sample")}
      </h3>
      <Show when={(preview.data?.sample.length ?? 0) > 0} fallback={<p>{ts("sampleEmpty")}</p>}>
        <ul class="list-disc ps-6">
          <For each={preview.data?.sample}>
            {(person) => (
              <li>
                <A href={`/crm/contacts/${person.id}`} class="text-teal-900 underline">
                  {displayName(person)}
                </A>
                <Show when={person.company}>{(company) => <span class="text-stone-700"> · {company()}</span>}</Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}

/** Build a segment from rules with a live count and sample, and save, rename or delete it.
 * A saved segment is what blasts send to and what the contacts list opens as a view. */
export default function SegmentBuilder() {
  const queryClient = useQueryClient();
  const segments = useQuery(() => ({ queryKey: ["segments", "list"], queryFn: fetchSegments }));
  const [openId, setOpenId] = createSignal<string | null>(null);
  const [name, setName] = createSignal("");
  const [rules, setRules] = createSignal<Rule[]>([]);
  const [confirming, setConfirming] = createSignal(false);

  const [definition, setDefinition] = createSignal<BuiltDefinition>({});
  createEffect(
    on(rules, (current) => {
      const timer = setTimeout(() => setDefinition(toSegmentDefinition(current)), PREVIEW_DELAY_MS);
      onCleanup(() => { clearTimeout(timer); });
    }),
  );

  const open = (segment: Segment | null) => {
    setOpenId(segment?.id ?? null);
    setName(segment?.name ?? "");
    const saved = segment?.definition;
    setRules(saved && typeof saved === "object" && !Array.isArray(saved) ? fromSegmentDefinition(saved) : []);
    setConfirming(false);
  };

  const save = useMutation(() => ({
    mutationFn: () => writeSegment(openId(), name().trim(), toSegmentDefinition(rules())),
    onSuccess: (id) => {
      setOpenId(id);
      const savedName = name().trim();
      notifySuccess(() => ts("savedNotice", { name: savedName }));
      void queryClient.invalidateQueries({ queryKey: ["segments"] });
    },
  }));
  const remove = useMutation(() => ({
    mutationFn: (id: string) => deleteSegment(id),
    onSuccess: () => {
      const deletedName = name().trim();
      notifySuccess(() => ts("deletedNotice", { name: deletedName }));
      open(null);
      void queryClient.invalidateQueries({ queryKey: ["segments"] });
    },
    onError: () => setConfirming(false),
  }));

  const failure = () => (save.error ? errorCode(save.error) : remove.error ? errorCode(remove.error) : null);
  const openName = () => segments.data?.find((segment) => segment.id === openId())?.name;

  return (
    <RequireStaff min="organizer">
      <div class="space-y-4">
        <h1 class="text-2xl font-bold">{ts("title")}</h1>
        <div class="grid gap-6 lg:grid-cols-[18rem_1fr]">
          <nav aria-labelledby="saved-segments-title" class="space-y-2">
            <h2 id="saved-segments-title" class="text-lg font-semibold">
              {ts("saved")}
            </h2>
            <Button variant="secondary" class="w-full" onClick={() => { open(null); }}>
              {ts("newSegment")}
            </Button>
            <Show when={segments.data} fallback={<p role="status">{tCommon("loading")}</p>}>
              {(list) => (
                <Show when={list().length > 0} fallback={<p>{ts("noneSaved")}</p>}>
                  <ul class="space-y-2">
                    <For each={list()}>
                      {(segment) => (
                        <SavedSegment segment={segment} current={segment.id === openId()} onOpen={() => { open(segment); }} />
                      )}
                    </For>
                  </ul>
                </Show>
              )}
            </Show>
          </nav>
          <section aria-labelledby="segment-editor-title" class="space-y-4">
            <h2 id="segment-editor-title" class="text-lg font-semibold">
              {openName() ? ts("editing", { name: openName() ?? "" }) : ts("building")}
            </h2>
            <TextField label={ts("name")} value={name()} maxlength={200} onInput={(event) => setName(event.currentTarget.value)} />
            <SegmentRules rules={rules()} onChange={setRules} />
            <LivePreview definition={definition()} />
            <ErrorAlert code={failure()} />
            <div class="flex flex-wrap gap-2">
              <Button disabled={save.isPending || name().trim() === ""} onClick={() => { save.mutate(); }}>
                {openId() ? ts("saveChanges") : ts("save")}
              </Button>
              <Show when={openId()}>
                {(id) => (
                  <Show
                    when={confirming()}
                    fallback={
                      <Button variant="secondary" onClick={() => setConfirming(true)}>
                        {ts("delete")}
                      </Button>
                    }
                  >
                    <p class="w-full">{ts("deleteQuestion")}</p>
                    <Button variant="secondary" disabled={remove.isPending} onClick={() => { remove.mutate(id()); }}>
                      {ts("confirmDelete", { name: openName() ?? name() })}
                    </Button>
                    <Button variant="link" onClick={() => setConfirming(false)}>
                      {ts("cancelDelete")}
                    </Button>
                  </Show>
                )}
              </Show>
            </div>
          </section>
        </div>
      </div>
    </RequireStaff>
  );
}
