import { For, Show, createMemo, createSignal, type JSX } from "solid-js";

/** One column: its header, how a row fills its cell, and optionally how to sort by it. */
export interface Column<Row> {
  header: string;
  cell: (row: Row) => JSX.Element;
  /** Extra classes for this column's cells (e.g. "whitespace-nowrap"). */
  class?: string;
  /** The cell names its row for screen readers (`<th scope="row">`); use it on one column. */
  rowHeader?: boolean;
  /** Sort the rows at hand by this value (client-side: only for lists already on the page). */
  sortValue?: (row: Row) => string | number;
}

export interface DataTableProps<Row> {
  /** Every table says what it lists; hide it visually when a heading above already says it. */
  caption: string;
  captionHidden?: boolean;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  /** Classes for the table (e.g. "text-sm"). */
  class?: string;
  /** Names the scroll container as a keyboard-focusable region, so that a table wider than a
   * phone can be scrolled without a mouse (axe: scrollable-region-focusable). */
  regionLabel?: string;
}

type Direction = "ascending" | "descending";

function compare(a: string | number, b: string | number): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b));
}

/** A plain accessible table: a caption, column headers with scope, optional row headers and
 * sortable columns that announce their order (aria-sort). Solid reads `props` lazily, so rows
 * and columns may change while it is shown. */
export function DataTable<Row>(props: DataTableProps<Row>) {
  const [sort, setSort] = createSignal<{ column: number; direction: Direction } | null>(null);
  const rows = createMemo(() => {
    const current = sort();
    const by = current ? props.columns[current.column]?.sortValue : undefined;
    if (!current || !by) return props.rows;
    const sign = current.direction === "ascending" ? 1 : -1;
    return [...props.rows].sort((a, b) => sign * compare(by(a), by(b)));
  });
  const toggle = (column: number) => {
    const current = sort();
    const direction: Direction = current?.column === column && current.direction === "ascending" ? "descending" : "ascending";
    setSort({ column, direction });
  };
  const ariaSort = (column: number): "ascending" | "descending" | "none" => {
    const current = sort();
    return current?.column === column ? current.direction : "none";
  };
  return (
    <div
      class="overflow-x-auto"
      role={props.regionLabel ? "region" : undefined}
      aria-label={props.regionLabel}
      tabindex={props.regionLabel ? 0 : undefined}
    >
      <table class={`w-full text-left ${props.class ?? ""}`}>
        <caption class={props.captionHidden ? "sr-only" : "text-left text-lg font-semibold"}>{props.caption}</caption>
        <thead>
          <tr>
            <For each={props.columns}>
              {(column, index) => (
                <th scope="col" class="pr-3" aria-sort={column.sortValue ? ariaSort(index()) : undefined}>
                  <Show when={column.sortValue} fallback={column.header}>
                    <button
                      type="button"
                      class="inline-flex items-center gap-1 font-bold underline-offset-2 hover:underline focus-visible:outline-3 focus-visible:outline-teal-600"
                      onClick={() => {
                        toggle(index());
                      }}
                    >
                      {column.header}
                      <span aria-hidden="true">{ariaSort(index()) === "ascending" ? "▲" : ariaSort(index()) === "descending" ? "▼" : "↕"}</span>
                    </button>
                  </Show>
                </th>
              )}
            </For>
          </tr>
        </thead>
        <tbody>
          <For each={rows()}>
            {(row) => (
              <tr class="border-t border-stone-200 align-top">
                <For each={props.columns}>
                  {(column) => (
                    <Show
                      when={column.rowHeader}
                      fallback={<td class={`py-2 pr-3 ${column.class ?? ""}`}>{column.cell(row)}</td>}
                    >
                      <th scope="row" class={`py-2 pr-3 font-normal ${column.class ?? ""}`}>
                        {column.cell(row)}
                      </th>
                    </Show>
                  )}
                </For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}

/** Where an email address may wrap: before the "@" and before each dot of its domain
 * ("ana.lopez@mail.example.com" → "ana.lopez", "@mail", ".example", ".com"). */
export function emailWrapParts(email: string): string[] {
  const at = email.lastIndexOf("@");
  if (at <= 0) return [email];
  const domain = email.slice(at + 1).split(".");
  return [email.slice(0, at), `@${domain[0] ?? ""}`, ...domain.slice(1).map((label) => `.${label}`)];
}

/** An email address in a table cell. Cells with `break-all` let a narrow screen squeeze the
 * column to one letter and wrap the address letter by letter; here it wraps only before the
 * "@" and at the domain's dots (<wbr>, which screen readers and copying ignore), and breaks
 * inside a part only when that part alone is wider than the screen. */
export function EmailText(props: { email: string }) {
  return (
    <span class="break-words">
      <For each={emailWrapParts(props.email)}>
        {(part, index) => (
          <>
            <Show when={index() > 0}>
              <wbr />
            </Show>
            {part}
          </>
        )}
      </For>
    </span>
  );
}
