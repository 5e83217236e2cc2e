import { A } from "@solidjs/router";
import { createLiveQuery } from "../lib/liveQuery";
import { invalidateOnChanges } from "../lib/realtime";
import { RequireStaff } from "../staff/RequireStaff";
import type { Column } from "../ui/DataTable";
import { ListPage } from "../ui/ListPage";
import { blastKeys, fetchBlasts, type Blast } from "./api";
import { count, when } from "./format";
import { t } from "./t";

/** A function, so the headers follow the language. */
const columns = (): Column<Blast>[] => [
  {
    header: t("list.columns.name"),
    rowHeader: true,
    cell: (blast) => (
      <A href={`/messaging/blasts/${blast.id}`} class="font-medium text-teal-800 underline">
        {blast.name}
      </A>
    ),
  },
  { header: t("list.columns.channel"), cell: (blast) => t(`channel.${blast.channel}`) },
  { header: t("list.columns.status"), cell: (blast) => t(`status.${blast.status}`) },
  {
    header: t("list.columns.progress"),
    cell: (blast) => t("list.progress", { sent: count(blast.sent_count), total: count(blast.recipients_total) }),
  },
  { header: t("list.columns.created"), cell: (blast) => when(blast.created_at) },
];

function BlastsScreen() {
  const blasts = createLiveQuery(() => ({ queryKey: blastKeys.all(), queryFn: fetchBlasts }));
  invalidateOnChanges({ table: "blasts", queryKeys: [blastKeys.all()] });
  return (
    <ListPage
      title={t("list.title")}
      intro={t("list.intro")}
      newHref="/messaging/blasts/new"
      newLabel={t("list.new")}
      tableLabel={t("list.table")}
      empty={t("list.empty")}
      columns={columns()}
      rows={blasts().data}
      error={blasts().error}
    />
  );
}

export default function BlastsList() {
  return (
    <RequireStaff min="organizer">
      <BlastsScreen />
    </RequireStaff>
  );
}
