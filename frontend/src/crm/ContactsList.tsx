import { A, useSearchParams } from "@solidjs/router";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/solid-query";
import { createEffect, createMemo, createSignal, For, on, onCleanup, Show } from "solid-js";
import { RequireStaff } from "../staff/RequireStaff";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { notifyError, notifySuccess } from "../ui/notifications";
import { TextField } from "../ui/TextField";
import { errorCode } from "../lib/errors";
import { displayPhone } from "../lib/phone";
import {
  changeTags,
  countContacts,
  exportContacts,
  fetchEventsForFilter,
  fetchSegments,
  fetchTagCounts,
  listContacts,
  PAGE_SIZE,
  saveSegment,
  type ContactRow,
} from "./api";
import { download, toCsv } from "./csv";
import {
  CONSENT_FILTERS,
  EMPTY_FILTER,
  fromDefinition,
  fromSearchParams,
  LANGUAGES,
  SORTS,
  toSearchParams,
  type ContactFilter,
} from "./filters";
import { displayName } from "./names";
import { SelectField } from "./SelectField";
import { t } from "./t";
import { tCommon } from "../lib/i18n";

const SEARCH_DELAY_MS = 150;

function FilterPanel(props: { filter: ContactFilter; onChange: (next: ContactFilter) => void }) {
  const tags = useQuery(() => ({ queryKey: ["rpc", "contact_tag_counts"], queryFn: fetchTagCounts }));
  const events = useQuery(() => ({ queryKey: ["events", "for-filter"], queryFn: fetchEventsForFilter }));
  const tagOptions = () => [
    { value: "", label: t("list.anyTag") },
    ...(tags.data ?? []).map((row) => ({ value: row.tag, label: `${row.tag} (${row.contacts})` })),
  ];
  const consentOptions = () => [
    { value: "", label: t("list.consent.any") },
    ...CONSENT_FILTERS.map((value) => ({ value, label: t(`list.consent.${value}`) })),
  ];
  const set = (changes: Partial<ContactFilter>) => { props.onChange({ ...props.filter, ...changes }); };
  return (
    <details class="rounded-lg border border-stone-300 bg-white p-3">
      <summary class="cursor-pointer font-semibold">{t("list.filters")}</summary>
      <div class="mt-3 grid gap-3 sm:grid-cols-2">
        <SelectField
          label={t("list.hasTag")}
          options={tagOptions()}
          value={props.filter.tagsAny[0] ?? ""}
          onChange={(value) => { set({ tagsAny: value ? [value] : [] }); }}
        />
        <SelectField
          label={t("list.withoutTag")}
          options={tagOptions()}
          value={props.filter.tagsNone[0] ?? ""}
          onChange={(value) => { set({ tagsNone: value ? [value] : [] }); }}
        />
        <SelectField
          label={t("list.attended")}
          options={[{ value: "", label: t("list.anyEvent") }, ...(events.data ?? []).map((e) => ({ value: e.id, label: e.name }))]}
          value={props.filter.attendedEvent ?? ""}
          onChange={(value) => { set({ attendedEvent: value || null }); }}
        />
        <TextField
          label={t("list.minCheckIns")}
          type="number"
          min="0"
          inputmode="numeric"
          value={props.filter.minCheckIns?.toString() ?? ""}
          onChange={(event) => {
            const value = Number.parseInt(event.currentTarget.value, 10);
            set({ minCheckIns: Number.isInteger(value) && value >= 0 ? value : null });
          }}
        />
        <SelectField
          label={t("list.consentSms")}
          options={consentOptions()}
          value={props.filter.consentSms ?? ""}
          onChange={(value) => { set({ consentSms: CONSENT_FILTERS.find((c) => c === value) ?? null }); }}
        />
        <SelectField
          label={t("list.consentEmail")}
          options={consentOptions()}
          value={props.filter.consentEmail ?? ""}
          onChange={(value) => { set({ consentEmail: CONSENT_FILTERS.find((c) => c === value) ?? null }); }}
        />
        <TextField
          label={t("list.createdFrom")}
          type="date"
          value={props.filter.createdFrom ?? ""}
          onChange={(event) => { set({ createdFrom: event.currentTarget.value || null }); }}
        />
        <TextField
          label={t("list.createdTo")}
          type="date"
          value={props.filter.createdTo ?? ""}
          onChange={(event) => { set({ createdTo: event.currentTarget.value || null }); }}
        />
        <SelectField
          label={t("list.language")}
          options={[{ value: "", label: t("list.anyLanguage") }, ...LANGUAGES.map((value) => ({ value, label: tCommon(`language.${value}`) }))]}
          value={props.filter.language ?? ""}
          onChange={(value) => { set({ language: LANGUAGES.find((l) => l === value) ?? null }); }}
        />
      </div>
      <Button variant="link" class="mt-2" onClick={() => { props.onChange({ ...EMPTY_FILTER, search: props.filter.search, sort: props.filter.sort }); }}>
        {t("list.clearFilters")}
      </Button>
    </details>
  );
}

function SavedViews(props: { filter: ContactFilter; onChoose: (filter: ContactFilter) => void }) {
  const queryClient = useQueryClient();
  const segments = useQuery(() => ({ queryKey: ["segments", "list"], queryFn: fetchSegments }));
  const [name, setName] = createSignal("");
  const save = useMutation(() => ({
    mutationFn: () => saveSegment(name().trim(), props.filter),
    onSuccess: () => {
      const savedName = name().trim();
      notifySuccess(() => t("list.viewSaved", { name: savedName }));
      setName("");
      void queryClient.invalidateQueries({ queryKey: ["segments"] });
    },
  }));
  return (
    <div class="flex flex-wrap items-end gap-3">
      <SelectField
        label={t("list.views")}
        options={[{ value: "", label: t("list.noView") }, ...(segments.data ?? []).map((s) => ({ value: s.id, label: s.name }))]}
        value=""
        onChange={(id) => {
          const chosen = segments.data?.find((segment) => segment.id === id);
          const definition = chosen?.definition;
          if (definition && typeof definition === "object" && !Array.isArray(definition)) {
            props.onChoose({ ...fromDefinition(definition), search: props.filter.search, sort: props.filter.sort });
          }
        }}
      />
      <form
        class="flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          if (name().trim() !== "") save.mutate();
        }}
      >
        <TextField label={t("list.viewName")} value={name()} onInput={(event) => setName(event.currentTarget.value)} maxlength={200} />
        <Button type="submit" variant="secondary" disabled={save.isPending || name().trim() === ""}>
          {t("list.saveView")}
        </Button>
      </form>
      <ErrorAlert code={save.error ? errorCode(save.error) : null} />
    </div>
  );
}

function BulkActions(props: {
  filter: ContactFilter;
  selected: string[];
  allMatching: boolean;
  total: number | undefined;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const [tag, setTag] = createSignal("");
  const target = () => (props.allMatching ? null : props.selected);
  const count = () => (props.allMatching ? (props.total ?? 0) : props.selected.length);
  const tagging = useMutation(() => ({
    mutationFn: (change: { add: string[]; remove: string[] }) => changeTags(target(), props.filter, change),
    onSuccess: (changed) => {
      notifySuccess(() => t("list.bulk.tagged", { count: changed }));
      setTag("");
      void queryClient.invalidateQueries({ queryKey: ["rpc"] });
      props.onDone();
    },
    onError: notifyError,
  }));
  const exporting = useMutation(() => ({
    mutationFn: () => exportContacts(props.filter),
    onSuccess: (rows) => {
      const chosen = props.allMatching || props.selected.length === 0 ? rows : rows.filter((row) => props.selected.includes(row.id));
      download(
        toCsv(chosen, ["id", "first_name", "last_name", "phone", "email", "pronouns", "company", "title", "tags", "custom_fields", "source", "time_zone", "birthday", "created_at"]),
        `contacts-${new Date().toISOString().slice(0, 10)}.csv`,
      );
      notifySuccess(() => t("list.bulk.exported", { count: chosen.length }));
    },
    onError: notifyError,
  }));
  return (
    <section aria-labelledby="bulk-title" class="space-y-2 rounded-lg border border-stone-300 bg-stone-50 p-3">
      <h2 id="bulk-title" class="font-semibold">
        {t("list.bulk.title")}
      </h2>
      <p role="status">
        {props.allMatching ? t("list.bulk.allMatching", { count: count() }) : t("list.bulk.selected", { count: count() })}
      </p>
      <div class="flex flex-wrap items-end gap-2">
        <TextField label={t("list.bulk.tag")} value={tag()} onInput={(event) => setTag(event.currentTarget.value)} maxlength={64} />
        <Button
          variant="secondary"
          disabled={tagging.isPending || tag().trim() === "" || count() === 0}
          onClick={() => { tagging.mutate({ add: [tag().trim()], remove: [] }); }}
        >
          {t("list.bulk.addTag")}
        </Button>
        <Button
          variant="secondary"
          disabled={tagging.isPending || tag().trim() === "" || count() === 0}
          onClick={() => { tagging.mutate({ add: [], remove: [tag().trim()] }); }}
        >
          {t("list.bulk.removeTag")}
        </Button>
        <Button variant="secondary" disabled={exporting.isPending} onClick={() => { exporting.mutate(); }}>
          {t("list.bulk.export")}
        </Button>
      </div>
    </section>
  );
}

function ContactsTable(props: {
  rows: ContactRow[];
  selected: Set<string>;
  onToggle: (id: string, on: boolean) => void;
  onTogglePage: (on: boolean) => void;
}) {
  const allOnPage = () => props.rows.length > 0 && props.rows.every((row) => props.selected.has(row.id));
  return (
    <div class="overflow-x-auto rounded-lg border border-stone-300 bg-white" tabindex="0" role="region" aria-label={t("list.table")}>
      <table class="w-full text-left text-sm">
        <thead class="bg-stone-100">
          <tr>
            <th scope="col" class="p-2">
              <input
                type="checkbox"
                class="size-5"
                aria-label={t("list.selectPage")}
                checked={allOnPage()}
                onChange={(event) => { props.onTogglePage(event.currentTarget.checked); }}
              />
            </th>
            <th scope="col" class="p-2">{t("list.columns.name")}</th>
            <th scope="col" class="p-2">{t("list.columns.phone")}</th>
            <th scope="col" class="p-2">{t("list.columns.email")}</th>
            <th scope="col" class="p-2">{t("list.columns.company")}</th>
            <th scope="col" class="p-2">{t("list.columns.tags")}</th>
            <th scope="col" class="p-2">{t("list.columns.checkIns")}</th>
            <th scope="col" class="p-2">{t("list.columns.sms")}</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.rows}>
            {(row) => (
              <tr class="border-t border-stone-200">
                <td class="p-2">
                  <input
                    type="checkbox"
                    class="size-5"
                    aria-label={t("list.selectRow", { name: displayName(row) })}
                    checked={props.selected.has(row.id)}
                    onChange={(event) => { props.onToggle(row.id, event.currentTarget.checked); }}
                  />
                </td>
                <td class="p-2">
                  <A href={`/crm/contacts/${row.id}`} class="font-semibold text-teal-900 underline">
                    {displayName(row)}
                  </A>
                </td>
                <td class="p-2 whitespace-nowrap">{displayPhone(row.phone)}</td>
                <td class="p-2">{row.email}</td>
                <td class="p-2">{row.company}</td>
                <td class="p-2">{row.tags.join(", ")}</td>
                <td class="p-2 text-right">{row.check_in_count}</td>
                <td class="p-2">{row.sms_consent ? t(`list.consent.${row.sms_consent}`) : ""}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}

/** The contacts list: search as you type, filters, sort, pages, saved views, bulk tags, export.
 * The filter lives in the URL, so reload, back and a shared link show the same list. */
export default function ContactsList() {
  const [params, setParams] = useSearchParams<Record<string, string>>();
  const filter = createMemo(() => fromSearchParams(params));
  const page = createMemo(() => Math.max(0, Number.parseInt(params.page ?? "0", 10) || 0));
  const setFilter = (next: ContactFilter) => {
    const empty = Object.fromEntries(Object.keys(params).map((key) => [key, undefined]));
    setParams({ ...empty, ...toSearchParams(next) }, { replace: true });
  };
  const setPage = (next: number) => { setParams({ page: next > 0 ? String(next) : undefined }); };

  // What is typed shows at once; the list follows after a short pause. A cleared box applies at
  // once: a late timer would otherwise change the filter (and drop the selection) after the
  // organizer had moved on to ticking rows.
  const [typed, setTyped] = createSignal(filter().search);
  createEffect(
    on(typed, (value) => {
      const apply = () => {
        if (value !== filter().search) setFilter({ ...filter(), search: value });
      };
      if (value === "") {
        apply();
        return;
      }
      const timer = setTimeout(apply, SEARCH_DELAY_MS);
      onCleanup(() => { clearTimeout(timer); });
    }, { defer: true }),
  );

  const [selected, setSelected] = createSignal(new Set<string>());
  const [allMatching, setAllMatching] = createSignal(false);
  createEffect(on(filter, () => {
    setSelected(new Set<string>());
    setAllMatching(false);
  }, { defer: true }));

  const rows = useQuery(() => ({
    queryKey: ["rpc", "list_contacts", filter(), page()],
    queryFn: () => listContacts(filter(), page()),
    placeholderData: keepPreviousData,
  }));
  const total = useQuery(() => ({
    queryKey: ["rpc", "count_contacts", { ...filter(), sort: null }],
    queryFn: () => countContacts(filter()),
    placeholderData: keepPreviousData,
  }));
  const pages = () => Math.max(1, Math.ceil((total.data ?? 0) / PAGE_SIZE));

  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected());
    if (on) next.add(id);
    else next.delete(id);
    setAllMatching(false);
    setSelected(next);
  };
  const togglePage = (on: boolean) => {
    const next = new Set(selected());
    for (const row of rows.data ?? []) {
      if (on) next.add(row.id);
      else next.delete(row.id);
    }
    setAllMatching(false);
    setSelected(next);
  };

  return (
    <RequireStaff min="organizer">
      <section class="space-y-4">
        <h1 class="text-2xl font-bold">{t("list.title")}</h1>
        <form role="search" onSubmit={(event) => { event.preventDefault(); }}>
          <TextField
            label={t("list.search")}
            hint={t("list.searchHint")}
            type="search"
            autocomplete="off"
            value={typed()}
            onInput={(event) => setTyped(event.currentTarget.value)}
          />
        </form>
        <div class="flex flex-wrap items-end gap-3">
          <SelectField
            label={t("list.sort")}
            options={SORTS.map((value) => ({ value, label: t(`list.sorts.${value}`) }))}
            value={filter().sort}
            onChange={(value) => { setFilter({ ...filter(), sort: SORTS.find((s) => s === value) ?? "newest" }); }}
          />
        </div>
        <FilterPanel filter={filter()} onChange={setFilter} />
        <SavedViews filter={filter()} onChoose={setFilter} />
        <p role="status" aria-live="polite" class="font-semibold">
          <Show when={total.data !== undefined} fallback={t("list.counting")}>
            {total.data === 1 ? t("list.countOne") : t("list.count", { count: (total.data ?? 0).toLocaleString() })}
          </Show>
        </p>
        <ErrorAlert code={rows.error ? errorCode(rows.error) : total.error ? errorCode(total.error) : null} />
        <Show when={selected().size > 0 || allMatching()}>
          <BulkActions
            filter={filter()}
            selected={[...selected()]}
            allMatching={allMatching()}
            total={total.data}
            onDone={() => {
              setSelected(new Set<string>());
              setAllMatching(false);
            }}
          />
        </Show>
        <Show when={!allMatching() && (total.data ?? 0) > selected().size}>
          <Button variant="link" onClick={() => setAllMatching(true)}>
            {t("list.bulk.selectAllMatching", { count: (total.data ?? 0).toLocaleString() })}
          </Button>
        </Show>
        <Show when={rows.data} fallback={<p role="status">{tCommon("loading")}</p>}>
          {(data) => (
            <Show when={data().length > 0} fallback={<p>{t("list.none")}</p>}>
              <ContactsTable rows={data()} selected={selected()} onToggle={toggle} onTogglePage={togglePage} />
            </Show>
          )}
        </Show>
        <nav aria-label={t("list.page", { page: page() + 1, pages: pages() })} class="flex items-center gap-3">
          <Button variant="secondary" disabled={page() === 0} onClick={() => { setPage(page() - 1); }}>
            {t("list.previous")}
          </Button>
          <span>{t("list.page", { page: page() + 1, pages: pages() })}</span>
          <Button variant="secondary" disabled={page() + 1 >= pages()} onClick={() => { setPage(page() + 1); }}>
            {t("list.next")}
          </Button>
        </nav>
      </section>
    </RequireStaff>
  );
}
