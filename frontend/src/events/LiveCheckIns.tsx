import { A, useParams } from "@solidjs/router";
import { For, Show } from "solid-js";
import { formatTime } from "../lib/dates";
import { errorCode } from "../lib/errors";
import { locale, tCommon } from "../lib/i18n";
import { createLiveQuery } from "../lib/liveQuery";
import { invalidateOnChanges } from "../lib/realtime";
import { RequireStaff } from "../staff/RequireStaff";
import { ErrorAlert } from "../ui/ErrorAlert";
import { eventKeys, fetchAttendeePage, fetchCheckInCount, fetchEventSummary } from "./api";
import { displayName } from "./logic";
import { t } from "./t";

const SHOWN_ARRIVALS = 20;

function LiveScreen() {
  const params = useParams<{ id: string }>();
  const event = createLiveQuery(() => ({ queryKey: [...eventKeys.overview(), params.id], queryFn: () => fetchEventSummary(params.id) }));
  const count = createLiveQuery(() => ({ queryKey: eventKeys.checkInCount(params.id), queryFn: () => fetchCheckInCount(params.id) }));
  // The first page of the people checked in: the list's order puts the latest arrival first.
  const attendees = createLiveQuery(() => ({
    queryKey: [...eventKeys.attendeePages(params.id), "latest arrivals"],
    queryFn: () => fetchAttendeePage(params.id, { attendance: null, checkedIn: true, search: "" }, null, SHOWN_ARRIVALS),
  }));
  // Each check-in at this event refetches the count and the arrivals: Realtime only wakes.
  invalidateOnChanges({
    table: "check_ins",
    filter: `event_id=eq.${params.id}`,
    queryKeys: [eventKeys.checkInCount(params.id), eventKeys.attendeePages(params.id)],
  });
  const arrivals = () => attendees().data ?? [];
  const timeZone = () => event().data?.org_time_zone ?? "UTC";
  const failure = () => event().error ?? count().error ?? attendees().error;
  return (
    <section class="space-y-6">
      <h1 class="text-2xl font-bold">{t("live.title", { name: event().data?.name ?? "" })}</h1>
      <p>
        <A href={`/events/${params.id}`} class="font-medium text-teal-800 underline">{t("live.back")}</A>
      </p>
      <Show when={failure()}>
        <ErrorAlert code={errorCode(failure())} />
      </Show>
      <div class="rounded-xl border border-stone-300 bg-white p-6 text-center">
        <p id="live-count-label" class="text-lg font-medium">{t("live.count")}</p>
        <p role="status" aria-labelledby="live-count-label" class="text-6xl font-bold tabular-nums" data-testid="live-count">
          {count().data ?? tCommon("loading")}
        </p>
      </div>
      <section class="space-y-2" aria-labelledby="arrivals-title">
        <h2 id="arrivals-title" class="text-xl font-semibold">{t("live.recent")}</h2>
        <Show when={attendees().data} fallback={<Show when={!failure()}><p>{tCommon("loading")}</p></Show>}>
          <Show when={arrivals().length > 0} fallback={<p>{t("live.none")}</p>}>
            <ol class="space-y-1">
              <For each={arrivals()}>
                {(arrival) => (
                  <li class="rounded border-l-4 border-teal-700 bg-stone-50 p-2">
                    {t("live.arrived", {
                      name: displayName(arrival) ?? t("unnamed"),
                      when: formatTime(arrival.checked_in_at ?? "", timeZone(), locale()),
                    })}
                  </li>
                )}
              </For>
            </ol>
          </Show>
        </Show>
      </section>
    </section>
  );
}

export default function LiveCheckIns() {
  return (
    <RequireStaff min="organizer">
      <LiveScreen />
    </RequireStaff>
  );
}
