import { For, Show, type JSX } from "solid-js";
import { errorCode } from "../lib/errors";
import { locale, tCommon } from "../lib/i18n";
import { createLiveQuery } from "../lib/liveQuery";
import { invalidateOnChanges } from "../lib/realtime";
import { RequireStaff } from "../staff/RequireStaff";
import { ErrorAlert } from "../ui/ErrorAlert";
import { BarChart } from "./BarChart";
import {
  consentByMonth,
  dashboardKeys,
  fetchCheckInsPerEvent,
  fetchContactsDashboard,
  fetchMessagesDashboard,
  messagesPerDay,
  OUTBOUND_STATUSES,
  periodRates,
  type MessageStatus,
} from "./dashboardApi";
import { tDashboard } from "./dashboardT";

// Messages change many times a second during a blast: the messaging numbers refresh on a timer
// rather than on every Realtime event.
const MESSAGES_REFRESH_MS = 60_000;

const STATUS_FILLS: Record<MessageStatus, string> = {
  queued: "fill-stone-400",
  sending: "fill-sky-300",
  sent: "fill-sky-600",
  delivered: "fill-teal-700",
  undelivered: "fill-amber-500",
  failed: "fill-red-700",
  cancelled: "fill-stone-600",
  received: "fill-violet-600",
};

function number(value: number | null): string {
  return new Intl.NumberFormat(locale() === "es" ? "es-US" : "en-US").format(value ?? 0);
}

function percent(value: number | null): string {
  if (value === null) return tDashboard("noRate");
  return new Intl.NumberFormat(locale() === "es" ? "es-US" : "en-US", { style: "percent", maximumFractionDigits: 1 }).format(value);
}

function shortDate(iso: string, options: Intl.DateTimeFormatOptions): string {
  // Day and month values are calendar dates: format them in UTC so no time zone shifts them.
  return new Intl.DateTimeFormat(locale() === "es" ? "es-US" : "en-US", { ...options, timeZone: "UTC" }).format(new Date(iso));
}

function Kpi(props: { label: string; value: string }) {
  return (
    <div class="rounded-lg border border-stone-300 bg-white p-3">
      <dt class="text-sm text-stone-700">{props.label}</dt>
      <dd class="text-2xl font-bold">{props.value}</dd>
    </div>
  );
}

function Panel(props: { id: string; title: string; children: JSX.Element }) {
  return (
    <section aria-labelledby={props.id} class="space-y-3">
      <h2 id={props.id} class="text-xl font-bold">
        {props.title}
      </h2>
      {props.children}
    </section>
  );
}

function NumbersTable(props: { caption: string; headers: string[]; rows: string[][] }) {
  return (
    <table class="w-full text-left text-sm">
      <caption class="sr-only">{props.caption}</caption>
      <thead>
        <tr>
          <For each={props.headers}>{(header) => <th scope="col" class="pr-3">{header}</th>}</For>
        </tr>
      </thead>
      <tbody>
        <For each={props.rows}>
          {(row) => (
            <tr class="border-t border-stone-200">
              <th scope="row" class="py-1 pr-3 font-normal">
                {row[0]}
              </th>
              <For each={row.slice(1)}>{(cell) => <td class="py-1 pr-3">{cell}</td>}</For>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

function DashboardScreen() {
  const contacts = createLiveQuery(() => ({ queryKey: dashboardKeys.contacts(), queryFn: fetchContactsDashboard }));
  const checkIns = createLiveQuery(() => ({ queryKey: dashboardKeys.checkIns(), queryFn: fetchCheckInsPerEvent }));
  const messages = createLiveQuery(() => ({
    queryKey: dashboardKeys.messages(),
    queryFn: fetchMessagesDashboard,
    refetchInterval: MESSAGES_REFRESH_MS,
  }));
  invalidateOnChanges({ table: "contacts", queryKeys: [dashboardKeys.contacts()] });
  invalidateOnChanges({ table: "check_ins", queryKeys: [dashboardKeys.checkIns()] });
  const days = () => messagesPerDay(messages().data?.daily ?? []);
  const rates = () => periodRates(days(), messages().data?.rates ?? []);
  const shownStatuses = () => OUTBOUND_STATUSES.filter((status) => days().some((day) => day.counts[status] > 0));
  return (
    <section class="space-y-8">
      <h1 class="text-2xl font-bold">{tDashboard("title")}</h1>
      <p>{tDashboard("intro")}</p>
      <Show when={contacts().error ?? checkIns().error ?? messages().error}>{(error) => <ErrorAlert code={errorCode(error())} />}</Show>
      <Show when={contacts().data && messages().data} fallback={<p role="status">{tCommon("loading")}</p>}>
        <Panel id="dashboard-kpis" title={tDashboard("kpis")}>
          <dl class="grid grid-cols-2 gap-3 sm:grid-cols-4">
            <Kpi label={tDashboard("contacts")} value={number(contacts().data?.totals.contacts ?? 0)} />
            <Kpi label={tDashboard("withPhone")} value={number(contacts().data?.totals.with_phone ?? 0)} />
            <Kpi label={tDashboard("withEmail")} value={number(contacts().data?.totals.with_email ?? 0)} />
            <Kpi label={tDashboard("signedUp")} value={number(contacts().data?.totals.signed_up ?? 0)} />
            <Kpi label={tDashboard("deliveryRate")} value={percent(rates().delivery)} />
            <Kpi label={tDashboard("replyRate")} value={percent(rates().reply)} />
            <Kpi label={tDashboard("optOutRate")} value={percent(rates().optOut)} />
          </dl>
        </Panel>
      </Show>
      <Show when={contacts().data}>
        {(data) => (
          <Panel id="dashboard-contacts" title={tDashboard("contactsChart.title")}>
            <BarChart
              label={tDashboard("contactsChart.label")}
              categories={data().perMonth.map((row) => row.month ?? "")}
              series={[{ name: tDashboard("contactsChart.total"), fill: "fill-teal-700", values: data().perMonth.map((row) => row.total_contacts ?? 0) }]}
            />
            <NumbersTable
              caption={tDashboard("contactsChart.title")}
              headers={[tDashboard("contactsChart.month"), tDashboard("contactsChart.added"), tDashboard("contactsChart.total")]}
              rows={data().perMonth.map((row) => [
                shortDate(row.month ?? "", { month: "short", year: "numeric" }),
                number(row.new_contacts),
                number(row.total_contacts),
              ])}
            />
          </Panel>
        )}
      </Show>
      <Show when={checkIns().data}>
        {(events) => (
          <Panel id="dashboard-checkins" title={tDashboard("checkInsChart.title")}>
            <Show when={events().length > 0} fallback={<p>{tDashboard("checkInsChart.empty")}</p>}>
              <BarChart
                label={tDashboard("checkInsChart.label")}
                categories={events().map((row) => row.name ?? "")}
                series={[
                  { name: tDashboard("checkInsChart.firstTimers"), fill: "fill-teal-700", values: events().map((row) => row.first_timers ?? 0) },
                  { name: tDashboard("checkInsChart.returning"), fill: "fill-amber-500", values: events().map((row) => row.returning_attendees ?? 0) },
                ]}
              />
              <NumbersTable
                caption={tDashboard("checkInsChart.title")}
                headers={[
                  tDashboard("checkInsChart.event"),
                  tDashboard("checkInsChart.firstTimers"),
                  tDashboard("checkInsChart.returning"),
                  tDashboard("checkInsChart.total"),
                ]}
                rows={events().map((row) => [row.name ?? "", number(row.first_timers), number(row.returning_attendees), number(row.check_ins)])}
              />
            </Show>
          </Panel>
        )}
      </Show>
      <Show when={messages().data}>
        {(data) => (
          <>
            <Panel id="dashboard-messages" title={tDashboard("messagesChart.title")}>
              <Show when={days().length > 0} fallback={<p>{tDashboard("messagesChart.empty")}</p>}>
                <BarChart
                  label={tDashboard("messagesChart.label")}
                  categories={days().map((day) => day.day)}
                  series={shownStatuses().map((status) => ({
                    name: tDashboard(`status.${status}`),
                    fill: STATUS_FILLS[status],
                    values: days().map((day) => day.counts[status]),
                  }))}
                />
                <NumbersTable
                  caption={tDashboard("messagesChart.title")}
                  headers={[tDashboard("messagesChart.day"), ...shownStatuses().map((status) => tDashboard(`status.${status}`))]}
                  rows={days().map((day) => [
                    shortDate(day.day, { month: "short", day: "numeric" }),
                    ...shownStatuses().map((status) => number(day.counts[status])),
                  ])}
                />
              </Show>
            </Panel>
            <Panel id="dashboard-consent" title={tDashboard("consentChart.title")}>
              <Show when={consentByMonth(data().consent, 12)} keyed>
                {(months) => (
                  <Show when={months.length > 0} fallback={<p>{tDashboard("consentChart.empty")}</p>}>
                    <BarChart
                      label={tDashboard("consentChart.label")}
                      categories={months.map((entry) => entry.month)}
                      series={[
                        { name: tDashboard("consentChart.sms"), fill: "fill-teal-700", values: months.map((entry) => entry.sms) },
                        { name: tDashboard("consentChart.email"), fill: "fill-sky-600", values: months.map((entry) => entry.email) },
                      ]}
                    />
                    <NumbersTable
                      caption={tDashboard("consentChart.title")}
                      headers={[tDashboard("consentChart.month"), tDashboard("consentChart.sms"), tDashboard("consentChart.email")]}
                      rows={months.map((entry) => [
                        shortDate(entry.month, { month: "short", year: "numeric" }),
                        number(entry.sms),
                        number(entry.email),
                      ])}
                    />
                  </Show>
                )}
              </Show>
            </Panel>
            <Panel id="dashboard-variants" title={tDashboard("variants.title")}>
              <Show when={data().variants.length > 0} fallback={<p>{tDashboard("variants.empty")}</p>}>
                <NumbersTable
                  caption={tDashboard("variants.title")}
                  headers={[
                    tDashboard("variants.blast"),
                    tDashboard("variants.variant"),
                    tDashboard("variants.recipients"),
                    tDashboard("variants.sent"),
                    tDashboard("variants.delivered"),
                    tDashboard("variants.failed"),
                    tDashboard("variants.optedOut"),
                    tDashboard("variants.replied"),
                  ]}
                  rows={data().variants.map((row) => [
                    row.name ?? "",
                    row.variant ?? tDashboard("variants.noVariant"),
                    number(row.recipients),
                    number(row.sent),
                    number(row.delivered),
                    number(row.failed),
                    number(row.opted_out),
                    number(row.replied),
                  ])}
                />
              </Show>
            </Panel>
          </>
        )}
      </Show>
    </section>
  );
}

export default function DashboardPage() {
  return (
    <RequireStaff min="organizer">
      <DashboardScreen />
    </RequireStaff>
  );
}
