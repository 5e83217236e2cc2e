import { A } from "@solidjs/router";
import type { JSX } from "solid-js";
import { DataBlock } from "./DataBlock";
import { DataTable, type Column } from "./DataTable";

export interface ListPageProps<Row> {
  title: string;
  intro: string;
  /** The page that creates a new row, and its link's words. */
  newHref: string;
  newLabel: string;
  /** Names the table (for screen readers) and its scrollable region. */
  tableLabel: string;
  /** Said instead of the table when there are no rows to show. */
  empty: string;
  columns: readonly Column<Row>[];
  /** The rows to show; undefined while the first load runs. */
  rows: readonly Row[] | undefined;
  /** The last load's failure; the rows already shown stay. */
  error: unknown;
  /** Controls between the intro and the table (filters). */
  children?: JSX.Element;
}

/** A staff list of things staff create (blasts, templates): a heading with the "new" link, what
 * the list is for, its filters, and the rows — or a loading, failure or empty message. */
export function ListPage<Row>(props: ListPageProps<Row>) {
  return (
    <section class="space-y-4">
      <div class="flex flex-wrap items-center justify-between gap-3">
        <h1 class="text-2xl font-bold">{props.title}</h1>
        <A href={props.newHref} class="min-h-12 rounded-lg bg-teal-800 px-5 py-3 font-semibold text-white hover:bg-teal-900">
          {props.newLabel}
        </A>
      </div>
      <p>{props.intro}</p>
      {props.children}
      <DataBlock data={props.rows} error={props.error} isEmpty={(rows) => rows.length === 0} empty={props.empty}>
        {(rows) => (
          <DataTable caption={props.tableLabel} captionHidden regionLabel={props.tableLabel} columns={props.columns} rows={rows()} />
        )}
      </DataBlock>
    </section>
  );
}
