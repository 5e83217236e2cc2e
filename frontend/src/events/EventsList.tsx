import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import { formatDateTime } from "../lib/dates";
import { locale } from "../lib/i18n";
import { createLiveQuery } from "../lib/liveQuery";
import { invalidateOnChanges } from "../lib/realtime";
import { RequireStaff } from "../staff/RequireStaff";
import { eventKeys, fetchEventOverview, type EventSummary } from "./api";
import { DataBlock } from "./DataBlock";
import { splitByTime } from "./logic";
import { t } from "./t";

const LINK = "font-medium text-teal-800 underline";

function EventsTable(props: { section: string; events: EventSummary[]; empty: string }) {
  return (
    <section class="space-y-2" aria-labelledby={`events-${props.section}`}>
      <h2 id={`events-${props.section}`} class="text-xl font-semibold">
        {props.section === "upcoming" ? t("list.upcoming") : t("list.past")}
      </h2>
      <DataBlock data={props.events} isEmpty={(events) => events.length === 0} empty={props.empty}>
        {(events) => (
          <div class="overflow-x-auto" tabindex="0" role="region" aria-label={t("list.table", { section: props.section === "upcoming" ? t("list.upcoming") : t("list.past") })}>
            <table class="w-full border-collapse text-left">
              <thead>
                <tr class="border-b border-stone-400">
                  <th scope="col" class="p-2">{t("list.columns.name")}</th>
                  <th scope="col" class="p-2">{t("list.columns.when")}</th>
                  <th scope="col" class="p-2">{t("list.columns.venue")}</th>
                  <th scope="col" class="p-2">{t("list.columns.rsvps")}</th>
                  <th scope="col" class="p-2">{t("list.columns.checkIns")}</th>
                  <th scope="col" class="p-2">{t("list.columns.actions")}</th>
                </tr>
              </thead>
              <tbody>
                <For each={events()}>
                  {(event) => (
                    <tr class="border-b border-stone-200">
                      <td class="p-2">
                        <A href={`/events/${event.id}`} class={LINK}>
                          {event.name}
                        </A>
                        <Show when={!event.published}>
                          <span class="ml-2 rounded bg-stone-200 px-2 py-0.5 text-sm">{t("list.draft")}</span>
                        </Show>
                      </td>
                      <td class="p-2">{formatDateTime(event.starts_at, event.org_time_zone, locale())}</td>
                      <td class="p-2">{event.venue ?? ""}</td>
                      <td class="p-2" data-testid="rsvp-count">
                        {event.capacity === null
                          ? event.rsvp_count
                          : t("list.rsvpsOf", { count: event.rsvp_count, capacity: event.capacity })}
                      </td>
                      <td class="p-2">{event.check_in_count}</td>
                      <td class="space-x-3 p-2 whitespace-nowrap">
                        <A href={`/events/${event.id}/live`} class={LINK}>
                          {t("list.live")}
                        </A>
                        <A href={`/events/${event.id}/edit`} class={LINK}>
                          {t("list.edit")}
                        </A>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        )}
      </DataBlock>
    </section>
  );
}

function EventsScreen() {
  const events = createLiveQuery(() => ({ queryKey: eventKeys.overview(), queryFn: fetchEventOverview }));
  // New check-ins and RSVPs change the counts: Realtime wakes the list, which refetches.
  invalidateOnChanges({ table: "check_ins", queryKeys: [eventKeys.overview()] });
  invalidateOnChanges({ table: "event_rsvps", queryKeys: [eventKeys.overview()] });
  return (
    <section class="space-y-6">
      <div class="flex flex-wrap items-center justify-between gap-3">
        <h1 class="text-2xl font-bold">{t("list.title")}</h1>
        <A href="/events/new" class="min-h-12 rounded-lg bg-teal-800 px-5 py-3 font-semibold text-white hover:bg-teal-900">
          {t("list.new")}
        </A>
      </div>
      <DataBlock data={events().data} error={events().error}>
        {(loaded) => {
          const split = () => splitByTime(loaded(), new Date());
          return (
            <>
              <EventsTable section="upcoming" events={split().upcoming} empty={t("list.noneUpcoming")} />
              <EventsTable section="past" events={split().past} empty={t("list.nonePast")} />
            </>
          );
        }}
      </DataBlock>
    </section>
  );
}

export default function EventsList() {
  return (
    <RequireStaff min="organizer">
      <EventsScreen />
    </RequireStaff>
  );
}
