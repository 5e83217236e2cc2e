import { A, useParams } from "@solidjs/router";
import { keepPreviousData, useMutation, useQueryClient, type InfiniteData } from "@tanstack/solid-query";
import { createEffect, createSignal, on, Show, type Accessor } from "solid-js";
import { download, toCsv } from "../crm/csv";
import { SelectField } from "../crm/SelectField";
import { formatDateTime } from "../lib/dates";
import { createDebounced } from "../lib/debounce";
import { errorCode } from "../lib/errors";
import { locale, pluralForm } from "../lib/i18n";
import { createLiveInfiniteQuery, createLiveQuery } from "../lib/liveQuery";
import { invalidateOnChanges } from "../lib/realtime";
import { RequireStaff } from "../staff/RequireStaff";
import { Button } from "../ui/Button";
import { DataBlock } from "../ui/DataBlock";
import { DataTable, type Column } from "../ui/DataTable";
import { ErrorAlert } from "../ui/ErrorAlert";
import { TextField } from "../ui/TextField";
import {
  eventKeys,
  fetchAllAttendees,
  fetchAttendeeCounts,
  fetchAttendeePage,
  fetchEventSummary,
  type Attendee,
  type AttendeeCounts,
  type AttendeeFilters,
  type AttendeePageRow,
  type EventSummary,
} from "./api";
import { EventVolunteers } from "./EventVolunteers";
import {
  ATTENDEE_CSV_COLUMNS,
  attendanceFilter,
  attendeeCsvRows,
  attendeeListOnChange,
  checkedInFilter,
  displayName,
  nextPageCursor,
} from "./logic";
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

const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 300;

/** The event's totals, whatever the filters. */
function AttendeeSummary(props: { counts: AttendeeCounts }) {
  const text = () => {
    const form = (count: number) => pluralForm(locale(), count);
    const { rsvps, checked_in: checkedIn, walk_ins: walkIns } = props.counts;
    return [
      t(`attendees.rsvps.${form(rsvps)}`, { count: rsvps }),
      t(`attendees.checkedInCount.${form(checkedIn)}`, { count: checkedIn }),
      t(`attendees.walkIns.${form(walkIns)}`, { count: walkIns }),
    ].join(" · ");
  };
  return <p role="status" data-testid="attendee-summary">{text()}</p>;
}

/** Everyone in the CSV, read on demand: never just the pages on screen. */
function ExportButton(props: { event: EventSummary }) {
  const exportAll = useMutation(() => ({
    mutationFn: () => fetchAllAttendees(props.event.id),
    onSuccess: (everyone: Attendee[]) => {
      download(toCsv(attendeeCsvRows(everyone), ATTENDEE_CSV_COLUMNS), `${props.event.slug}-attendees.csv`);
    },
  }));
  return (
    <div class="space-y-2">
      <Button variant="secondary" disabled={exportAll.isPending} onClick={() => { exportAll.mutate(); }}>
        {exportAll.isPending ? t("attendees.exporting") : t("attendees.export")}
      </Button>
      <ErrorAlert code={exportAll.error ? errorCode(exportAll.error) : null} />
    </div>
  );
}

/**
 * The list a page at a time, filtered and searched by the server; "Show more" reads the next page.
 * `changes` ticks on each Realtime check-in or RSVP at the event: see attendeeListOnChange.
 */
function AttendeeList(props: { event: EventSummary; changes: Accessor<number> }) {
  const client = useQueryClient();
  const [attendance, setAttendance] = createSignal("");
  const [checkIn, setCheckIn] = createSignal("");
  const [typed, setTyped] = createSignal("");
  // The list follows the search box after a short pause; a cleared box applies at once.
  const search = createDebounced(() => (typed().trim() === "" ? "" : typed()), SEARCH_DELAY_MS, {
    immediately: (value) => value === "",
  });
  const filters = (): AttendeeFilters => ({
    attendance: attendanceFilter(attendance()),
    checkedIn: checkedInFilter(checkIn()),
    search: search(),
  });
  const pagesKey = () => [...eventKeys.attendeePages(props.event.id), filters()];
  const pages = createLiveInfiniteQuery(() => ({
    queryKey: pagesKey(),
    queryFn: ({ pageParam }) => fetchAttendeePage(props.event.id, filters(), pageParam, PAGE_SIZE),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => nextPageCursor(last, PAGE_SIZE),
    // Changing a filter keeps the rows shown until the new first page arrives.
    placeholderData: keepPreviousData,
  }));
  const counts = createLiveQuery(() => ({
    queryKey: [...eventKeys.attendeeCounts(props.event.id), filters()],
    queryFn: () => fetchAttendeeCounts(props.event.id, filters()),
    placeholderData: keepPreviousData,
  }));
  // Pages read before a change, kept as they were read rather than each read again.
  const [behind, setBehind] = createSignal(false);
  createEffect(
    on(() => props.changes(), () => {
      if (attendeeListOnChange(pages().data?.pages.length ?? 0) === "refetch") void pages().refetch();
      else setBehind(true);
    }, { defer: true }),
  );
  createEffect(on(filters, () => setBehind(false), { defer: true }));
  const showLatest = () => {
    // Page one only, read again; the pages after it come again through "Show more".
    client.setQueryData<InfiniteData<AttendeePageRow[], string | null>>(pagesKey(), (data) =>
      data ? { pages: data.pages.slice(0, 1), pageParams: data.pageParams.slice(0, 1) } : data,
    );
    setBehind(false);
    void pages().refetch();
  };
  const rows = () => pages().data?.pages.flat();
  const filtered = () => filters().attendance !== null || filters().checkedIn !== null || filters().search.trim() !== "";
  const when = (iso: string) => formatDateTime(iso, props.event.org_time_zone, locale());
  const name = (attendee: Attendee) => displayName(attendee) ?? t("unnamed");
  const columns = (): Column<AttendeePageRow>[] => [
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
  const showing = () => {
    const shown = rows()?.length ?? 0;
    const total = counts().data?.matching ?? shown;
    return t(`attendees.showing.${pluralForm(locale(), shown)}`, { count: shown, total });
  };
  return (
    <section class="space-y-3" aria-labelledby="people-title">
      <div class="flex flex-wrap items-center justify-between gap-3">
        <h2 id="people-title" class="text-xl font-semibold">{t("attendees.listTitle")}</h2>
        <Show when={counts().data}>{(current) => <AttendeeSummary counts={current()} />}</Show>
      </div>
      <ExportButton event={props.event} />
      <div class="flex flex-wrap items-end gap-3">
        <SelectField
          label={t("attendees.filters.attendance")}
          value={attendance()}
          onChange={setAttendance}
          options={[
            { value: "", label: t("attendees.filters.everyone") },
            { value: "rsvp", label: t("attendees.filters.rsvp") },
            { value: "walk_in", label: t("attendees.filters.walkIn") },
          ]}
        />
        <SelectField
          label={t("attendees.filters.checkIn")}
          value={checkIn()}
          onChange={setCheckIn}
          options={[
            { value: "", label: t("attendees.filters.either") },
            { value: "in", label: t("attendees.filters.in") },
            { value: "out", label: t("attendees.filters.out") },
          ]}
        />
        <TextField
          type="search"
          class="grow"
          label={t("attendees.filters.search")}
          value={typed()}
          onInput={(event) => setTyped(event.currentTarget.value)}
        />
      </div>
      <DataBlock
        data={rows()}
        error={pages().error ?? counts().error}
        isEmpty={(list) => list.length === 0}
        empty={filtered() ? t("attendees.noMatch") : t("attendees.none")}
      >
        {(list) => (
          <>
            {/* Above the list: the newest arrivals go on top, where the organizer is looking. */}
            <Show when={behind()}>
              <div class="flex flex-wrap items-center gap-3">
                <p role="status">{t("attendees.behind")}</p>
                <Button variant="secondary" onClick={showLatest}>{t("attendees.latest")}</Button>
              </div>
            </Show>
            <DataTable
              caption={t("attendees.listTitle")}
              captionHidden
              regionLabel={t("attendees.table", { name: props.event.name })}
              columns={columns()}
              rows={list()}
            />
            <p role="status" data-testid="attendee-showing">{showing()}</p>
            {/* Behind, a next page would join two reads of a list that moved: a gap or a repeat. */}
            <Show when={pages().hasNextPage && !behind()}>
              <Button variant="secondary" disabled={pages().isFetchingNextPage} onClick={() => void pages().fetchNextPage()}>
                {pages().isFetchingNextPage ? t("attendees.loadingMore") : t("attendees.more")}
              </Button>
            </Show>
          </>
        )}
      </DataBlock>
    </section>
  );
}

function AttendeesScreen() {
  const params = useParams<{ id: string }>();
  const event = createLiveQuery(() => ({ queryKey: [...eventKeys.overview(), params.id], queryFn: () => fetchEventSummary(params.id) }));
  // Check-ins and RSVPs at this event refetch the counts and the pass summary; the list's pages
  // are the list's to refresh (one request, not one per loaded page).
  const stale = [eventKeys.attendeeCounts(params.id), eventKeys.passSummary(params.id), [...eventKeys.overview(), params.id]];
  const [changes, setChanges] = createSignal(0);
  const changed = () => setChanges((count) => count + 1);
  invalidateOnChanges({ table: "check_ins", filter: `event_id=eq.${params.id}`, queryKeys: stale, onChange: changed });
  invalidateOnChanges({ table: "event_rsvps", filter: `event_id=eq.${params.id}`, queryKeys: stale, onChange: changed });
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
      <DataBlock data={event().data} error={event().error}>
        {(current) => <AttendeeList event={current()} changes={changes} />}
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
