import { useMutation, useQuery, useQueryClient } from "@tanstack/solid-query";
import { createSignal, For, Show, untrack } from "solid-js";
import { createStore } from "solid-js/store";
import { errorCode } from "../lib/errors";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { notifySuccess } from "../ui/notifications";
import type { Contact } from "./api";
import { tc } from "./contact-messages";
import {
  defaultChoices,
  displayValue,
  fetchDuplicate,
  findDuplicates,
  MERGE_FIELDS,
  mergeInto,
  survivingValues,
  type Duplicate,
  type MergeField,
  type Side,
} from "./merge";
import { displayName } from "./names";

const duplicatesKey = (contactId: string) => ["rpc", "find_duplicate_contacts", contactId] as const;

/** Side by side: for each field, the kept contact's value or the duplicate's; then merge. */
function MergeScreen(props: { kept: Contact; duplicate: Contact; onDone: () => void; onCancel: () => void }) {
  // Starts from the two contacts as opened; the screen is re-created for another pair.
  const [choices, setChoices] = createStore<Record<MergeField, Side>>(untrack(() => defaultChoices(props.kept, props.duplicate)));
  const merge = useMutation(() => ({
    mutationFn: () => mergeInto(props.kept.id, props.duplicate.id, { ...choices }),
    onSuccess: () => {
      notifySuccess(() => tc("merge.merged"));
      props.onDone();
    },
  }));
  const shown = (field: MergeField, value: string | null) => displayValue(field, value) ?? tc("merge.empty");
  const surviving = () => survivingValues(props.kept, props.duplicate, choices);
  return (
    <form
      aria-labelledby="merge-title"
      class="space-y-3 rounded-lg border border-stone-300 bg-white p-3"
      onSubmit={(event) => {
        event.preventDefault();
        merge.mutate();
      }}
    >
      <h3 id="merge-title" class="text-lg font-bold">
        {tc("merge.title")}
      </h3>
      <p>{tc("merge.explain")}</p>
      <div class="grid grid-cols-[minmax(6rem,auto)_1fr_1fr] gap-x-3 gap-y-2" role="presentation">
        <span class="font-semibold">{tc("merge.field")}</span>
        <span class="font-semibold">{tc("merge.keep")}</span>
        <span class="font-semibold">{tc("merge.duplicate")}</span>
        <For each={MERGE_FIELDS}>
          {(field) => (
            <fieldset class="contents">
              <legend class="sr-only">{tc(`merge.fields.${field}`)}</legend>
              <span aria-hidden="true">{tc(`merge.fields.${field}`)}</span>
              <For each={["kept", "duplicate"] as const}>
                {(side) => {
                  const value = () => (side === "kept" ? props.kept[field] : props.duplicate[field]);
                  return (
                    <label class="flex items-center gap-2">
                      <input
                        type="radio"
                        name={`merge-${field}`}
                        checked={choices[field] === side}
                        onChange={() => { setChoices(field, side); }}
                        aria-label={tc(side === "kept" ? "merge.useKept" : "merge.useDuplicate", {
                          field: tc(`merge.fields.${field}`),
                          value: shown(field, value()),
                        })}
                      />
                      <span>{shown(field, value())}</span>
                    </label>
                  );
                }}
              </For>
            </fieldset>
          )}
        </For>
      </div>
      <p aria-live="polite" data-testid="merge-result">
        {tc("merge.result", {
          summary: MERGE_FIELDS.map((field) => displayValue(field, surviving()[field]))
            .filter((value) => value !== null)
            .join(" · "),
        })}
      </p>
      <ErrorAlert code={merge.error ? errorCode(merge.error) : null} />
      <div class="flex flex-wrap gap-2">
        <Button type="submit" disabled={merge.isPending}>
          {merge.isPending ? tc("merge.merging") : tc("merge.submit")}
        </Button>
        <Button variant="secondary" onClick={() => { props.onCancel(); }}>
          {tc("merge.back")}
        </Button>
      </div>
    </form>
  );
}

function Candidate(props: { kept: Contact; duplicate: Duplicate; onMerged: () => void }) {
  const [open, setOpen] = createSignal(false);
  const full = useQuery(() => ({
    queryKey: ["contacts", props.duplicate.contact_id],
    queryFn: () => fetchDuplicate(props.duplicate.contact_id),
    enabled: open(),
  }));
  return (
    <li class="space-y-2">
      <p>
        <span class="font-semibold">{displayName(props.duplicate)}</span> — {tc(`duplicates.reason.${props.duplicate.reason}`)}
      </p>
      <Show
        when={open() && full.data}
        fallback={
          <Button variant="secondary" onClick={() => setOpen(true)}>
            {tc("duplicates.compare", { name: displayName(props.duplicate) })}
          </Button>
        }
      >
        {(duplicate) => <MergeScreen kept={props.kept} duplicate={duplicate()} onDone={props.onMerged} onCancel={() => setOpen(false)} />}
      </Show>
      <ErrorAlert code={full.error ? errorCode(full.error) : null} />
    </li>
  );
}

/** Organizers: people who are probably this contact too, each with a side-by-side merge. */
export function Duplicates(props: { contact: Contact }) {
  const queryClient = useQueryClient();
  const duplicates = useQuery(() => ({ queryKey: duplicatesKey(props.contact.id), queryFn: () => findDuplicates(props.contact.id) }));
  const merged = () => {
    for (const queryKey of [duplicatesKey(props.contact.id), ["contacts", props.contact.id], ["rpc", "contact_activity", props.contact.id]]) {
      void queryClient.invalidateQueries({ queryKey });
    }
  };
  return (
    <section aria-labelledby="duplicates-title" class="space-y-2">
      <h2 id="duplicates-title" class="text-xl font-bold">
        {tc("duplicates.title")}
      </h2>
      <ErrorAlert code={duplicates.error ? errorCode(duplicates.error) : null} />
      <Show when={(duplicates.data?.length ?? 0) > 0} fallback={<Show when={duplicates.data}><p>{tc("duplicates.none")}</p></Show>}>
        <ul class="space-y-3">
          <For each={duplicates.data}>{(duplicate) => <Candidate kept={props.contact} duplicate={duplicate} onMerged={merged} />}</For>
        </ul>
      </Show>
    </section>
  );
}
