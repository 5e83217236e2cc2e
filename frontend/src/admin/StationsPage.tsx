import { useMutation, useQueryClient } from "@tanstack/solid-query";
import { Menu } from "@ark-ui/solid/menu";
import { For, Show, createSignal } from "solid-js";
import { errorCode, type ErrorCode } from "../lib/errors";
import { locale, tCommon } from "../lib/i18n";
import { createLiveQuery } from "../lib/liveQuery";
import { RequireStaff } from "../staff/RequireStaff";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { PersonalQr } from "../ui/PersonalQr";
import { TextField } from "../ui/TextField";
import { notifyError, notifySuccess, type Words } from "../ui/notifications";
import { secondsSince, shortAge } from "./healthApi";
import {
  assignStation,
  fetchEventChoices,
  fetchPairings,
  fetchStations,
  pairCommand,
  pairingState,
  registerStation,
  sendTestPrint,
  setStationEnabled,
  stationKeys,
  stationStatus,
  STATIONS_REFRESH_MS,
  unassignStation,
  type EventChoice,
  type PairingCode,
  type PrintStation,
  type StationPairing,
} from "./stationsApi";
import { tStations } from "./stationsT";

function clockTime(iso: string): string {
  return new Intl.DateTimeFormat(locale() === "es" ? "es-US" : "en-US", {
    timeStyle: "short",
  }).format(new Date(iso));
}

function ago(iso: string | null): string {
  if (iso === null) return tStations("stations.never");
  return tStations("stations.ago", shortAge(secondsSince(iso, new Date())));
}

function useRefreshStations() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: stationKeys.stations() });
    void queryClient.invalidateQueries({ queryKey: stationKeys.pairings() });
  };
}

function RegisterForm(props: { onRegistered: (code: PairingCode) => void }) {
  const refresh = useRefreshStations();
  const [name, setName] = createSignal("");
  const [venue, setVenue] = createSignal("");
  const [queue, setQueue] = createSignal("");
  const [nameMissing, setNameMissing] = createSignal(false);
  const [failure, setFailure] = createSignal<ErrorCode | null>(null);
  const register = useMutation(() => ({
    mutationFn: registerStation,
    onSuccess: (code) => {
      props.onRegistered(code);
      setName("");
      setVenue("");
      setQueue("");
      refresh();
    },
    onError: (error) => setFailure(errorCode(error)),
  }));
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    setFailure(null);
    const trimmed = name().trim();
    setNameMissing(trimmed === "");
    if (trimmed === "") return;
    register.mutate({
      name: trimmed,
      venue: venue().trim() || null,
      cupsQueue: queue().trim() || null,
    });
  };
  return (
    <section
      aria-labelledby="register-station-title"
      class="space-y-3 rounded-lg border border-stone-300 bg-white p-4"
    >
      <h2 id="register-station-title" class="text-xl font-bold">
        {tStations("register.title")}
      </h2>
      <form class="grid gap-3 sm:grid-cols-3" onSubmit={submit} noValidate>
        <TextField
          label={tStations("register.name")}
          autocomplete="off"
          value={name()}
          onInput={(event) => setName(event.currentTarget.value)}
          error={nameMissing() ? tStations("register.nameRequired") : null}
        />
        <TextField
          label={tStations("register.venue")}
          autocomplete="off"
          value={venue()}
          onInput={(event) => setVenue(event.currentTarget.value)}
        />
        <TextField
          label={tStations("register.queue")}
          hint={tStations("register.queueHint")}
          autocomplete="off"
          value={queue()}
          onInput={(event) => setQueue(event.currentTarget.value)}
        />
        <div class="sm:col-span-3">
          <Button type="submit" disabled={register.isPending}>
            {register.isPending
              ? tStations("register.submitting")
              : tStations("register.submit")}
          </Button>
        </div>
      </form>
      <ErrorAlert code={failure()} />
    </section>
  );
}

/** Shown once, right after registering: the database keeps only the code's hash. */
function PairingCodePanel(props: { code: PairingCode; onDone: () => void }) {
  return (
    <section
      aria-labelledby="pairing-code-title"
      class="space-y-3 rounded-lg border-2 border-teal-800 bg-white p-4"
    >
      <h2 id="pairing-code-title" class="text-xl font-bold">
        {tStations("code.title", { name: props.code.name })}
      </h2>
      <p>
        {tStations("code.intro", { time: clockTime(props.code.expiresAt) })}
      </p>
      <div class="flex flex-wrap items-center gap-6">
        <PersonalQr token={props.code.code} label={tStations("code.qr")} />
        <div class="space-y-2">
          <p
            class="font-mono text-4xl font-bold tracking-widest"
            data-testid="pairing-code"
          >
            {props.code.code}
          </p>
          <p>
            <code class="rounded bg-stone-100 px-2 py-1 font-mono">
              {pairCommand(props.code.code)}
            </code>
          </p>
        </div>
      </div>
      <Button
        variant="secondary"
        onClick={() => {
          props.onDone();
        }}
      >
        {tStations("code.done")}
      </Button>
    </section>
  );
}

function pairingText(pairing: StationPairing): string {
  const state = pairingState(pairing, new Date());
  if (state === "waiting")
    return tStations("pairings.waiting", {
      time: clockTime(pairing.expires_at),
    });
  if (state === "failed")
    return tStations("pairings.failed", { error: pairing.error ?? "" });
  return tStations(`pairings.${state}`);
}

function Pairings() {
  const pairings = createLiveQuery(() => ({
    queryKey: stationKeys.pairings(),
    queryFn: fetchPairings,
    refetchInterval: STATIONS_REFRESH_MS,
  }));
  return (
    <Show when={pairings().data}>
      {(rows) => (
        <Show
          when={rows().length > 0}
          fallback={<p>{tStations("pairings.empty")}</p>}
        >
          <table class="w-full text-left text-sm">
            <caption class="text-left text-lg font-semibold">
              {tStations("pairings.caption")}
            </caption>
            <thead>
              <tr>
                <th scope="col" class="pr-3">
                  {tStations("pairings.station")}
                </th>
                <th scope="col" class="pr-3">
                  {tStations("pairings.state")}
                </th>
                <th scope="col">{tStations("pairings.registered")}</th>
              </tr>
            </thead>
            <tbody>
              <For each={rows()}>
                {(pairing) => (
                  <tr
                    class="border-t border-stone-200"
                    data-pairing={pairing.name}
                  >
                    <th scope="row" class="py-1 pr-3 font-normal">
                      {pairing.name}
                    </th>
                    <td class="py-1 pr-3">{pairingText(pairing)}</td>
                    <td class="py-1">{clockTime(pairing.created_at)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </Show>
      )}
    </Show>
  );
}

function StationEvents(props: {
  station: PrintStation;
  events: EventChoice[];
}) {
  const refresh = useRefreshStations();
  const eventName = (id: string) =>
    props.events.find((event) => event.id === id)?.name ??
    tStations("stations.unknownEvent");
  const unassigned = () =>
    props.events.filter((event) => !props.station.event_ids.includes(event.id));
  const change = (action: Promise<void>, success: Words) =>
    action.then(
      () => {
        notifySuccess(success);
        refresh();
      },
      (error: unknown) => {
        notifyError(error);
        refresh();
      },
    );
  const add = (eventId: string) => {
    if (!eventId) return;
    const names = { name: props.station.name, event: eventName(eventId) };
    void change(
      assignStation(props.station.id, eventId),
      () => tStations("stations.assigned", names),
    );
  };
  const remove = (eventId: string) => {
    const names = { name: props.station.name, event: eventName(eventId) };
    void change(
      unassignStation(props.station.id, eventId),
      () => tStations("stations.unassigned", names),
    );
  };
  return (
    <div class="space-y-1">
      <ul class="flex flex-wrap gap-1">
        <For each={props.station.event_ids}>
          {(eventId) => (
            <li class="flex items-center gap-1 rounded bg-stone-100 px-2">
              {eventName(eventId)}
              <button
                type="button"
                class="min-h-6 min-w-6 rounded text-lg focus-visible:outline-2 focus-visible:outline-teal-600"
                aria-label={tStations("stations.unassign", {
                  name: props.station.name,
                  event: eventName(eventId),
                })}
                onClick={() => {
                  remove(eventId);
                }}
              >
                ×
              </button>
            </li>
          )}
        </For>
      </ul>
      <Show when={unassigned().length > 0}>
        <select
          aria-label={tStations("stations.assignLabel", {
            name: props.station.name,
          })}
          class="min-h-10 rounded border border-stone-500 bg-white px-2"
          value=""
          onChange={(event) => {
            add(event.currentTarget.value);
            event.currentTarget.value = "";
          }}
        >
          <option value="">{tStations("stations.assignPlaceholder")}</option>
          <For each={unassigned()}>
            {(event) => <option value={event.id}>{event.name}</option>}
          </For>
        </select>
      </Show>
    </div>
  );
}

/** Test print and disable/enable in a menu per row: buttons side by side squeezed the names
 * into three lines next to the sidebar, and stacked at phone width. */
function StationActions(props: { station: PrintStation }) {
  const refresh = useRefreshStations();
  const act = (action: () => Promise<void>, success: Words) => {
    action().then(
      () => {
        notifySuccess(success);
        refresh();
      },
      (error: unknown) => {
        notifyError(error);
        refresh();
      },
    );
  };
  function testPrint() {
    const { id, name } = props.station;
    act(() => sendTestPrint(id), () => tStations("stations.testPrintSent", { name }));
  }
  function setEnabled(enabled: boolean) {
    const { id, name } = props.station;
    act(
      () => setStationEnabled(id, enabled),
      () => tStations(enabled ? "stations.enabledDone" : "stations.disabledDone", {
        name,
      }),
    );
  }
  const itemClass =
    "flex min-h-10 cursor-pointer items-center rounded px-3 data-[disabled]:cursor-not-allowed data-[disabled]:text-stone-600 data-[highlighted]:bg-stone-200";
  return (
    // Fixed, not portalled: it escapes the table's scroll box and stays inside <main>.
    <Menu.Root positioning={{ strategy: "fixed" }}>
      <Menu.Trigger
        class="min-h-10 rounded-lg border border-stone-500 bg-white px-3 font-semibold whitespace-nowrap focus-visible:outline-2 focus-visible:outline-teal-600"
        aria-label={tStations("stations.actionsLabel", {
          name: props.station.name,
        })}
      >
        {tStations("stations.actions")} <span aria-hidden="true">▾</span>
      </Menu.Trigger>
      <Menu.Positioner>
        <Menu.Content class="z-40 min-w-56 rounded-lg border border-stone-300 bg-white p-1 shadow-lg focus-visible:outline-none">
          <Menu.Item
            value="test-print"
            class={itemClass}
            disabled={!props.station.enabled}
            onSelect={testPrint}
          >
            {tStations("stations.testPrint")}
          </Menu.Item>
          <Show
            when={props.station.enabled}
            fallback={
              <Menu.Item
                value="enable"
                class={itemClass}
                onSelect={() => {
                  setEnabled(true);
                }}
              >
                {tStations("stations.enable")}
              </Menu.Item>
            }
          >
            <Menu.Item
              value="disable"
              class={itemClass}
              onSelect={() => {
                setEnabled(false);
              }}
            >
              {tStations("stations.disable")}
            </Menu.Item>
          </Show>
        </Menu.Content>
      </Menu.Positioner>
    </Menu.Root>
  );
}

// On a phone the table scrolls sideways; the station's name stays in view beside any column.
const STICKY_FIRST_COLUMN = "sticky left-0 z-10 bg-white";

function StationRow(props: { station: PrintStation; events: EventChoice[] }) {
  const status = () => stationStatus(props.station);
  return (
    <tr
      class="border-t border-stone-200 align-top"
      data-station={props.station.name}
    >
      <th scope="row" class={`${STICKY_FIRST_COLUMN} py-2 pr-3 font-normal`}>
        <span class="block font-semibold whitespace-nowrap">
          {props.station.name}
        </span>
        <span class="block text-stone-700">{props.station.venue ?? ""}</span>
        <Show when={props.station.agent_version}>
          {(version) => (
            <span class="block text-xs text-stone-700 whitespace-nowrap">
              {tStations("stations.version")} {version()}
            </span>
          )}
        </Show>
      </th>
      <td class="py-2 pr-3" data-column="status">
        <span
          class={
            status() === "online"
              ? "block text-emerald-800"
              : "block font-bold text-red-800"
          }
        >
          {tStations(`stations.${status()}`)}
        </span>
        <span class="block text-xs text-stone-700 whitespace-nowrap">
          <span class="sr-only">{tStations("stations.lastSeen")}: </span>
          {ago(props.station.last_seen_at)}
        </span>
      </td>
      <td class="py-2 pr-3">
        {[props.station.printer_state, props.station.printer_state_reason]
          .filter((part) => part)
          .join(" · ")}
        <Show when={props.station.last_error}>
          {(error) => (
            <span class="block text-xs text-red-800">
              {tStations("stations.lastError")}: {error()}
            </span>
          )}
        </Show>
      </td>
      <td class="py-2 pr-3">{props.station.queued_jobs}</td>
      <td class="py-2 pr-3" data-column="printed">
        {props.station.printed_tonight}
      </td>
      <td class="py-2 pr-3">
        <StationEvents station={props.station} events={props.events} />
      </td>
      <td class="py-2">
        <StationActions station={props.station} />
      </td>
    </tr>
  );
}

function Stations() {
  const stations = createLiveQuery(() => ({
    queryKey: stationKeys.stations(),
    queryFn: fetchStations,
    refetchInterval: STATIONS_REFRESH_MS,
  }));
  const events = createLiveQuery(() => ({
    queryKey: stationKeys.events(),
    queryFn: fetchEventChoices,
  }));
  return (
    <>
      <Show when={stations().error ?? events().error}>
        {(error) => <ErrorAlert code={errorCode(error())} />}
      </Show>
      <Show
        when={stations().data}
        fallback={
          <Show when={!stations().error}>
            <p role="status">{tCommon("loading")}</p>
          </Show>
        }
      >
        {(rows) => (
          <Show
            when={rows().length > 0}
            fallback={<p>{tStations("stations.empty")}</p>}
          >
            <div class="overflow-x-auto">
              <table class="w-full text-left text-sm">
                <caption class="text-left text-lg font-semibold">
                  {tStations("stations.caption")}
                </caption>
                <thead>
                  <tr>
                    <For
                      each={[
                        tStations("stations.station"),
                        tStations("stations.status"),
                        tStations("stations.printer"),
                        tStations("stations.queue"),
                        tStations("stations.printedTonight"),
                        tStations("stations.events"),
                        tStations("stations.actions"),
                      ]}
                    >
                      {(header, index) => (
                        <th
                          scope="col"
                          class={
                            index() === 0
                              ? `${STICKY_FIRST_COLUMN} pr-3`
                              : "pr-3"
                          }
                        >
                          {header}
                        </th>
                      )}
                    </For>
                  </tr>
                </thead>
                <tbody>
                  {/* Keyed by id: each refresh brings new objects, and a row made anew
                      would close its open actions menu and reset its event picker. */}
                  <For each={rows().map((station) => station.id)}>
                    {(id) => (
                      <Show when={rows().find((station) => station.id === id)}>
                        {(station) => (
                          <StationRow
                            station={station()}
                            events={events().data ?? []}
                          />
                        )}
                      </Show>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </Show>
        )}
      </Show>
    </>
  );
}

function StationsScreen() {
  const refresh = useRefreshStations();
  const [shownCode, setShownCode] = createSignal<PairingCode | null>(null);
  return (
    <section class="space-y-6">
      <h1 class="text-2xl font-bold">{tStations("title")}</h1>
      <p>{tStations("intro")}</p>
      <Show
        when={shownCode()}
        fallback={<RegisterForm onRegistered={setShownCode} />}
      >
        {(code) => (
          <PairingCodePanel
            code={code()}
            onDone={() => {
              setShownCode(null);
              // The Pi has usually paired by now: show its row without waiting for a refresh.
              refresh();
            }}
          />
        )}
      </Show>
      <Pairings />
      <Stations />
    </section>
  );
}

export default function StationsPage() {
  return (
    <RequireStaff min="admin">
      <StationsScreen />
    </RequireStaff>
  );
}
