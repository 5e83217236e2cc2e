import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import { errorCode } from "../lib/errors";
import { tCommon } from "../lib/i18n";
import { createLiveQuery } from "../lib/liveQuery";
import { invalidateOnChanges } from "../lib/realtime";
import { RequireStaff } from "../staff/RequireStaff";
import { ErrorAlert } from "../ui/ErrorAlert";
import { blastKeys, fetchBlasts } from "./api";
import { count, when } from "./format";
import { t } from "./t";

function BlastsScreen() {
  const blasts = createLiveQuery(() => ({ queryKey: blastKeys.all(), queryFn: fetchBlasts }));
  invalidateOnChanges({ table: "blasts", queryKeys: [blastKeys.all()] });
  return (
    <section class="space-y-4">
      <div class="flex flex-wrap items-center justify-between gap-3">
        <h1 class="text-2xl font-bold">{t("list.title")}</h1>
        <A href="/messaging/blasts/new" class="min-h-12 rounded-lg bg-teal-800 px-5 py-3 font-semibold text-white hover:bg-teal-900">
          {t("list.new")}
        </A>
      </div>
      <p>{t("list.intro")}</p>
      <Show when={blasts().error}>
        <ErrorAlert code={errorCode(blasts().error)} />
      </Show>
      <Show when={blasts().data} fallback={<Show when={!blasts().error}><p role="status">{tCommon("loading")}</p></Show>}>
        {(rows) => (
          <Show when={rows().length > 0} fallback={<p>{t("list.empty")}</p>}>
            <div class="overflow-x-auto" tabindex="0" role="region" aria-label={t("list.table")}>
              <table class="w-full border-collapse text-left">
                <caption class="sr-only">{t("list.table")}</caption>
                <thead>
                  <tr class="border-b border-stone-400">
                    <th scope="col" class="p-2">{t("list.columns.name")}</th>
                    <th scope="col" class="p-2">{t("list.columns.channel")}</th>
                    <th scope="col" class="p-2">{t("list.columns.status")}</th>
                    <th scope="col" class="p-2">{t("list.columns.progress")}</th>
                    <th scope="col" class="p-2">{t("list.columns.created")}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={rows()}>
                    {(blast) => (
                      <tr class="border-b border-stone-200">
                        <td class="p-2">
                          <A href={`/messaging/blasts/${blast.id}`} class="font-medium text-teal-800 underline">
                            {blast.name}
                          </A>
                        </td>
                        <td class="p-2">{t(`channel.${blast.channel}`)}</td>
                        <td class="p-2">{t(`status.${blast.status}`)}</td>
                        <td class="p-2">
                          {t("list.progress", { sent: count(blast.sent_count), total: count(blast.recipients_total) })}
                        </td>
                        <td class="p-2">{when(blast.created_at)}</td>
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

export default function BlastsList() {
  return (
    <RequireStaff min="organizer">
      <BlastsScreen />
    </RequireStaff>
  );
}
