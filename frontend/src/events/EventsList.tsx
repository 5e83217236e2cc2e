import { A } from "@solidjs/router";
import { Show } from "solid-js";
import { formatDateTime } from "../lib/dates";
import { locale } from "../lib/i18n";
import { createLiveQuery } from "../lib/liveQuery";
import { invalidateOnChanges } from "../lib/realtime";
import { RequireStaff } from "../staff/RequireStaff";
import { DataTable, type Column } from "../ui/DataTable";
import { eventKeys, fetchEventOverview, type EventSummary } from "./api";
import { DataBlock } from "../ui/DataBlock";
import { splitByTime } from "./logic";
import { t } from "./t";

const LINK = "font-medium text-teal-800 underline";

function eventColumns(): Column<EventSummary>[] {
  return [
    {
      header: t("list.columns.name"),
      rowHeader: true,
      cell: (event) => (
        <>
          <A href={`/events/${event.id}`} class={LINK}>
            {event.name}
          </A>
          <Show when={!event.published}>
            <span class="ml-2 rounded bg-stone-200 px-2 py-0.5 text-sm">{t("list.draft")}</span>
          </Show>
        </>
      ),
    },
    { header: t("list.columns.when"), cell: (event) => formatDateTime(event.starts_at, event.org_time_zone, locale()) },
    { header: t("list.columns.venue"), cell: (event) => event.venue ?? "" },
    {
      header: t("list.columns.rsvps"),
      cell: (event) =>
        event.capacity === null ? event.rsvp_count : t("list.rsvpsOf", { count: event.rsvp_count, capacity: event.capacity }),
    },
    { header: t("list.columns.checkIns"), cell: (event) => event.check_in_count },
    {
      header: t("list.columns.actions"),
      class: "space-x-3 whitespace-nowrap",
      cell: (event) => (
        <>
          <A href={`/events/${event.id}/live`} class={LINK}>
            {t("list.live")}
          </A>
          <A href={`/events/${event.id}/edit`} class={LINK}>
            {t("list.edit")}
          </A>
        </>
      ),
    },
  ];
}

function EventsTable(props: { section: string; events: EventSummary[]; empty: string }) {
  const title = () => (props.section === "upcoming" ? t("list.upcoming") : t("list.past"));
  return (
    <section class="space-y-2" aria-labelledby={`events-${props.section}`}>
      <h2 id={`events-${props.section}`} class="text-xl font-semibold">
        {title()}
      </h2>
      <DataBlock data={props.events} isEmpty={(events) => events.length === 0} empty={props.empty}>
        {(events) => (
          <DataTable
            caption={title()}
            captionHidden
            regionLabel={t("list.table", { section: title() })}
            columns={eventColumns()}
            rows={events()}
          />
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
