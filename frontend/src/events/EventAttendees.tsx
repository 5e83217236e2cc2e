import { A, useParams } from "@solidjs/router";
import { Show } from "solid-js";
import { download, toCsv } from "../crm/csv";
import { formatDateTime } from "../lib/dates";
import { locale, pluralForm } from "../lib/i18n";
import { createLiveQuery } from "../lib/liveQuery";
import { invalidateOnChanges } from "../lib/realtime";
import { RequireStaff } from "../staff/RequireStaff";
import { Button } from "../ui/Button";
import { DataTable, type Column } from "../ui/DataTable";
import { eventKeys, fetchAttendees, fetchEventSummary, type Attendee, type EventSummary } from "./api";
import { DataBlock } from "../ui/DataBlock";
import { EventVolunteers } from "./EventVolunteers";
import { ATTENDEE_CSV_COLUMNS, attendeeCsvRows, countAttendees, displayName } from "./logic";
import { RsvpPasses } from "./RsvpPasses";
import { t } from "./t";

const LINK = "font-medium text-teal-800 underline";

function CheckInState(props: { attendee: Attendee; timeZone: string }) {
  return (
    <Show when={props.attendee.checked_in_at} fallback={t("attendees.notIn")}>
      {(when) => t("attendees.checkedIn", { when: formatDateTime(when(), props.timeZone, locale()) })}
    </Show>
  );
}

function AttendeeTables(props: { event: EventSummary; attendees: Attendee[] }) {
  const counts = () => countAttendees(props.attendees);
  const summary = () => {
    const { rsvps, checkedIn, walkIns } = counts();
    const form = (count: number) => pluralForm(locale(), count);
    return [
      t(`attendees.rsvps.${form(rsvps)}`, { count: rsvps }),
      t(`attendees.checkedInCount.${form(checkedIn)}`, { count: checkedIn }),
      t(`attendees.walkIns.${form(walkIns)}`, { count: walkIns }),
    ].join(" · ");
  };
  const rsvps = () => props.attendees.filter((attendee) => attendee.rsvp_at !== null);
  const when = (iso: string) => formatDateTime(iso, props.event.org_time_zone, locale());
  const name = (attendee: Attendee) => displayName(attendee) ?? t("unnamed");
  // The RSVP table shows the first three; the full list adds whether it was a first visit.
  const columns = (): Column<Attendee>[] => [
    {
      header: t("attendees.columns.name"),
      rowHeader: true,
      cell: (attendee) => (
        <A href={`/crm/contacts/${attendee.contact_id}`} class={LINK}>
          {name(attendee)}
        </A>
      ),
    },
    {
      header: t("attendees.columns.rsvp"),
      cell: (attendee) => (attendee.rsvp_at ? t("attendees.rsvpd", { when: when(attendee.rsvp_at) }) : t("attendees.walkIn")),
    },
    {
      header: t("attendees.columns.checkIn"),
      cell: (attendee) => <CheckInState attendee={attendee} timeZone={props.event.org_time_zone} />,
    },
    {
      header: t("attendees.columns.visit"),
      cell: (attendee) => (attendee.first_timer ? t("attendees.firstTimer") : t("attendees.returning")),
    },
  ];
  const exportCsv = () => {
    download(toCsv(attendeeCsvRows(props.attendees), ATTENDEE_CSV_COLUMNS), `${props.event.slug}-attendees.csv`);
  };
  return (
    <>
      <div class="flex flex-wrap items-center justify-between gap-3">
        <p role="status" data-testid="attendee-summary">{summary()}</p>
        <Button variant="secondary" disabled={props.attendees.length === 0} onClick={exportCsv}>
          {t("attendees.export")}
        </Button>
      </div>
      <section class="space-y-2" aria-labelledby="rsvps-title">
        <h2 id="rsvps-title" class="text-xl font-semibold">{t("attendees.rsvpTitle")}</h2>
        <DataBlock data={rsvps()} isEmpty={(list) => list.length === 0} empty={t("attendees.noRsvps")}>
          {(list) => (
            <DataTable
              caption={t("attendees.rsvpTitle")}
              captionHidden
              regionLabel={t("attendees.rsvpTable", { name: props.event.name })}
              columns={columns().slice(0, 3)}
              rows={list()}
            />
          )}
        </DataBlock>
      </section>
      <section class="space-y-2" aria-labelledby="everyone-title">
        <h2 id="everyone-title" class="text-xl font-semibold">{t("attendees.listTitle")}</h2>
        <DataBlock data={props.attendees} isEmpty={(list) => list.length === 0} empty={t("attendees.none")}>
          {(list) => (
            <DataTable
              caption={t("attendees.listTitle")}
              captionHidden
              regionLabel={t("attendees.table", { name: props.event.name })}
              columns={columns()}
              rows={list()}
            />
          )}
        </DataBlock>
      </section>
    </>
  );
}

function AttendeesScreen() {
  const params = useParams<{ id: string }>();
  const event = createLiveQuery(() => ({ queryKey: [...eventKeys.overview(), params.id], queryFn: () => fetchEventSummary(params.id) }));
  const attendees = createLiveQuery(() => ({ queryKey: eventKeys.attendees(params.id), queryFn: () => fetchAttendees(params.id) }));
  // Check-ins and RSVPs at this event refetch the list, its counts and the pass summary.
  const stale = [eventKeys.attendees(params.id), eventKeys.passSummary(params.id), [...eventKeys.overview(), params.id]];
  invalidateOnChanges({ table: "check_ins", filter: `event_id=eq.${params.id}`, queryKeys: stale });
  invalidateOnChanges({ table: "event_rsvps", filter: `event_id=eq.${params.id}`, queryKeys: stale });
  const loaded = () => {
    const current = event().data;
    const list = attendees().data;
    return current && list ? { event: current, attendees: list } : undefined;
  };
  const over = () => Date.parse(event().data?.ends_at ?? "") <= Date.now();
  return (
    <section class="space-y-4">
      <h1 class="text-2xl font-bold">{t("attendees.title", { name: event().data?.name ?? "" })}</h1>
      <Show when={event().data}>
        {(current) => (
          <p>
            {formatDateTime(current().starts_at, current().org_time_zone, locale())}
            <Show when={current().venue}> · {current().venue}</Show>
          </p>
        )}
      </Show>
      <div class="flex flex-wrap gap-4">
        <A href={`/events/${params.id}/live`} class={LINK}>{t("attendees.live")}</A>
        <A href={`/events/${params.id}/edit`} class={LINK}>{t("attendees.edit")}</A>
        <A href={`/crm/import?event=${params.id}`} class={LINK}>{t("attendees.importRsvps")}</A>
        <Show when={event().data?.published && !over()}>
          <A href={`/e/${event().data?.slug ?? ""}/rsvp`} class={LINK}>{t("attendees.rsvpPage")}</A>
        </Show>
      </div>
      <Show when={event().data}>
        <RsvpPasses eventId={params.id} over={over()} />
      </Show>
      <EventVolunteers eventId={params.id} />
      <DataBlock data={loaded()} error={event().error ?? attendees().error}>
        {(both) => <AttendeeTables event={both().event} attendees={both().attendees} />}
      </DataBlock>
    </section>
  );
}

export default function EventAttendees() {
  return (
    <RequireStaff min="organizer">
      <AttendeesScreen />
    </RequireStaff>
  );
}
