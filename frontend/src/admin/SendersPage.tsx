import { useQueryClient } from "@tanstack/solid-query";
import { For, Show, createSignal, untrack } from "solid-js";
import { errorCode } from "../lib/errors";
import { tCommon } from "../lib/i18n";
import { createLiveQuery } from "../lib/liveQuery";
import { displayPhone } from "../lib/phone";
import { invalidateOnChanges } from "../lib/realtime";
import { RequireStaff } from "../staff/RequireStaff";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { TextField } from "../ui/TextField";
import { notifyError, notifySuccess } from "../ui/notifications";
import { AddSender } from "./AddSender";
import { blankToNull, fetchSenders, messagingKeys, updateSender, type Sender } from "./messagingApi";
import { t } from "./t";
import { WebhookUrls } from "./WebhookUrls";

function address(sender: Sender): string {
  return sender.from_email ?? displayPhone(sender.from_number) ?? sender.messaging_service_sid ?? "";
}

function SenderForm(props: { sender: Sender }) {
  const queryClient = useQueryClient();
  // The form is a draft seeded once; a save refetches and re-creates it.
  const initial = untrack(() => props.sender);
  const [mps, setMps] = createSignal(String(initial.mps_segments));
  const [cap, setCap] = createSignal(initial.daily_cap === null ? "" : String(initial.daily_cap));
  const [quietStart, setQuietStart] = createSignal(initial.quiet_start?.slice(0, 5) ?? "");
  const [quietEnd, setQuietEnd] = createSignal(initial.quiet_end?.slice(0, 5) ?? "");
  const [enabled, setEnabled] = createSignal(initial.enabled);
  const [transactional, setTransactional] = createSignal(initial.use_for_transactional);
  const [saving, setSaving] = createSignal(false);
  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    const { id, name } = props.sender;
    setSaving(true);
    try {
      await updateSender(id, {
        mps_segments: Number(mps()),
        daily_cap: cap().trim() === "" ? null : Number(cap()),
        quiet_start: blankToNull(quietStart()),
        quiet_end: blankToNull(quietEnd()),
        enabled: enabled(),
        use_for_transactional: transactional(),
      });
      notifySuccess(() => t("senders.saved", { name }));
      await queryClient.invalidateQueries({ queryKey: messagingKeys.senders() });
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  };
  const titleId = () => `sender-${props.sender.id}`;
  return (
    <section aria-labelledby={titleId()} class="space-y-3 rounded-lg border border-stone-300 bg-white p-4">
      <h2 id={titleId()} class="text-lg font-bold">
        {props.sender.name}
      </h2>
      <p class="text-sm text-stone-700">
        {t(`senders.channel.${props.sender.channel}`)} · {address(props.sender)}
      </p>
      <form class="grid gap-3 sm:grid-cols-2" onSubmit={(event) => void save(event)}>
        <TextField
          label={t("senders.mps")}
          hint={t("senders.mpsHint")}
          inputmode="decimal"
          value={mps()}
          onInput={(event) => setMps(event.currentTarget.value)}
        />
        <TextField
          label={t("senders.dailyCap")}
          hint={t("senders.dailyCapHint")}
          inputmode="numeric"
          value={cap()}
          onInput={(event) => setCap(event.currentTarget.value)}
        />
        <TextField
          label={t("senders.quietStart")}
          type="time"
          value={quietStart()}
          onInput={(event) => setQuietStart(event.currentTarget.value)}
        />
        <TextField
          label={t("senders.quietEnd")}
          type="time"
          value={quietEnd()}
          onInput={(event) => setQuietEnd(event.currentTarget.value)}
        />
        <label class="flex items-center gap-2">
          <input type="checkbox" class="size-5" checked={enabled()} onChange={(event) => setEnabled(event.currentTarget.checked)} />
          {t("senders.enabled")}
        </label>
        <label class="flex items-center gap-2">
          <input
            type="checkbox"
            class="size-5"
            checked={transactional()}
            onChange={(event) => setTransactional(event.currentTarget.checked)}
          />
          {t("senders.transactional")}
        </label>
        <Button type="submit" disabled={saving()}>
          {saving() ? t("senders.saving") : t("senders.save")}
        </Button>
      </form>
    </section>
  );
}

function SendersScreen() {
  const senders = createLiveQuery(() => ({ queryKey: messagingKeys.senders(), queryFn: fetchSenders }));
  invalidateOnChanges({ table: "senders", queryKeys: [messagingKeys.senders()] });
  return (
    <section class="space-y-4">
      <h1 class="text-2xl font-bold">{t("senders.title")}</h1>
      <p>{t("senders.intro")}</p>
      <Show when={senders().error}>
        <ErrorAlert code={errorCode(senders().error)} />
      </Show>
      <Show when={senders().data} fallback={<Show when={!senders().error}><p role="status">{tCommon("loading")}</p></Show>}>
        {(rows) => (
          <Show when={rows().length > 0} fallback={<p>{t("senders.empty")}</p>}>
            <For each={rows()}>{(sender) => <SenderForm sender={sender} />}</For>
          </Show>
        )}
      </Show>
      <AddSender />
      <WebhookUrls />
    </section>
  );
}

export default function SendersPage() {
  return (
    <RequireStaff min="admin">
      <SendersScreen />
    </RequireStaff>
  );
}
