import { For, Show, type JSX } from "solid-js";
import { errorCode } from "../lib/errors";
import { locale, tCommon } from "../lib/i18n";
import { createLiveQuery } from "../lib/liveQuery";
import { RequireStaff } from "../staff/RequireStaff";
import { ErrorAlert } from "../ui/ErrorAlert";
import {
  capUsedPercent,
  fetchHealth,
  fetchStationLoginErrors,
  loginErrorsByStation,
  HEALTH_PAGE_REFRESH_MS,
  healthKeys,
  secondsSince,
  shortAge,
  type AdminHealth,
  type SenderBucket,
  type StationHealth,
  type StationLoginError,
} from "./healthApi";
import { HealthProblems } from "./HealthProblems";
import { tHealth } from "./healthT";

function clockTime(iso: string): string {
  return new Intl.DateTimeFormat(locale() === "es" ? "es-US" : "en-US", { timeStyle: "medium" }).format(new Date(iso));
}

/** Ages are measured against the database's clock (checked_at), not the browser's. */
function ago(iso: string | null, health: AdminHealth): string {
  if (iso === null) return tHealth("never");
  return tHealth("ago", shortAge(secondsSince(iso, new Date(health.checked_at))));
}

function Table(props: { caption: string; headers: string[]; children: JSX.Element }) {
  return (
    <table class="w-full text-left text-sm">
      <caption class="text-left text-lg font-semibold">{props.caption}</caption>
      <thead>
        <tr>
          <For each={props.headers}>{(header) => <th scope="col" class="pr-3">{header}</th>}</For>
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
}

function Processes(props: { health: AdminHealth }) {
  return (
    <Show when={props.health.processes.length > 0} fallback={<p>{tHealth("processes.empty")}</p>}>
      <Table
        caption={tHealth("processes.caption")}
        headers={[
          tHealth("processes.process"),
          tHealth("processes.state"),
          tHealth("processes.lastBeat"),
          tHealth("processes.lastClaim"),
          tHealth("processes.inFlight"),
          tHealth("processes.inDoubt"),
          tHealth("processes.version"),
        ]}
      >
        <For each={props.health.processes}>
          {(process) => (
            <tr class="border-t border-stone-200" data-process={process.process_id}>
              <th scope="row" class="py-1 pr-3 font-normal">
                <span class="block font-semibold">{tHealth(`kind.${process.kind}`)}</span>
                <span class="break-all">{process.station ?? process.process_id}</span>
              </th>
              <td class="py-1 pr-3">
                <span class={process.state === "stale" ? "font-bold text-red-800" : ""}>{tHealth(`state.${process.state}`)}</span>
              </td>
              <td class="py-1 pr-3">{ago(process.beat_at, props.health)}</td>
              <td class="py-1 pr-3">{ago(process.last_claim_at, props.health)}</td>
              <td class="py-1 pr-3">{process.in_flight}</td>
              <td class="py-1 pr-3">{process.in_doubt}</td>
              <td class="py-1">{process.version}</td>
            </tr>
          )}
        </For>
      </Table>
    </Show>
  );
}

function Outbox(props: { health: AdminHealth }) {
  return (
    <>
      <Show when={props.health.outbox.length > 0} fallback={<p>{tHealth("outbox.empty")}</p>}>
        <Table caption={tHealth("outbox.caption")} headers={[tHealth("outbox.kind"), tHealth("outbox.queued"), tHealth("outbox.oldest")]}>
          <For each={props.health.outbox}>
            {(row) => (
              <tr class="border-t border-stone-200">
                <th scope="row" class="py-1 pr-3 font-normal">
                  {tHealth(`messageKind.${row.kind}`)}
                </th>
                <td class="py-1 pr-3">{row.queued}</td>
                <td class="py-1">{ago(row.oldest_queued_at, props.health)}</td>
              </tr>
            )}
          </For>
        </Table>
      </Show>
      <p>{tHealth("outbox.inDoubt", { count: props.health.messages_in_doubt })}</p>
    </>
  );
}

function Webhooks(props: { health: AdminHealth }) {
  const backlog = () => props.health.webhooks;
  return (
    <Table
      caption={tHealth("webhooks.caption")}
      headers={[tHealth("webhooks.received"), tHealth("webhooks.deferred"), tHealth("webhooks.failed"), tHealth("webhooks.oldest")]}
    >
      <tr class="border-t border-stone-200">
        <td class="py-1 pr-3">{backlog().received}</td>
        <td class="py-1 pr-3">{backlog().deferred}</td>
        <td class="py-1 pr-3">{backlog().failed}</td>
        <td class="py-1">
          <Show when={backlog().oldest_pending_at} fallback={tHealth("webhooks.none")}>
            {(oldest) => ago(oldest(), props.health)}
          </Show>
        </td>
      </tr>
    </Table>
  );
}

function stationStatus(station: StationHealth): string {
  if (!station.enabled) return tHealth("stations.disabled");
  return station.online ? tHealth("stations.online") : tHealth("stations.offline");
}

function loginError(error: StationLoginError | undefined): string {
  if (error === undefined) return "";
  // Auth still holds `locked`: the worker was moving it the other way.
  const key = error.locked ? "stations.unlockFailed" : "stations.lockFailed";
  return tHealth(key, { attempts: error.attempts, error: error.last_error });
}

function Stations(props: { health: AdminHealth; loginErrors: ReadonlyMap<string, StationLoginError> }) {
  return (
    <Show when={props.health.stations.length > 0} fallback={<p>{tHealth("stations.empty")}</p>}>
      <Table
        caption={tHealth("stations.caption")}
        headers={[
          tHealth("stations.station"),
          tHealth("stations.status"),
          tHealth("stations.printer"),
          tHealth("stations.queue"),
          tHealth("stations.lastSeen"),
          tHealth("stations.login"),
        ]}
      >
        <For each={props.health.stations}>
          {(station) => (
            <tr class="border-t border-stone-200">
              <th scope="row" class="py-1 pr-3 font-normal">{station.name}</th>
              <td class="py-1 pr-3">{stationStatus(station)}</td>
              <td class="py-1 pr-3">
                {[station.printer_state, station.printer_state_reason].filter((part) => part).join(" · ")}
              </td>
              <td class="py-1 pr-3">{station.queued_jobs}</td>
              <td class="py-1 pr-3">{ago(station.last_seen_at, props.health)}</td>
              <td class="py-1">{loginError(props.loginErrors.get(station.id))}</td>
            </tr>
          )}
        </For>
      </Table>
    </Show>
  );
}

function usedToday(sender: SenderBucket): string {
  const percent = capUsedPercent(sender);
  if (percent === null || sender.daily_cap === null) return tHealth("senders.noCap", { used: sender.used_today });
  return tHealth("senders.usedOfCap", { used: sender.used_today, cap: sender.daily_cap, percent });
}

function Senders(props: { health: AdminHealth }) {
  return (
    <Show when={props.health.senders.length > 0} fallback={<p>{tHealth("senders.empty")}</p>}>
      <Table
        caption={tHealth("senders.caption")}
        headers={[tHealth("senders.sender"), tHealth("senders.tokens"), tHealth("senders.usedToday")]}
      >
        <For each={props.health.senders}>
          {(sender) => (
            <tr class="border-t border-stone-200">
              <th scope="row" class="py-1 pr-3 font-normal">
                {sender.enabled ? sender.name : tHealth("senders.disabled", { name: sender.name })}
              </th>
              <td class="py-1 pr-3">{tHealth("senders.tokensOf", { tokens: sender.tokens, capacity: sender.capacity })}</td>
              <td class="py-1">{usedToday(sender)}</td>
            </tr>
          )}
        </For>
      </Table>
    </Show>
  );
}

function HealthScreen() {
  const health = createLiveQuery(() => ({
    queryKey: healthKeys.snapshot(),
    queryFn: fetchHealth,
    refetchInterval: HEALTH_PAGE_REFRESH_MS,
  }));
  const loginErrors = createLiveQuery(() => ({
    queryKey: healthKeys.loginErrors(),
    queryFn: fetchStationLoginErrors,
    refetchInterval: HEALTH_PAGE_REFRESH_MS,
  }));
  return (
    <section class="space-y-6">
      <h1 class="text-2xl font-bold">{tHealth("title")}</h1>
      <p>{tHealth("intro")}</p>
      <Show when={health().error ?? loginErrors().error}>{(error) => <ErrorAlert code={errorCode(error())} />}</Show>
      <Show when={health().data} fallback={<Show when={!health().error}><p role="status">{tCommon("loading")}</p></Show>}>
        {(snapshot) => (
          <>
            <p class="text-sm text-stone-700">{tHealth("checked", { at: clockTime(snapshot().checked_at) })}</p>
            <section aria-labelledby="health-problems" class="rounded border border-stone-300 p-3">
              <h2 id="health-problems" class="text-lg font-semibold">
                {tHealth("problemsTitle")}
              </h2>
              <Show when={snapshot().problems.length > 0} fallback={<p>{tHealth("allHealthy")}</p>}>
                <HealthProblems problems={snapshot().problems} />
              </Show>
            </section>
            <Processes health={snapshot()} />
            <Outbox health={snapshot()} />
            <Webhooks health={snapshot()} />
            <Stations health={snapshot()} loginErrors={loginErrorsByStation(loginErrors().data ?? [])} />
            <Senders health={snapshot()} />
          </>
        )}
      </Show>
    </section>
  );
}

export default function HealthPage() {
  return (
    <RequireStaff min="admin">
      <HealthScreen />
    </RequireStaff>
  );
}
