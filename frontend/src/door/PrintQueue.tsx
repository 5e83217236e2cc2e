import { A, useParams } from "@solidjs/router";
import { useQuery, useQueryClient } from "@tanstack/solid-query";
import { createEffect, createSignal, For, on, Show } from "solid-js";
import { formatTime } from "../lib/dates";
import { errorCode } from "../lib/errors";
import { locale } from "../lib/i18n";
import { createLiveQuery } from "../lib/liveQuery";
import { invalidateOnChanges } from "../lib/realtime";
import { RequireStaff } from "../staff/RequireStaff";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { notifyError, notifySuccess } from "../ui/notifications";
import { TextField } from "../ui/TextField";
import { fetchDoorEvent, fetchStations, fetchStuckJobs, moveJob, setKioskPin, type DoorEvent, type Station, type StuckJob } from "./api";
import { doorKeys } from "./keys";
import { t } from "./t";

/** Organizers at /door/<slug>/print-queue: tags that are not printing (queued > 30 s, or on a
 * station whose heartbeat stopped) and moving them to another station; the kiosk PIN. */
export default function PrintQueue() {
  const params = useParams<{ slug: string }>();
  const event = useQuery(() => ({ queryKey: doorKeys.event(params.slug), queryFn: () => fetchDoorEvent(params.slug) }));
  return (
    <RequireStaff min="organizer">
      <Show when={event.error}>
        <ErrorAlert code={errorCode(event.error)} />
      </Show>
      <Show when={event.data}>{(current) => <QueueDesk event={current()} />}</Show>
    </RequireStaff>
  );
}

function QueueDesk(props: { event: DoorEvent }) {
  const stuck = createLiveQuery(() => ({
    queryKey: doorKeys.stuck(props.event.id),
    queryFn: () => fetchStuckJobs(props.event.id),
    // "Stuck" also means "time passed": look again even when nothing changed.
    refetchInterval: 5_000,
  }));
  const stations = createLiveQuery(() => ({
    queryKey: doorKeys.stations(props.event.id),
    queryFn: () => fetchStations(props.event.id),
    refetchInterval: 15_000,
  }));
  createEffect(
    on(
      () => props.event.id,
      (id) => {
        invalidateOnChanges({ table: "print_jobs", filter: `event_id=eq.${id}`, queryKeys: [doorKeys.stuck(id)] });
      },
    ),
  );
  // A failed refresh keeps the last list on screen: say it may be out of date.
  const refreshError = () => {
    const error = stuck().error ?? stations().error;
    return error ? errorCode(error) : null;
  };
  return (
    <div class="space-y-8">
      <section aria-labelledby="queue-title" class="space-y-3">
        <h1 id="queue-title" class="text-2xl font-bold">
          {t("stuck.title", { event: props.event.name })}
        </h1>
        <p>{t("stuck.intro")}</p>
        <ErrorAlert code={refreshError()} />
        <Show when={stuck().data}>
          {(jobs) => (
            <Show when={jobs().length > 0} fallback={<p role="status">{t("stuck.empty")}</p>}>
              {/* On a phone the table scrolls sideways rather than spilling over the page. */}
              <div class="overflow-x-auto">
                <table class="w-full border-collapse text-left">
                  <thead>
                    <tr class="border-b border-stone-400">
                      <th scope="col" class="p-2">{t("stuck.name")}</th>
                      <th scope="col" class="p-2">{t("stuck.station")}</th>
                      <th scope="col" class="p-2">{t("stuck.waiting")}</th>
                      <th scope="col" class="p-2">{t("stuck.reason")}</th>
                      <th scope="col" class="p-2">{t("stuck.move")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={jobs()}>
                      {(job) => <StuckRow job={job} event={props.event} stations={stations().data ?? []} />}
                    </For>
                  </tbody>
                </table>
              </div>
            </Show>
          )}
        </Show>
      </section>
      <KioskPin eventId={props.event.id} />
      <nav aria-label={t("nav.stuck")} class="flex flex-wrap gap-4">
        <A href={`/poster/${props.event.slug}`} class="font-semibold text-teal-900 underline">
          {t("stuck.posterLink")}
        </A>
        <A href={`/kiosk/${props.event.slug}`} class="font-semibold text-teal-900 underline">
          {t("stuck.kioskLink")}
        </A>
      </nav>
    </div>
  );
}

function StuckRow(props: { job: StuckJob; event: DoorEvent; stations: Station[] }) {
  const queryClient = useQueryClient();
  const targets = () => props.stations.filter((station) => station.id !== props.job.device_id);
  const [target, setTarget] = createSignal<string>("");
  const chosen = () => target() || (targets().find((station) => station.online) ?? targets()[0])?.id || "";
  const selectId = () => `move-${props.job.job_id}`;
  const move = async () => {
    const stationId = chosen();
    if (!stationId) return;
    try {
      await moveJob(props.job.job_id, stationId);
      const station = props.stations.find((candidate) => candidate.id === stationId)?.name ?? "";
      notifySuccess(() => t("stuck.moved", { station }));
    } catch (error) {
      notifyError(error);
    } finally {
      await queryClient.invalidateQueries({ queryKey: doorKeys.stuck(props.event.id) });
    }
  };
  return (
    <tr class="border-b border-stone-200">
      <td class="p-2 font-semibold">{props.job.display_name}</td>
      <td class="p-2">{props.job.device_name ?? t("stuck.noStation")}</td>
      <td class="p-2">{formatTime(props.job.created_at, props.event.time_zone, locale())}</td>
      <td class="p-2">{t(`stuck.reasons.${props.job.reason}`)}</td>
      <td class="p-2">
        <div class="flex flex-wrap items-center gap-2">
          <label for={selectId()} class="sr-only">
            {t("stuck.move")}
          </label>
          <select
            id={selectId()}
            class="min-h-12 rounded-lg border border-stone-500 bg-white px-2"
            value={chosen()}
            onChange={(change) => setTarget(change.currentTarget.value)}
          >
            <For each={targets()}>
              {(station) => (
                <option value={station.id}>
                  {t("station.option", { name: station.name, state: station.online ? t("station.online") : t("station.offline") })}
                </option>
              )}
            </For>
          </select>
          <Button variant="secondary" disabled={!chosen()} onClick={() => void move()}>
            {t("stuck.moveButton", { name: props.job.display_name ?? "" })}
          </Button>
        </div>
      </td>
    </tr>
  );
}

function KioskPin(props: { eventId: string }) {
  const [pin, setPin] = createSignal("");
  const save = async (submit: SubmitEvent) => {
    submit.preventDefault();
    try {
      await setKioskPin(props.eventId, pin());
      setPin("");
      notifySuccess(() => t("stuck.pinSaved"));
    } catch (error) {
      notifyError(error);
    }
  };
  return (
    <section aria-labelledby="pin-title" class="space-y-3">
      <h2 id="pin-title" class="text-xl font-bold">
        {t("stuck.pinTitle")}
      </h2>
      <form class="flex max-w-md flex-wrap items-end gap-2" onSubmit={(submit) => void save(submit)}>
        <TextField
          label={t("stuck.pinLabel")}
          type="password"
          inputmode="numeric"
          autocomplete="off"
          name="kiosk-pin"
          value={pin()}
          onInput={(input) => setPin(input.currentTarget.value)}
        />
        <Button type="submit">{t("stuck.pinSave")}</Button>
      </form>
    </section>
  );
}
