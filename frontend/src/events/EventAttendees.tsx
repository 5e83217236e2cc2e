import { A, useParams } from "@solidjs/router";
import { useQuery } from "@tanstack/solid-query";
import { For, Show } from "solid-js";
import { formatDateTime } from "../lib/dates";
import { errorCode } from "../lib/errors";
import { locale, tCommon } from "../lib/i18n";
import { invalidateOnChanges } from "../lib/realtime";
import { RequireStaff } from "../staff/RequireStaff";
import { ErrorAlert } from "../ui/ErrorAlert";
import { eventKeys, fetchAttendees, fetchEventSummary, type Attendee, type EventSummary } from "./api";
import { EventVolunteers } from "./EventVolunteers";
import { countAttendees, displayName } from "./logic";
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
  const rsvps = () => props.attendees.filter((attendee) => attendee.rsvp_at !== null);
  const when = (iso: string) => formatDateTime(iso, props.event.org_time_zone, locale());
  const name = (attendee: Attendee) => displayName(attendee) ?? t("unnamed");
  return (
    <>
      <p role="status">{t("attendees.summary", { ...counts() })}</p>
      <section class="space-y-2" aria-labelledby="rsvps-title">
        <h2 id="rsvps-title" class="text-xl font-semibold">{t("attendees.rsvpTitle")}</h2>
        <Show when={rsvps().length > 0} fallback={<p>{t("attendees.noRsvps")}</p>}>
          <div class="overflow-x-auto" tabindex="0" role="region" aria-label={t("attendees.rsvpTable", { name: props.event.name })}>
            <table class="w-full border-collapse text-left">
              <thead>
                <tr class="border-b border-stone-400">
                  <th scope="col" class="p-2">{t("attendees.columns.name")}</th>
                  <th scope="col" class="p-2">{t("attendees.columns.rsvp")}</th>
                  <th scope="col" class="p-2">{t("attendees.columns.checkIn")}</th>
                </tr>
              </thead>
              <tbody>
                <For each={rsvps()}>
                  {(attendee) => (
                    <tr class="border-b border-stone-200">
                      <td class="p-2">
                        <A href={`/crm/contacts/${attendee.contact_id}`} class={LINK}>{name(attendee)}</A>
                      </td>
                      <td class="p-2">{t("attendees.rsvpd", { when: when(attendee.rsvp_at ?? "") })}</td>
                      <td class="p-2"><CheckInState attendee={attendee} timeZone={props.event.org_time_zone} /></td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </Show>
      </section>
      <section class="space-y-2" aria-labelledby="everyone-title">
        <h2 id="everyone-title" class="text-xl font-semibold">{t("attendees.listTitle")}</h2>
        <Show when={props.attendees.length > 0} fallback={<p>{t("attendees.none")}</p>}>
          <div class="overflow-x-auto" tabindex="0" role="region" aria-label={t("attendees.table", { name: props.event.name })}>
            <table class="w-full border-collapse text-left">
              <thead>
                <tr class="border-b border-stone-400">
                  <th scope="col" class="p-2">{t("attendees.columns.name")}</th>
                  <th scope="col" class="p-2">{t("attendees.columns.rsvp")}</th>
                  <th scope="col" class="p-2">{t("attendees.columns.checkIn")}</th>
                  <th scope="col" class="p-2">{t("attendees.columns.visit")}</th>
                </tr>
              </thead>
              <tbody>
                <For each={props.attendees}>
                  {(attendee) => (
                    <tr class="border-b border-stone-200">
                      <td class="p-2">
                        <A href={`/crm/contacts/${attendee.contact_id}`} class={LINK}>{name(attendee)}</A>
                      </td>
                      <td class="p-2">{attendee.rsvp_at ? t("attendees.rsvpd", { when: when(attendee.rsvp_at) }) : t("attendees.walkIn")}</td>
                      <td class="p-2"><CheckInState attendee={attendee} timeZone={props.event.org_time_zone} /></td>
                      <td class="p-2">{attendee.first_timer ? t("attendees.firstTimer") : t("attendees.returning")}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </Show>
      </section>
    </>
  );
}

function AttendeesScreen() {
  const params = useParams<{ id: string }>();
  const event = useQuery(() => ({ queryKey: [...eventKeys.overview(), params.id], queryFn: () => fetchEventSummary(params.id) }));
  const attendees = useQuery(() => ({ queryKey: eventKeys.attendees(params.id), queryFn: () => fetchAttendees(params.id) }));
  invalidateOnChanges({ table: "check_ins", filter: `event_id=eq.${params.id}`, queryKeys: [eventKeys.attendees(params.id)] });
  const failure = () => event.error ?? attendees.error;
  return (
    <section class="space-y-4">
      <h1 class="text-2xl font-bold">{t("attendees.title", { name: event.data?.name ?? "" })}</h1>
      <Show when={event.data}>
        {(loaded) => (
          <p>
            {formatDateTime(loaded().starts_at, loaded().org_time_zone, locale())}
            <Show when={loaded().venue}> · {loaded().venue}</Show>
          </p>
        )}
      </Show>
      <div class="flex flex-wrap gap-4">
        <A href={`/events/${params.id}/live`} class={LINK}>{t("attendees.live")}</A>
        <A href={`/events/${params.id}/edit`} class={LINK}>{t("attendees.edit")}</A>
      </div>
      <Show when={failure()}>
        <ErrorAlert code={errorCode(failure())} />
      </Show>
      <Show
        when={event.data && attendees.data}
        fallback={<Show when={!failure()}><p role="status">{tCommon("loading")}</p></Show>}
      >
        <AttendeeTables event={event.data as EventSummary} attendees={attendees.data ?? []} />
      </Show>
      <EventVolunteers eventId={params.id} />
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
