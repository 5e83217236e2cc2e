import { useQuery, useQueryClient } from "@tanstack/solid-query";
import { createEffect, createSignal, For, on, onCleanup, Show } from "solid-js";
import { errorCode, type ErrorCode } from "../lib/errors";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { notifyError, notifySuccess } from "../ui/notifications";
import { inboxKeys, listCannedReplies, measureSms, sendReply, uploadReplyImage, type SmsMeasure } from "./api";
import { insertReply, matchingReplies, slashTokenAt, type CannedReply, type SlashToken } from "./logic";
import { t } from "./t";

const MEASURE_DELAY_MS = 250;

/** The SQL's own count of what the reply costs. (The shared SMS counter with its UCS-2
 * highlighting lives in the blasts' composer; this box shows the plain figures.) A signal, not
 * a query: each keystroke's text is asked once and only the latest answer is shown. */
function Counter(props: { body: string }) {
  const [figures, setFigures] = createSignal<SmsMeasure | null>(null);
  let asked = 0;
  createEffect(
    on(
      () => props.body,
      (body) => {
        const ticket = ++asked;
        if (body === "") {
          setFigures(null);
          return;
        }
        measureSms(body)
          .then((measured) => {
            if (ticket === asked) setFigures(measured);
          })
          .catch(notifyError);
      },
    ),
  );
  return (
    <p id="reply-counter" class="text-sm text-stone-700">
      <Show when={figures()}>
        {(measured) => {
          const encoding = () => t(`reply.encoding.${measured().encoding === "ucs2" ? "ucs2" : "gsm7"}`);
          return measured().segments === 1
            ? t("reply.counterOne", { characters: measured().characters, encoding: encoding() })
            : t("reply.counter", { characters: measured().characters, segments: measured().segments, encoding: encoding() });
        }}
      </Show>
    </p>
  );
}

function Suggestions(props: { replies: CannedReply[]; token: SlashToken; onPick: (reply: CannedReply) => void }) {
  const matches = () => matchingReplies(props.replies, props.token.query);
  return (
    <section aria-label={t("reply.suggestions")} class="rounded-lg border border-stone-300 bg-white p-2">
      <p role="status" class="text-sm text-stone-700">
        {matches().length === 0
          ? t("reply.noMatch", { query: props.token.query })
          : t("reply.matches", { count: matches().length })}
      </p>
      <ul class="mt-1 space-y-1">
        <For each={matches()}>
          {(reply) => (
            <li>
              <button
                type="button"
                class="w-full rounded px-2 py-1 text-left hover:bg-teal-50 focus-visible:outline-3 focus-visible:outline-teal-600"
                onClick={() => { props.onPick(reply); }}
              >
                <span class="font-semibold">{t("reply.insert", { shortcut: reply.shortcut })}</span>
                <span class="block truncate text-sm text-stone-700">{reply.body}</span>
              </button>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}

export function ReplyBox(props: { conversationId: string; ref: (element: HTMLTextAreaElement) => void }) {
  const queryClient = useQueryClient();
  const canned = useQuery(() => ({ queryKey: inboxKeys.canned(), queryFn: listCannedReplies }));
  const [body, setBody] = createSignal("");
  const [measured, setMeasured] = createSignal("");
  const [token, setToken] = createSignal<SlashToken | null>(null);
  const [image, setImage] = createSignal<File | null>(null);
  const [failure, setFailure] = createSignal<ErrorCode | null>(null);
  const [busy, setBusy] = createSignal(false);
  let field: HTMLTextAreaElement | undefined;
  let fileInput: HTMLInputElement | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => { clearTimeout(timer); });

  const update = (text: string, caret: number) => {
    setBody(text);
    setToken(slashTokenAt(text, caret));
    clearTimeout(timer);
    timer = setTimeout(() => setMeasured(text), MEASURE_DELAY_MS);
  };
  const pick = (reply: CannedReply) => {
    const current = token();
    if (!current || !field) return;
    const next = insertReply(body(), current, reply);
    update(next.text, next.caret);
    field.value = next.text;
    field.focus();
    field.setSelectionRange(next.caret, next.caret);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    // Tab takes the first match, as in chat tools; otherwise Tab leaves the field as usual.
    const current = token();
    if (event.key !== "Tab" || !current) return;
    const first = matchingReplies(canned.data ?? [], current.query)[0];
    if (!first) return;
    event.preventDefault();
    pick(first);
  };
  const send = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const attached = image();
      const keys = attached ? [await uploadReplyImage(props.conversationId, attached)] : [];
      await sendReply(props.conversationId, body(), keys);
      notifySuccess(() => t("reply.sent"));
      update("", 0);
      setImage(null);
      if (fileInput) fileInput.value = "";
      await queryClient.invalidateQueries({ queryKey: inboxKeys.thread(props.conversationId) });
    } catch (error) {
      setFailure(errorCode(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="space-y-2" onSubmit={(event) => void send(event)}>
      <label for="reply-body" class="font-medium">
        {t("reply.label")}
      </label>
      <p id="reply-hint" class="text-sm text-stone-700">
        {t("reply.hint")}
      </p>
      <textarea
        id="reply-body"
        ref={(element) => {
          field = element;
          props.ref(element);
        }}
        aria-describedby="reply-hint reply-counter"
        aria-keyshortcuts="r"
        class="min-h-24 w-full rounded-lg border border-stone-500 bg-white p-3"
        value={body()}
        onInput={(event) => { update(event.currentTarget.value, event.currentTarget.selectionStart); }}
        onKeyDown={onKeyDown}
      />
      <Show when={token()}>
        {(current) => <Suggestions replies={canned.data ?? []} token={current()} onPick={pick} />}
      </Show>
      <Counter body={measured()} />
      <div class="flex flex-wrap items-center gap-3">
        <label class="flex flex-col gap-1 text-sm">
          <span class="font-medium">{t("reply.attach")}</span>
          <input
            ref={fileInput}
            type="file"
            accept="image/png,image/jpeg,image/gif,image/webp"
            onChange={(event) => setImage(event.currentTarget.files?.[0] ?? null)}
          />
        </label>
        <Show when={image()}>
          {(file) => (
            <p class="flex items-center gap-2 text-sm">
              {t("reply.attached", { name: file().name })}
              <button
                type="button"
                class="text-teal-900 underline"
                onClick={() => {
                  setImage(null);
                  if (fileInput) fileInput.value = "";
                }}
              >
                {t("reply.removeAttachment")}
              </button>
            </p>
          )}
        </Show>
      </div>
      <ErrorAlert code={failure()} />
      <Button type="submit" disabled={busy() || (body().trim() === "" && !image())}>
        {t("reply.send")}
      </Button>
    </form>
  );
}
