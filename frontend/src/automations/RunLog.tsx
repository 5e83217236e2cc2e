import { A, useSearchParams } from "@solidjs/router";
import { useQuery } from "@tanstack/solid-query";
import { For, Show } from "solid-js";
import { SelectField } from "../crm/SelectField";
import { formatDateTime } from "../lib/dates";
import { errorCode } from "../lib/errors";
import { locale, tCommon } from "../lib/i18n";
import { createLiveQuery } from "../lib/liveQuery";
import { invalidateOnChanges } from "../lib/realtime";
import { RequireStaff } from "../staff/RequireStaff";
import { ErrorAlert } from "../ui/ErrorAlert";
import { automationKeys, fetchAutomations, fetchChoices, fetchRuns } from "./api";
import { didText, occasionText } from "./summary";
import { t } from "./t";

const LINK = "font-semibold text-teal-900 underline";
// The reader's own clock: the log is read at a desk, not at the venue.
const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

function RunLogScreen() {
  const [params, setParams] = useSearchParams<{ automation?: string }>();
  const automationId = () => params.automation ?? "";
  const automations = useQuery(() => ({ queryKey: automationKeys.all(), queryFn: fetchAutomations }));
  const choices = useQuery(() => ({ queryKey: automationKeys.choices(), queryFn: fetchChoices }));
  // Live: the workers log a run every time an automation acts (Realtime; RLS lets organizers+ read).
  const runs = createLiveQuery(() => ({ queryKey: automationKeys.runs(automationId()), queryFn: () => fetchRuns(automationId()) }));
  invalidateOnChanges({ table: "automation_runs", queryKeys: [automationKeys.allRuns()] });
  return (
    <section class="space-y-4">
      <A href="/automations" class={LINK}>
        {t("form.back")}
      </A>
      <h1 class="text-2xl font-bold">{t("runs.title")}</h1>
      <p>
        {t("runs.intro")} {t("runs.live")}
      </p>
      <div class="flex flex-wrap items-end gap-3">
        <SelectField
          label={t("runs.automation")}
          value={automationId()}
          options={[
            { value: "", label: t("runs.all") },
            ...(automations.data ?? []).map((row) => ({ value: row.id, label: row.name })),
          ]}
          onChange={(value) => { setParams({ automation: value === "" ? undefined : value }); }}
        />
      </div>
      {/* A failed refresh keeps the last rows on screen with the error above them. */}
      <ErrorAlert code={runs().error ? errorCode(runs().error) : null} />
      <Show when={runs().data} fallback={<Show when={!runs().error}><p role="status">{tCommon("loading")}</p></Show>}>
        {(rows) => (
          <Show when={rows().length > 0} fallback={<p>{t("runs.empty")}</p>}>
            <div class="overflow-x-auto">
              <table class="w-full text-left">
                <caption class="sr-only">{t("runs.caption")}</caption>
                <thead>
                  <tr class="border-b border-stone-300">
                    <th scope="col" class="py-2 pr-3">{t("runs.started")}</th>
                    <th scope="col" class="py-2 pr-3">{t("runs.automation")}</th>
                    <th scope="col" class="py-2 pr-3">{t("runs.occasion")}</th>
                    <th scope="col" class="py-2 pr-3">{t("runs.did")}</th>
                    <th scope="col" class="py-2 pr-3 text-right">{t("runs.acted")}</th>
                    <th scope="col" class="py-2 pr-3 text-right">{t("runs.skipped")}</th>
                    <th scope="col" class="py-2">{t("runs.status")}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={rows()}>
                    {(run) => (
                      <tr class="border-b border-stone-200 align-top">
                        <td class="py-2 pr-3 whitespace-nowrap">{formatDateTime(run.started_at, TIME_ZONE, locale())}</td>
                        <td class="py-2 pr-3">
                          <A href={`/automations/${run.automation_id}`} class={LINK}>
                            {run.automations?.name ?? "…"}
                          </A>
                        </td>
                        <td class="py-2 pr-3">{occasionText(run.occasion, choices.data?.events ?? [])}</td>
                        <td class="py-2 pr-3">{didText(run)}</td>
                        <td class="py-2 pr-3 text-right">{run.enqueued}</td>
                        <td class="py-2 pr-3 text-right">{run.skipped}</td>
                        <td class="py-2">
                          <Show when={run.status === "failed"} fallback={t("runs.completed")}>
                            <span class="font-semibold text-red-800">{t("runs.failed")}</span>
                            <Show when={run.error}>{(error) => <span class="block text-sm">{error()}</span>}</Show>
                          </Show>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </Show>
        )}
      </Show>
    </section>
  );
}

export default function RunLog() {
  return (
    <RequireStaff min="organizer">
      <RunLogScreen />
    </RequireStaff>
  );
}
