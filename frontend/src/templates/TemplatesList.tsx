import { A } from "@solidjs/router";
import { For, Show, createSignal } from "solid-js";
import { errorCode } from "../lib/errors";
import { locale, tCommon } from "../lib/i18n";
import { createLiveQuery } from "../lib/liveQuery";
import { invalidateOnChanges } from "../lib/realtime";
import { RequireStaff } from "../staff/RequireStaff";
import { ErrorAlert } from "../ui/ErrorAlert";
import { fetchTemplates, templateKeys } from "./api";
import { t } from "./t";

function shortDate(iso: string): string {
  return new Intl.DateTimeFormat(locale() === "es" ? "es-US" : "en-US", { dateStyle: "medium" }).format(new Date(iso));
}

function excerpt(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function TemplatesScreen() {
  const templates = createLiveQuery(() => ({ queryKey: templateKeys.all(), queryFn: fetchTemplates }));
  invalidateOnChanges({ table: "message_templates", queryKeys: [templateKeys.all()] });
  const [showArchived, setShowArchived] = createSignal(false);
  const shown = () => (templates().data ?? []).filter((row) => showArchived() || row.archived_at === null);
  return (
    <section class="space-y-4">
      <div class="flex flex-wrap items-center justify-between gap-3">
        <h1 class="text-2xl font-bold">{t("list.title")}</h1>
        <A href="/messaging/templates/new" class="min-h-12 rounded-lg bg-teal-800 px-5 py-3 font-semibold text-white hover:bg-teal-900">
          {t("list.new")}
        </A>
      </div>
      <p>{t("list.intro")}</p>
      <label class="flex items-center gap-2">
        <input type="checkbox" class="size-5" checked={showArchived()} onChange={(event) => setShowArchived(event.currentTarget.checked)} />
        {t("list.showArchived")}
      </label>
      <Show when={templates().error}>
        <ErrorAlert code={errorCode(templates().error)} />
      </Show>
      <Show when={templates().data} fallback={<Show when={!templates().error}><p role="status">{tCommon("loading")}</p></Show>}>
        <Show when={shown().length > 0} fallback={<p>{t("list.empty")}</p>}>
          <div class="overflow-x-auto" tabindex="0" role="region" aria-label={t("list.table")}>
            <table class="w-full border-collapse text-left">
              <caption class="sr-only">{t("list.table")}</caption>
              <thead>
                <tr class="border-b border-stone-400">
                  <th scope="col" class="p-2">{t("list.columns.name")}</th>
                  <th scope="col" class="p-2">{t("list.columns.channel")}</th>
                  <th scope="col" class="p-2">{t("list.columns.text")}</th>
                  <th scope="col" class="p-2">{t("list.columns.updated")}</th>
                  <th scope="col" class="p-2">{t("list.columns.state")}</th>
                </tr>
              </thead>
              <tbody>
                <For each={shown()}>
                  {(row) => (
                    <tr class="border-b border-stone-200">
                      <td class="p-2">
                        <A href={`/messaging/templates/${row.id}`} class="font-medium text-teal-800 underline">
                          {row.name}
                        </A>
                      </td>
                      <td class="p-2">{t(`channel.${row.channel}`)}</td>
                      <td class="p-2 text-stone-700">{excerpt(row.subject ?? row.body)}</td>
                      <td class="p-2">{shortDate(row.updated_at)}</td>
                      <td class="p-2">{row.archived_at === null ? t("list.active") : t("list.archived")}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </Show>
      </Show>
    </section>
  );
}

export default function TemplatesList() {
  return (
    <RequireStaff min="organizer">
      <TemplatesScreen />
    </RequireStaff>
  );
}
