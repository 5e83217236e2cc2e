import { A, useParams } from "@solidjs/router";
import { useQuery, useQueryClient } from "@tanstack/solid-query";
import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show, untrack } from "solid-js";
import { fetchDisclosures, type Channel, type Disclosure } from "../attendee/api";
import type { RegistrationForm } from "../attendee/registration";
import { AppError, errorCode } from "../lib/errors";
import { createLiveQuery } from "../lib/liveQuery";
import { queryKeys } from "../lib/query";
import { invalidateOnChanges } from "../lib/realtime";
import { reaches, useStaffLevel } from "../lib/staff";
import { RequireStaff } from "../staff/RequireStaff";
import { ErrorAlert } from "../ui/ErrorAlert";
import { notifyError, notifySuccess } from "../ui/notifications";
import {
  doorCheckIn,
  fetchCheckInCount,
  fetchDoorEvent,
  fetchReprintsLeft,
  fetchStations,
  recordWalkInOptIn,
  reprintTag,
  type DoorEvent,
  type Identity,
} from "./api";
import { pickStation, rememberStation, rememberedStation } from "./device-choice";
import { signal } from "./feedback";
import { doorKeys } from "./keys";
import { Lookup } from "./Lookup";
import { OfflineQueue, type PendingOptIn } from "./offline-queue";
import { ResultCard, type Shown } from "./ResultCard";
import { Scanner } from "./Scanner";
import { t } from "./t";
import { WalkIn } from "./WalkIn";

/** Flow 2 at /door/<slug>: scan, look up or register, see the result, reprint — for volunteers. */
export default function Door() {
  const params = useParams<{ slug: string }>();
  const event = useQuery(() => ({ queryKey: doorKeys.event(params.slug), queryFn: () => fetchDoorEvent(params.slug) }));
  return (
    <RequireStaff min="volunteer">
      <Show when={event.error}>
        <ErrorAlert code={errorCode(event.error)} />
      </Show>
      <Show when={event.data}>{(current) => <DoorDesk event={current()} />}</Show>
    </RequireStaff>
  );
}

function DoorDesk(props: { event: DoorEvent }) {
  const queryClient = useQueryClient();
  const level = useStaffLevel();
  const eventId = () => props.event.id;
  const stations = createLiveQuery(() => ({ queryKey: doorKeys.stations(eventId()), queryFn: () => fetchStations(eventId()) }));
  const count = createLiveQuery(() => ({ queryKey: doorKeys.count(eventId()), queryFn: () => fetchCheckInCount(eventId()) }));
  const disclosures = useQuery(() => ({ queryKey: queryKeys.disclosures(), queryFn: fetchDisclosures }));
  createEffect(
    on(eventId, (id) => {
      invalidateOnChanges({ table: "check_ins", filter: `event_id=eq.${id}`, queryKeys: [doorKeys.count(id)] });
      invalidateOnChanges({ table: "event_print_stations", filter: `event_id=eq.${id}`, queryKeys: [doorKeys.stations(id)] });
    }),
  );

  const [stationId, setStationId] = createSignal<string | null>(null);
  createEffect(
    on(
      () => stations().data,
      (list) => {
        if (list) {
          const ids = list.map((station) => station.id);
          setStationId(pickStation(ids, untrack(stationId) ?? rememberedStation(eventId())));
        }
      },
    ),
  );
  const chooseStation = (id: string) => {
    rememberStation(eventId(), id);
    setStationId(id);
  };
  // A failed refresh keeps the last count and stations on screen: say they may be out of date.
  const refreshError = () => {
    const error = count().error ?? stations().error;
    return error ? errorCode(error) : null;
  };
  const stationName = () => stations().data?.find((station) => station.id === stationId())?.name ?? null;

  const queue = createMemo(() => new OfflineQueue(localStorage, `hm-door-queue:${eventId()}`));
  const [waiting, setWaiting] = createSignal(0);
  const [online, setOnline] = createSignal(navigator.onLine);
  const [replaying, setReplaying] = createSignal(false);
  const [shown, setShown] = createSignal<Shown | null>(null);

  const reprintsLeft = createLiveQuery(() => {
    const current = shown();
    const checkInId = current && "result" in current ? current.result.check_in_id : "";
    return {
      queryKey: doorKeys.reprintsLeft(checkInId),
      queryFn: () => fetchReprintsLeft(checkInId),
      enabled: checkInId !== "",
    };
  });

  const recordOptIns = async (contactId: string, optIns: PendingOptIn[]) => {
    for (const optIn of optIns) await recordWalkInOptIn(contactId, optIn.channel, optIn.disclosureId);
  };

  const show = (next: Shown) => {
    setShown(next);
    signal(next.outcome);
  };

  const keep = (identity: Identity, optIns: PendingOptIn[]) => {
    queue().add({ eventId: eventId(), identity, stationId: stationId(), optIns });
    setWaiting(queue().list().length);
    show({ outcome: "queued" });
  };

  const checkIn = async (identity: Identity, optIns: PendingOptIn[] = []) => {
    if (!navigator.onLine) {
      keep(identity, optIns);
      return;
    }
    try {
      const result = await doorCheckIn(eventId(), identity, stationId());
      show({ outcome: result.code, result, stationName: stationName() });
      void queryClient.invalidateQueries({ queryKey: ["rpc", "find_attendees", eventId()] });
      await recordOptIns(result.contact_id, optIns);
    } catch (error) {
      const code = errorCode(error);
      if (code === "network") keep(identity, optIns);
      else if (code === "unknown_attendee") show({ outcome: "not_found" });
      else show({ outcome: "failed", code });
    }
  };

  const replay = async () => {
    if (replaying() || queue().list().length === 0) return;
    setReplaying(true);
    try {
      const outcome = await queue().replay(async (item) => {
        const result = await doorCheckIn(item.eventId, item.identity, item.stationId);
        await recordOptIns(result.contact_id, item.optIns);
        return result;
      });
      for (const refused of outcome.refused) notifyError(new AppError(refused.code));
    } finally {
      setWaiting(queue().list().length);
      setReplaying(false);
    }
  };

  onMount(() => {
    const goOnline = () => {
      setOnline(true);
      void replay();
    };
    const goOffline = () => setOnline(false);
    window.addEventListener("online", goOnline);
    window.addEventListener("offline", goOffline);
    onCleanup(() => {
      window.removeEventListener("online", goOnline);
      window.removeEventListener("offline", goOffline);
    });
    setWaiting(queue().list().length);
    if (navigator.onLine) void replay();
  });

  const reprint = async (checkInId: string) => {
    try {
      await reprintTag(checkInId, stationId());
      notifySuccess(() => t("result.reprinted"));
    } catch (error) {
      notifyError(error);
    } finally {
      await queryClient.invalidateQueries({ queryKey: doorKeys.reprintsLeft(checkInId) });
    }
  };

  const registerWalkIn = async (
    phone: string,
    form: RegistrationForm,
    shownDisclosures: Record<Channel, Disclosure | undefined>,
  ) => {
    // Only ticked boxes are recorded: no consent is not an opt-out.
    const optIns = (["sms", "email"] as const).flatMap((channel) => {
      const disclosure = shownDisclosures[channel];
      return form[`${channel}_opt_in`] && disclosure ? [{ channel, disclosureId: disclosure.id }] : [];
    });
    // The walk-in form already loaded this module (it is not needed before the door's first paint).
    const { toRegistration } = await import("../attendee/registration");
    await checkIn({ kind: "walk-in", phone, registration: toRegistration(form) }, optIns);
  };

  return (
    <div class="space-y-6">
      <Show when={!online() || waiting() > 0}>
        <p
          role="alert"
          class="sticky top-0 z-10 rounded-lg border-4 border-red-800 bg-red-700 p-4 text-xl font-bold text-white"
          data-testid="offline-banner"
        >
          {online()
            ? t("offline.replaying", { count: String(waiting()) })
            : waiting() > 0
              ? t("offline.banner", { count: String(waiting()) })
              : t("offline.bannerEmpty")}
        </p>
      </Show>
      <header class="flex flex-wrap items-baseline justify-between gap-3">
        <h1 class="text-2xl font-bold">{t("title", { event: props.event.name })}</h1>
        <p class="text-xl font-semibold" aria-live="polite" data-testid="checkin-count">
          {count().data === 1 ? t("countOne") : t("count", { count: String(count().data ?? 0) })}
        </p>
      </header>
      <ErrorAlert code={refreshError()} />
      <Show when={reaches(level.data, "organizer")}>
        <A href={`/door/${props.event.slug}/print-queue`} class="font-semibold text-teal-900 underline">
          {t("nav.stuck")}
        </A>
      </Show>
      <Show when={stations().data}>
        {(list) => (
          <Show when={list().length > 0} fallback={<p class="rounded-lg border border-amber-700 bg-amber-50 p-3">{t("station.none")}</p>}>
            <div class="flex flex-col gap-1">
              <label for="door-station" class="font-medium">
                {t("station.label")}
              </label>
              <select
                id="door-station"
                class="min-h-12 max-w-md rounded-lg border border-stone-500 bg-white px-3"
                value={stationId() ?? ""}
                onChange={(change) => {
                  chooseStation(change.currentTarget.value);
                }}
              >
                <For each={list()}>
                  {(station) => (
                    <option value={station.id}>
                      {t("station.option", {
                        name: station.name,
                        state: station.online ? t("station.online") : t("station.offline"),
                      })}
                    </option>
                  )}
                </For>
              </select>
            </div>
          </Show>
        )}
      </Show>
      <ResultCard
        shown={shown()}
        timeZone={props.event.time_zone}
        reprintsLeft={reprintsLeft().data}
        onReprint={(checkInId) => void reprint(checkInId)}
        onDismiss={() => setShown(null)}
      />
      <Scanner onCode={(token) => void checkIn({ kind: "qr", token })} />
      <Lookup
        eventId={props.event.id}
        timeZone={props.event.time_zone}
        onPick={(person) => void checkIn({ kind: "contact", contactId: person.contact_id })}
      />
      <WalkIn disclosures={disclosures.data ?? []} onRegister={registerWalkIn} />
    </div>
  );
}
