import { useQuery, useQueryClient } from "@tanstack/solid-query";
import { For, Show } from "solid-js";
import { errorCode } from "../lib/errors";
import { locale, tCommon } from "../lib/i18n";
import { RequireStaff } from "../staff/RequireStaff";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { notifyError, notifySuccess } from "../ui/notifications";
import { auditKeys, fetchWebhookCounts, fetchWebhookProblems, replayWebhook } from "./auditApi";
import { t } from "./t";

function when(iso: string): string {
  return new Intl.DateTimeFormat(locale() === "es" ? "es-US" : "en-US", { dateStyle: "medium", timeStyle: "short" }).format(
    new Date(iso),
  );
}

function WebhooksScreen() {
  const queryClient = useQueryClient();
  const counts = useQuery(() => ({ queryKey: auditKeys.webhookCounts(), queryFn: fetchWebhookCounts }));
  const problems = useQuery(() => ({ queryKey: auditKeys.webhookProblems(), queryFn: fetchWebhookProblems }));
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: auditKeys.webhookCounts() });
    void queryClient.invalidateQueries({ queryKey: auditKeys.webhookProblems() });
  };
  const replay = (id: string) => {
    replayWebhook(id).then(
      () => {
        notifySuccess(t("webhooks.replayed"));
        refresh();
      },
      (error: unknown) => notifyError(error),
    );
  };
  return (
    <section class="space-y-4">
      <h1 class="text-2xl font-bold">{t("webhooks.title")}</h1>
      <p>{t("webhooks.intro")}</p>
      <Show when={counts.error ?? problems.error}>{(error) => <ErrorAlert code={errorCode(error())} />}</Show>
      <Show when={counts.data} fallback={<Show when={!counts.error}><p role="status">{tCommon("loading")}</p></Show>}>
        {(rows) => (
          <table class="w-full text-left">
            <caption class="text-left text-lg font-semibold">{t("webhooks.countsCaption")}</caption>
            <thead>
              <tr>
                <th scope="col" class="pr-3">{t("webhooks.provider")}</th>
                <th scope="col" class="pr-3">{t("webhooks.status")}</th>
                <th scope="col" class="pr-3">{t("webhooks.events")}</th>
                <th scope="col">{t("webhooks.oldest")}</th>
              </tr>
            </thead>
            <tbody>
              <For each={rows()}>
                {(row) => (
                  <tr class="border-t border-stone-200">
                    <td class="py-1 pr-3">{row.provider}</td>
                    <td class="py-1 pr-3">{row.status}</td>
                    <td class="py-1 pr-3">{row.events}</td>
                    <td class="py-1">{when(row.oldest_received_at)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        )}
      </Show>
      <Show when={problems.data}>
        {(rows) => (
          <Show when={rows().length > 0} fallback={<p>{t("webhooks.noProblems")}</p>}>
            <table class="w-full text-left text-sm">
              <caption class="text-left text-lg font-semibold">{t("webhooks.problemsCaption")}</caption>
              <thead>
                <tr>
                  <th scope="col" class="pr-3">{t("webhooks.received")}</th>
                  <th scope="col" class="pr-3">{t("webhooks.kind")}</th>
                  <th scope="col" class="pr-3">{t("webhooks.status")}</th>
                  <th scope="col" class="pr-3">{t("webhooks.error")}</th>
                  <th scope="col">{t("staff.actions")}</th>
                </tr>
              </thead>
              <tbody>
                <For each={rows()}>
                  {(row) => (
                    <tr class="border-t border-stone-200 align-top">
                      <td class="py-2 pr-3 whitespace-nowrap">{when(row.received_at)}</td>
                      <td class="py-2 pr-3">
                        {row.provider} · {row.event_type}
                      </td>
                      <td class="py-2 pr-3">
                        {row.status} ({row.attempts})
                      </td>
                      <td class="py-2 pr-3 break-all">{row.last_error ?? ""}</td>
                      <td class="py-2">
                        <Button
                          variant="secondary"
                          class="min-h-10 px-3 py-1 text-sm"
                          aria-label={t("webhooks.replayOne", { kind: row.event_type, at: when(row.received_at) })}
                          onClick={() => {
                            replay(row.id);
                          }}
                        >
                          {t("webhooks.replay")}
                        </Button>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
        )}
      </Show>
    </section>
  );
}

export default function WebhooksPage() {
  return (
    <RequireStaff min="admin">
      <WebhooksScreen />
    </RequireStaff>
  );
}
