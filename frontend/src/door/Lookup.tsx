import { keepPreviousData } from "@tanstack/solid-query";
import { createSignal, For, onMount, Show } from "solid-js";
import { formatTime } from "../lib/dates";
import { errorCode } from "../lib/errors";
import { locale } from "../lib/i18n";
import { createLiveQuery } from "../lib/liveQuery";
import { ErrorAlert } from "../ui/ErrorAlert";
import { findAttendees, type FoundAttendee } from "./api";
import { doorKeys } from "./keys";
import { lookupQuery, type ToE164 } from "./lookup-query";
import { t } from "./t";

const fullName = (person: FoundAttendee) => [person.first_name, person.last_name].filter(Boolean).join(" ");

/** Lookup by phone (exact) or name (prefix) as the volunteer types; shows only the door
 * minimum find_attendees returns (name, pronouns, company, whether already in). */
export function Lookup(props: { eventId: string; timeZone: string; onPick: (person: FoundAttendee) => void }) {
  const [query, setQuery] = createSignal("");
  const [toE164, setToE164] = createSignal<ToE164>();
  onMount(() => {
    void import("../lib/phone").then((phone) => setToE164(() => phone.toE164));
  });
  const sent = () => lookupQuery(query(), toE164());
  // Live: a check-in at the door invalidates these results while they are on screen.
  const found = createLiveQuery(() => ({
    queryKey: doorKeys.lookup(props.eventId, sent() ?? ""),
    queryFn: () => findAttendees(props.eventId, sent() ?? ""),
    enabled: sent() !== null,
    placeholderData: keepPreviousData,
    staleTime: 5_000,
  }));
  return (
    <section aria-labelledby="lookup-title" class="space-y-3">
      <h2 id="lookup-title" class="text-xl font-bold">
        {t("lookup.title")}
      </h2>
      <div class="flex flex-col gap-1">
        <label for="door-lookup" class="font-medium">
          {t("lookup.label")}
        </label>
        <input
          id="door-lookup"
          type="search"
          autocomplete="off"
          aria-describedby="door-lookup-hint"
          class="min-h-12 rounded-lg border border-stone-500 px-3 text-lg"
          value={query()}
          onInput={(event) => setQuery(event.currentTarget.value)}
        />
        <p id="door-lookup-hint" class="text-sm text-stone-700">
          {t("lookup.hint")}
        </p>
      </div>
      <Show when={found().error}>
        <ErrorAlert code={errorCode(found().error)} />
      </Show>
      <Show when={sent() !== null && found().data}>
        {(people) => (
          <div aria-live="polite">
            <Show when={people().length > 0} fallback={<p>{t("lookup.none")}</p>}>
              <p class="sr-only">{t("lookup.results", { count: String(people().length) })}</p>
              <ul class="divide-y divide-stone-200 rounded-lg border border-stone-300" data-testid="lookup-results">
                <For each={people()}>
                  {(person) => (
                    <li class="flex flex-wrap items-center justify-between gap-2 p-3">
                      <div>
                        <p class="font-semibold">
                          {fullName(person)}
                          <Show when={person.pronouns}>
                            <span class="font-normal text-stone-700"> ({person.pronouns})</span>
                          </Show>
                        </p>
                        <p class="text-sm text-stone-700">
                          {person.company}
                          <Show when={person.checked_in_at}>
                            {(at) => <> · {t("lookup.checkedInAt", { time: formatTime(at(), props.timeZone, locale()) })}</>}
                          </Show>
                        </p>
                      </div>
                      <button
                        type="button"
                        class="min-h-12 rounded-lg bg-teal-800 px-4 font-semibold text-white hover:bg-teal-900"
                        onClick={() => {
                          props.onPick(person);
                        }}
                      >
                        {t("lookup.checkIn", { name: fullName(person) })}
                      </button>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </div>
        )}
      </Show>
    </section>
  );
}
