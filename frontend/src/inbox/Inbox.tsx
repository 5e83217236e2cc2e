import { useNavigate, useParams, useSearchParams } from "@solidjs/router";
import { keepPreviousData, useQueryClient } from "@tanstack/solid-query";
import { createSignal, For, onCleanup, Show, Suspense } from "solid-js";
import { errorCode } from "../lib/errors";
import { locale, tCommon } from "../lib/i18n";
import { createLiveQuery } from "../lib/liveQuery";
import { displayPhone } from "../lib/phone";
import { invalidateOnChanges } from "../lib/realtime";
import { RequireStaff } from "../staff/RequireStaff";
import { ErrorAlert } from "../ui/ErrorAlert";
import { notifyError, notifySuccess } from "../ui/notifications";
import { TextField } from "../ui/TextField";
import {
  FILTERS,
  INBOX_POLL_MS,
  fetchCounts,
  inboxKeys,
  listConversations,
  setStatus,
  type ConversationRow,
  type InboxFilter,
} from "./api";
import { Conversation } from "./Conversation";
import { neighbour, SHORTCUT_KEYS, shortcutFor } from "./logic";
import { t } from "./t";

const SEARCH_DELAY_MS = 200;

function isFilter(value: unknown): value is InboxFilter {
  return typeof value === "string" && (FILTERS as readonly string[]).includes(value);
}

function FilterTabs(props: { value: InboxFilter; onChange: (next: InboxFilter) => void }) {
  const counts = createLiveQuery(() => ({ queryKey: inboxKeys.counts(), queryFn: fetchCounts, refetchInterval: INBOX_POLL_MS }));
  return (
    <fieldset class="flex flex-wrap gap-2">
      <legend class="sr-only">{t("filters")}</legend>
      <For each={FILTERS}>
        {(filter) => {
          const unread = () => counts().data?.[filter] ?? 0;
          return (
            <label class="flex cursor-pointer items-center gap-2 rounded-full border border-stone-400 bg-white px-3 py-2 has-[:checked]:border-teal-800 has-[:checked]:bg-teal-50 has-[:focus-visible]:outline-3 has-[:focus-visible]:outline-teal-600">
              <input
                type="radio"
                name="inbox-filter"
                class="sr-only"
                value={filter}
                checked={props.value === filter}
                onChange={() => { props.onChange(filter); }}
              />
              <span>{t(`filter.${filter}`)}</span>
              <Show when={unread() > 0}>
                <span class="rounded-full bg-teal-800 px-2 text-sm font-semibold text-white">
                  <span aria-hidden="true">{unread()}</span>
                  <span class="sr-only">{t("unreadBadge", { count: unread() })}</span>
                </span>
              </Show>
            </label>
          );
        }}
      </For>
    </fieldset>
  );
}

function ConversationItem(props: { row: ConversationRow; selected: boolean; onOpen: () => void }) {
  const name = () => props.row.contact_name ?? displayPhone(props.row.contact_phone) ?? t("unnamed");
  return (
    <li>
      <a
        href={`/inbox/${props.row.id}`}
        aria-current={props.selected ? "true" : undefined}
        class="block rounded-lg border border-stone-300 bg-white p-3 hover:bg-stone-50 aria-[current]:border-teal-800 aria-[current]:bg-teal-50"
        onClick={(event) => {
          event.preventDefault();
          props.onOpen();
        }}
      >
        <span class="flex items-center justify-between gap-2">
          <span class={props.row.unread_count > 0 ? "font-bold" : "font-medium"}>{name()}</span>
          <Show when={props.row.unread_count > 0}>
            <span class="rounded-full bg-teal-800 px-2 text-sm font-semibold text-white">
              <span aria-hidden="true">{props.row.unread_count}</span>
              <span class="sr-only">{t("unreadBadge", { count: props.row.unread_count })}</span>
            </span>
          </Show>
        </span>
        <span class="block truncate text-sm text-stone-700">{props.row.last_message_preview ?? ""}</span>
        <span class="block text-xs text-stone-700">
          {props.row.status === "closed"
            ? t("closedLabel")
            : props.row.assignee_name
              ? t("assignedTo", { name: props.row.assignee_name })
              : t("unassigned")}
        </span>
      </a>
    </li>
  );
}

function ShortcutList() {
  const labels = { next: t("shortcuts.next"), previous: t("shortcuts.previous"), reply: t("shortcuts.reply"), close: t("shortcuts.close") };
  return (
    <details class="rounded-lg border border-stone-300 bg-white p-3 text-sm">
      <summary class="cursor-pointer font-semibold">{t("shortcuts.title")}</summary>
      <dl class="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
        <For each={Object.entries(SHORTCUT_KEYS)}>
          {([key, action]) => (
            <>
              <dt>
                <kbd class="rounded border border-stone-400 px-1.5 font-mono">{key}</kbd>
              </dt>
              <dd>{labels[action]}</dd>
            </>
          )}
        </For>
      </dl>
    </details>
  );
}

function InboxScreen() {
  const params = useParams<{ id?: string }>();
  const [searchParams, setSearchParams] = useSearchParams<{ filter?: string }>();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const filter = (): InboxFilter => (isFilter(searchParams.filter) ? searchParams.filter : "all");
  const [typed, setTyped] = createSignal("");
  const [search, setSearch] = createSignal("");
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => { clearTimeout(timer); });
  const onSearch = (value: string) => {
    setTyped(value);
    clearTimeout(timer);
    timer = setTimeout(() => setSearch(value.trim()), value.trim() === "" ? 0 : SEARCH_DELAY_MS);
  };

  const list = createLiveQuery(() => ({
    queryKey: inboxKeys.list(filter(), search()),
    queryFn: () => listConversations(filter(), search()),
    // Keeps the list on screen while a new filter or a Realtime refetch loads.
    placeholderData: keepPreviousData,
    refetchInterval: INBOX_POLL_MS,
  }));
  invalidateOnChanges({ table: "conversations", queryKeys: [inboxKeys.listAll(), inboxKeys.counts()] });

  const open = (id: string | undefined) => {
    if (id) navigate(`/inbox/${id}${filter() === "all" ? "" : `?filter=${filter()}`}`);
  };
  let replyBox: HTMLTextAreaElement | undefined;

  const onKey = (event: KeyboardEvent) => {
    const action = shortcutFor(event, event.target);
    if (!action) return;
    const ids = (list().data ?? []).map((row) => row.id);
    event.preventDefault();
    if (action === "next") open(neighbour(ids, params.id, 1));
    else if (action === "previous") open(neighbour(ids, params.id, -1));
    else if (action === "reply") replyBox?.focus();
    else if (params.id) void toggleStatus(params.id);
  };
  const toggleStatus = async (id: string) => {
    const current = queryClient.getQueryData<{ status: string }>(["conversations", id]);
    const next = current?.status === "closed" ? "open" : "closed";
    try {
      await setStatus(id, next);
      notifySuccess(() => next === "closed" ? t("closed") : t("reopened"));
      await queryClient.invalidateQueries({ queryKey: ["conversations", id] });
    } catch (error) {
      notifyError(error);
    }
  };
  document.addEventListener("keydown", onKey);
  onCleanup(() => { document.removeEventListener("keydown", onKey); });

  return (
    <section class="space-y-4" lang={locale()}>
      <h1 class="text-2xl font-bold">{t("title")}</h1>
      <div class="grid gap-4 lg:grid-cols-[22rem_1fr]">
        <div class="space-y-3">
          <FilterTabs value={filter()} onChange={(next) => { setSearchParams({ filter: next === "all" ? undefined : next }); }} />
          <form role="search" onSubmit={(event) => { event.preventDefault(); }}>
            <TextField
              label={t("search")}
              hint={t("searchHint")}
              type="search"
              value={typed()}
              onInput={(event) => { onSearch(event.currentTarget.value); }}
            />
          </form>
          {/* A failed refresh keeps the last list on screen (keepPreviousData): say it is stale. */}
          <ErrorAlert code={list().error ? errorCode(list().error) : null} />
          <nav aria-label={t("conversations")}>
            <Show when={list().data} fallback={<p role="status">{tCommon("loading")}</p>}>
              {(rows) => (
                <Show when={rows().length > 0} fallback={<p role="status">{t("none")}</p>}>
                  <ul class="space-y-2">
                    <For each={rows()}>
                      {(row) => <ConversationItem row={row} selected={row.id === params.id} onOpen={() => { open(row.id); }} />}
                    </For>
                  </ul>
                </Show>
              )}
            </Show>
          </nav>
          <ShortcutList />
        </div>
        <Show when={params.id} keyed fallback={<p class="text-stone-700">{t("pickOne")}</p>}>
          {(id) => (
            <Suspense fallback={<p role="status">{tCommon("loading")}</p>}>
              <Conversation
                id={id}
                onToggleStatus={() => void toggleStatus(id)}
                replyRef={(element) => { replyBox = element; }}
              />
            </Suspense>
          )}
        </Show>
      </div>
    </section>
  );
}

export default function Inbox() {
  return (
    <RequireStaff min="organizer">
      <InboxScreen />
    </RequireStaff>
  );
}
