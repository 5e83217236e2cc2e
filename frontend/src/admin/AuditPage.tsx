import { useQuery } from "@tanstack/solid-query";
import { For, Show, createSignal } from "solid-js";
import { errorCode } from "../lib/errors";
import { locale, tCommon } from "../lib/i18n";
import { RequireStaff } from "../staff/RequireStaff";
import { Button } from "../ui/Button";
import { DataTable, EmailText, type Column } from "../ui/DataTable";
import { ErrorAlert } from "../ui/ErrorAlert";
import { TextField } from "../ui/TextField";
import { notifyError } from "../ui/notifications";
import { adminKeys, fetchStaff } from "./api";
import {
  AUDIT_EXPORT_LIMIT,
  AUDIT_PAGE_SIZE,
  EMPTY_FILTER,
  auditCsv,
  auditKeys,
  changedFields,
  fetchAudit,
  type AuditCursor,
  type AuditEntry,
  type AuditFilter,
} from "./auditApi";
import { t } from "./t";

function when(iso: string): string {
  return new Intl.DateTimeFormat(locale() === "es" ? "es-US" : "en-US", { dateStyle: "medium", timeStyle: "medium" }).format(
    new Date(iso),
  );
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

function AuditScreen() {
  const staff = useQuery(() => ({ queryKey: adminKeys.staff(), queryFn: fetchStaff }));
  const [draft, setDraft] = createSignal<AuditFilter>(EMPTY_FILTER);
  const [filter, setFilter] = createSignal<AuditFilter>(EMPTY_FILTER);
  // Keyset pages: the entry each page starts after (null = the newest).
  const [pages, setPages] = createSignal<(AuditCursor | null)[]>([null]);
  const before = () => pages()[pages().length - 1] ?? null;
  const entries = useQuery(() => ({
    queryKey: auditKeys.entries(filter(), before()),
    queryFn: () => fetchAudit(filter(), before(), AUDIT_PAGE_SIZE),
  }));
  const emailOf = (actorId: string | null) => {
    if (!actorId) return t("audit.system");
    return staff.data?.find((member) => member.user_id === actorId)?.email ?? actorId;
  };
  // Not sortable: the page is one slice of the log in time order; sorting it would mislead.
  const columns: Column<AuditEntry>[] = [
    { header: t("audit.when"), rowHeader: true, class: "whitespace-nowrap", cell: (entry) => when(entry.occurred_at) },
    { header: t("audit.who"), cell: (entry) => <EmailText email={emailOf(entry.actor_id)} /> },
    { header: t("audit.action"), cell: (entry) => entry.action },
    { header: t("audit.table"), cell: (entry) => entry.table_name ?? "" },
    {
      header: t("audit.changes"),
      cell: (entry) => (
        <details>
          <summary class="cursor-pointer">{changedFields(entry).join(", ") || t("audit.details")}</summary>
          <pre class="max-w-md overflow-x-auto text-xs whitespace-pre-wrap">
            {JSON.stringify({ before: entry.before, after: entry.after, detail: entry.detail }, null, 2)}
          </pre>
        </details>
      ),
    },
  ];
  const update = (field: keyof AuditFilter, value: string) => setDraft({ ...draft(), [field]: value });
  const apply = (event: SubmitEvent) => {
    event.preventDefault();
    setFilter(draft());
    setPages([null]);
  };
  const older = () => {
    const rows = entries.data ?? [];
    const last = rows[rows.length - 1];
    if (last) setPages([...pages(), { occurredAt: last.occurred_at, id: last.id }]);
  };
  const exportCsv = async () => {
    try {
      const rows = await fetchAudit(filter(), null, AUDIT_EXPORT_LIMIT);
      download("audit-log.csv", auditCsv(rows, emailOf));
    } catch (error) {
      notifyError(error);
    }
  };
  return (
    <section class="space-y-4">
      <h1 class="text-2xl font-bold">{t("audit.title")}</h1>
      <form class="grid gap-3 sm:grid-cols-3" onSubmit={apply} aria-label={t("audit.filters")}>
        <div class="flex flex-col gap-1">
          <label for="audit-person" class="font-medium">
            {t("audit.person")}
          </label>
          <select
            id="audit-person"
            class="min-h-12 rounded-lg border border-stone-500 bg-white px-3"
            value={draft().actorId}
            onChange={(event) => {
              update("actorId", event.currentTarget.value);
            }}
          >
            <option value="">{t("audit.anyone")}</option>
            <For each={staff.data ?? []}>{(member) => <option value={member.user_id}>{member.email}</option>}</For>
          </select>
        </div>
        <TextField label={t("audit.action")} hint={t("audit.actionHint")} value={draft().action} onInput={(event) => {
          update("action", event.currentTarget.value);
        }} />
        <TextField label={t("audit.table")} hint={t("audit.tableHint")} value={draft().table} onInput={(event) => {
          update("table", event.currentTarget.value);
        }} />
        <TextField label={t("audit.from")} type="date" value={draft().from} onInput={(event) => {
          update("from", event.currentTarget.value);
        }} />
        <TextField label={t("audit.to")} type="date" value={draft().to} onInput={(event) => {
          update("to", event.currentTarget.value);
        }} />
        <div class="flex items-end gap-2">
          <Button type="submit">{t("audit.apply")}</Button>
          <Button variant="secondary" onClick={() => void exportCsv()}>
            {t("audit.export")}
          </Button>
        </div>
      </form>
      <Show when={entries.error}>
        <ErrorAlert code={errorCode(entries.error)} />
      </Show>
      <Show when={entries.data} fallback={<Show when={!entries.error}><p role="status">{tCommon("loading")}</p></Show>}>
        {(rows) => (
          <Show when={rows().length > 0} fallback={<p>{t("audit.empty")}</p>}>
            <DataTable caption={t("audit.caption")} captionHidden class="text-sm" columns={columns} rows={rows()} />
            <div class="flex gap-2">
              <Show when={pages().length > 1}>
                <Button variant="secondary" onClick={() => setPages(pages().slice(0, -1))}>
                  {t("audit.newer")}
                </Button>
              </Show>
              <Show when={rows().length === AUDIT_PAGE_SIZE}>
                <Button variant="secondary" onClick={older}>
                  {t("audit.older")}
                </Button>
              </Show>
            </div>
          </Show>
        )}
      </Show>
    </section>
  );
}

export default function AuditPage() {
  return (
    <RequireStaff min="admin">
      <AuditScreen />
    </RequireStaff>
  );
}
