import { useQuery, useQueryClient } from "@tanstack/solid-query";
import { createEffect, createSignal, For, Index, on, Show, Suspense, untrack } from "solid-js";
import { formatDateTime } from "../lib/dates";
import { errorCode } from "../lib/errors";
import { locale } from "../lib/i18n";
import { createLiveQuery } from "../lib/liveQuery";
import { displayPhone } from "../lib/phone";
import { invalidateOnChanges } from "../lib/realtime";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { notifyError, notifySuccess } from "../ui/notifications";
import {
  assign,
  fetchConversation,
  fetchThread,
  INBOX_POLL_MS,
  inboxKeys,
  listAssignees,
  markConversationNoticesRead,
  markRead,
  signMedia,
  type ConversationDetail,
  type Message,
} from "./api";
import { CannedReplyForm } from "./CannedReplyForm";
import { closeSentence, isMediaKey, replyBlock } from "./logic";
import { useViewers } from "./presence";
import { ReplyBox } from "./ReplyBox";
import { t } from "./t";

const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

function displayName(conversation: ConversationDetail): string {
  return conversation.contactName ?? displayPhone(conversation.phone) ?? t("unnamed");
}

function MessageMedia(props: { keys: string[]; urls: Record<string, string> | undefined }) {
  return (
    <Show when={props.keys.length > 0}>
      <ul class="mt-2 flex flex-wrap gap-2">
        <Index each={props.keys}>
          {(key, index) => (
            <li>
              <Show
                when={isMediaKey(key()) && props.urls?.[key()]}
                fallback={<span class="text-sm italic">{t("pictureArriving")}</span>}
              >
                {(url) => (
                  <a href={url()} target="_blank" rel="noreferrer" aria-label={t("openPicture", { n: index + 1 })}>
                    <img src={url()} alt={t("picture", { n: index + 1 })} class="max-h-48 rounded border border-stone-300" />
                  </a>
                )}
              </Show>
            </li>
          )}
        </Index>
      </ul>
    </Show>
  );
}

function MessageItem(props: { message: Message; urls: () => Record<string, string> | undefined; onSave: () => void }) {
  const inbound = () => props.message.direction === "inbound";
  return (
    <li class={`flex ${inbound() ? "justify-start" : "justify-end"}`}>
      <article
        class={`max-w-[80%] rounded-lg border p-3 ${inbound() ? "border-stone-300 bg-white" : "border-teal-700 bg-teal-50"}`}
        aria-label={inbound() ? t("theyWrote") : t("youWrote")}
      >
        <Show when={props.message.body}>
          <p class="whitespace-pre-wrap">{props.message.body}</p>
        </Show>
        <MessageMedia keys={props.message.media_urls} urls={props.urls()} />
        <p class="mt-1 flex flex-wrap items-center gap-2 text-xs text-stone-700">
          <time datetime={props.message.created_at}>{formatDateTime(props.message.created_at, TIME_ZONE, locale())}</time>
          <span data-status={props.message.status} class="font-semibold">
            {t(`status.${props.message.status}`)}
          </span>
          <Show when={props.message.body}>
            <button type="button" class="text-teal-900 underline" onClick={() => { props.onSave(); }}>
              {t("saveCanned")}
            </button>
          </Show>
        </p>
      </article>
    </li>
  );
}

function Thread(props: { conversationId: string; name: string; onSave: (body: string) => void }) {
  const thread = createLiveQuery(() => ({
    queryKey: inboxKeys.thread(props.conversationId),
    queryFn: () => fetchThread(props.conversationId),
    refetchInterval: INBOX_POLL_MS,
  }));
  // The parent is keyed by conversation: this component lives for one id.
  const id = untrack(() => props.conversationId);
  invalidateOnChanges({ table: "messages", filter: `conversation_id=eq.${id}`, queryKeys: [inboxKeys.thread(id)] });
  const keys = () => (thread().data ?? []).flatMap((message) => message.media_urls.filter(isMediaKey));
  const media = useQuery(() => ({
    queryKey: inboxKeys.media(keys()),
    queryFn: () => signMedia(keys()),
    enabled: keys().length > 0,
    // Signed for ten minutes: renew well before.
    staleTime: 5 * 60_000,
  }));
  let end: HTMLLIElement | undefined;
  createEffect(on(() => thread().data?.length, () => end?.scrollIntoView({ block: "end" })));
  return (
    <>
      {/* A failed refresh keeps the last messages on screen: say they may be out of date. */}
      <ErrorAlert code={thread().error ? errorCode(thread().error) : null} />
      <section aria-label={t("thread", { name: props.name })} class="max-h-[60vh] overflow-y-auto rounded-lg bg-stone-100 p-3" tabindex="0">
        <ol class="space-y-2">
          <For each={thread().data ?? []}>
            {(message) => (
              // Signing new pictures suspends only the message that shows them.
              <Suspense fallback={<li>{t("pictureArriving")}</li>}>
                <MessageItem message={message} urls={() => media.data} onSave={() => { props.onSave(message.body); }} />
              </Suspense>
            )}
          </For>
          <li ref={end} aria-hidden="true" />
        </ol>
      </section>
    </>
  );
}

function Header(props: { conversation: ConversationDetail; onToggleStatus: () => void }) {
  const queryClient = useQueryClient();
  const staff = useQuery(() => ({ queryKey: inboxKeys.staff(), queryFn: listAssignees }));
  const viewers = useViewers(() => props.conversation.id);
  const onAssign = async (value: string) => {
    try {
      await assign(props.conversation.id, value || null);
      notifySuccess(() => t("assigned"));
      await queryClient.invalidateQueries({ queryKey: inboxKeys.conversation(props.conversation.id) });
    } catch (error) {
      notifyError(error);
    }
  };
  return (
    <header class="space-y-2">
      <div class="flex flex-wrap items-center justify-between gap-2">
        <h2 class="text-xl font-bold">
          {displayName(props.conversation)}
          <Show when={props.conversation.contactName && props.conversation.phone}>
            <span class="ml-2 text-base font-normal text-stone-700">{displayPhone(props.conversation.phone)}</span>
          </Show>
        </h2>
        <Button variant="secondary" aria-keyshortcuts="c" onClick={() => { props.onToggleStatus(); }}>
          {props.conversation.status === "closed" ? t("reopen") : t("close")}
        </Button>
      </div>
      <div class="flex flex-wrap items-end gap-3">
        <label class="flex flex-col gap-1">
          <span class="font-medium">{t("assign")}</span>
          <select
            class="min-h-12 rounded-lg border border-stone-500 bg-white px-3"
            value={props.conversation.assignedTo ?? ""}
            onChange={(event) => void onAssign(event.currentTarget.value)}
          >
            <option value="" selected={props.conversation.assignedTo === null}>
              {t("nobody")}
            </option>
            <For each={staff.data ?? []}>
              {(member) => (
                <option value={member.userId} selected={member.userId === props.conversation.assignedTo}>
                  {member.name}
                </option>
              )}
            </For>
          </select>
        </label>
        <p role="status" class="text-sm text-stone-800">
          <Show when={viewers().length > 0}>{t("alsoViewing", { names: viewers().join(", ") })}</Show>
        </p>
      </div>
    </header>
  );
}

function BlockedNotice(props: { conversation: ConversationDetail }) {
  const source = () => replyBlock(props.conversation.consent);
  const date = () =>
    props.conversation.consent.changedAt ? formatDateTime(props.conversation.consent.changedAt, TIME_ZONE, locale()) : "";
  return (
    <Show when={source()}>
      {(reason) => (
        <section class="rounded-lg border border-amber-700 bg-amber-50 p-3" aria-labelledby="reply-blocked">
          <h3 id="reply-blocked" class="font-semibold">
            {t("blocked.title")}
          </h3>
          <p>
            {closeSentence(t(`blocked.${reason()}`, { name: displayName(props.conversation), date: date() }))}
            <Show when={reason() === "keyword"}> {t("blocked.untilStart")}</Show>
          </p>
        </section>
      )}
    </Show>
  );
}

export function Conversation(props: { id: string; onToggleStatus: () => void; replyRef: (element: HTMLTextAreaElement) => void }) {
  const conversation = createLiveQuery(() => ({ queryKey: inboxKeys.conversation(props.id), queryFn: () => fetchConversation(props.id) }));
  // Keyed by the route's id: this component lives for one conversation.
  const id = untrack(() => props.id);
  invalidateOnChanges({ table: "conversations", filter: `id=eq.${id}`, queryKeys: [inboxKeys.conversation(id)] });
  const [saving, setSaving] = createSignal<string | null>(null);
  // Reading the conversation clears its unread count and the reader's notices about it (again
  // when a new text arrives while open).
  let noticesCleared = false;
  createEffect(() => {
    const current = conversation().data;
    if (!current) return;
    if (current.unreadCount > 0) markRead(current.id).catch(notifyError);
    if (current.unreadCount > 0 || !noticesCleared) markConversationNoticesRead(current.id).catch(notifyError);
    noticesCleared = true;
  });
  // A failed refresh keeps the last state on screen: say it may be out of date.
  const failure = () => (conversation().error ? errorCode(conversation().error) : null);
  return (
    <Show
      when={conversation().data}
      fallback={<Show when={failure()} fallback={<p role="status">…</p>}><ErrorAlert code={failure()} /></Show>}
    >
      {(current) => (
        <div class="space-y-3">
          <ErrorAlert code={failure()} />
          <Header conversation={current()} onToggleStatus={() => { props.onToggleStatus(); }} />
          <Thread conversationId={props.id} name={displayName(current())} onSave={(body) => setSaving(body)} />
          <Show when={saving()} keyed>
            {(body) => <CannedReplyForm body={body} onDone={() => setSaving(null)} />}
          </Show>
          <Show when={!replyBlock(current().consent)} fallback={<BlockedNotice conversation={current()} />}>
            <ReplyBox conversationId={props.id} ref={props.replyRef} />
          </Show>
        </div>
      )}
    </Show>
  );
}
