import { A } from "@solidjs/router";
import { createSignal } from "solid-js";
import { locale } from "../lib/i18n";
import { createLiveQuery } from "../lib/liveQuery";
import { invalidateOnChanges } from "../lib/realtime";
import { RequireStaff } from "../staff/RequireStaff";
import type { Column } from "../ui/DataTable";
import { ListPage } from "../ui/ListPage";
import { fetchTemplates, templateKeys, type Template } from "./api";
import { t } from "./t";

function shortDate(iso: string): string {
  return new Intl.DateTimeFormat(locale() === "es" ? "es-US" : "en-US", { dateStyle: "medium" }).format(new Date(iso));
}

function excerpt(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

/** A function, so the headers follow the language. */
const columns = (): Column<Template>[] => [
  {
    header: t("list.columns.name"),
    rowHeader: true,
    cell: (row) => (
      <A href={`/messaging/templates/${row.id}`} class="font-medium text-teal-800 underline">
        {row.name}
      </A>
    ),
  },
  { header: t("list.columns.channel"), cell: (row) => t(`channel.${row.channel}`) },
  { header: t("list.columns.text"), class: "text-stone-700", cell: (row) => excerpt(row.subject ?? row.body) },
  { header: t("list.columns.updated"), cell: (row) => shortDate(row.updated_at) },
  { header: t("list.columns.state"), cell: (row) => (row.archived_at === null ? t("list.active") : t("list.archived")) },
];

function TemplatesScreen() {
  const templates = createLiveQuery(() => ({ queryKey: templateKeys.all(), queryFn: fetchTemplates }));
  invalidateOnChanges({ table: "message_templates", queryKeys: [templateKeys.all()] });
  const [showArchived, setShowArchived] = createSignal(false);
  const shown = () => templates().data?.filter((row) => showArchived() || row.archived_at === null);
  return (
    <ListPage
      title={t("list.title")}
      intro={t("list.intro")}
      newHref="/messaging/templates/new"
      newLabel={t("list.new")}
      tableLabel={t("list.table")}
      empty={t("list.empty")}
      columns={columns()}
      rows={shown()}
      error={templates().error}
    >
      <label class="flex items-center gap-2">
        <input type="checkbox" class="size-5" checked={showArchived()} onChange={(event) => setShowArchived(event.currentTarget.checked)} />
        {t("list.showArchived")}
      </label>
    </ListPage>
  );
}

export default function TemplatesList() {
  return (
    <RequireStaff min="organizer">
      <TemplatesScreen />
    </RequireStaff>
  );
}
