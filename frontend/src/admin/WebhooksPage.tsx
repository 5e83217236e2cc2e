import { useQuery, useQueryClient } from "@tanstack/solid-query";
import { Show } from "solid-js";
import { errorCode } from "../lib/errors";
import { locale, tCommon } from "../lib/i18n";
import { RequireStaff } from "../staff/RequireStaff";
import { Button } from "../ui/Button";
import { DataTable, type Column } from "../ui/DataTable";
import { ErrorAlert } from "../ui/ErrorAlert";
import { notifyError, notifySuccess } from "../ui/notifications";
import {
  auditKeys,
  fetchWebhookCounts,
  fetchWebhookProblems,
  replayWebhook,
  type WebhookCount,
  type WebhookEvent,
} from "./auditApi";
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
        notifySuccess(() => t("webhooks.replayed"));
        refresh();
      },
      (error: unknown) => notifyError(error),
    );
  };
  const countColumns: Column<WebhookCount>[] = [
    { header: t("webhooks.provider"), rowHeader: true, sortValue: (row) => row.provider, cell: (row) => row.provider },
    { header: t("webhooks.status"), sortValue: (row) => row.status, cell: (row) => row.status },
    { header: t("webhooks.events"), sortValue: (row) => row.events, cell: (row) => row.events },
    { header: t("webhooks.oldest"), sortValue: (row) => row.oldest_received_at, cell: (row) => when(row.oldest_received_at) },
  ];
  const problemColumns: Column<WebhookEvent>[] = [
    { header: t("webhooks.received"), rowHeader: true, class: "whitespace-nowrap", cell: (row) => when(row.received_at) },
    { header: t("webhooks.kind"), cell: (row) => `${row.provider} · ${row.event_type}` },
    { header: t("webhooks.status"), cell: (row) => `${row.status} (${String(row.attempts)})` },
    { header: t("webhooks.error"), class: "min-w-48 break-words", cell: (row) => row.last_error ?? "" },
    {
      header: t("staff.actions"),
      cell: (row) => (
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
      ),
    },
  ];
  return (
    <section class="space-y-4">
      <h1 class="text-2xl font-bold">{t("webhooks.title")}</h1>
      <p>{t("webhooks.intro")}</p>
      <Show when={counts.error ?? problems.error}>{(error) => <ErrorAlert code={errorCode(error())} />}</Show>
      <Show when={counts.data} fallback={<Show when={!counts.error}><p role="status">{tCommon("loading")}</p></Show>}>
        {(rows) => <DataTable caption={t("webhooks.countsCaption")} columns={countColumns} rows={rows()} />}
      </Show>
      <Show when={problems.data}>
        {(rows) => (
          <Show when={rows().length > 0} fallback={<p>{t("webhooks.noProblems")}</p>}>
            <DataTable caption={t("webhooks.problemsCaption")} class="text-sm" columns={problemColumns} rows={rows()} />
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
