import { useQueryClient } from "@tanstack/solid-query";
import { createSignal, untrack } from "solid-js";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { notifySuccess } from "../ui/notifications";
import { TextField } from "../ui/TextField";
import { errorCode, type ErrorCode } from "../lib/errors";
import { inboxKeys, saveCannedReply } from "./api";
import { suggestShortcut } from "./logic";
import { t } from "./t";

/** Save a message's text as a canned reply (any message of the thread, theirs or ours). */
export function CannedReplyForm(props: { body: string; onDone: () => void }) {
  const queryClient = useQueryClient();
  const initial = untrack(() => props.body);
  const [shortcut, setShortcut] = createSignal(suggestShortcut(initial));
  const [body, setBody] = createSignal(initial);
  const [failure, setFailure] = createSignal<ErrorCode | null>(null);
  const [busy, setBusy] = createSignal(false);
  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      await saveCannedReply(shortcut().trim(), body());
      const savedShortcut = shortcut().trim();
      notifySuccess(() => t("canned.saved", { shortcut: savedShortcut }));
      await queryClient.invalidateQueries({ queryKey: inboxKeys.canned() });
      props.onDone();
    } catch (error) {
      setFailure(errorCode(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="space-y-3 rounded-lg border border-stone-300 bg-white p-3" aria-labelledby="canned-form-title" onSubmit={(event) => void save(event)}>
      <h3 id="canned-form-title" class="font-semibold">
        {t("canned.title")}
      </h3>
      <TextField
        label={t("canned.shortcut")}
        hint={t("canned.shortcutHint")}
        value={shortcut()}
        pattern="[a-z0-9][a-z0-9_\-]{0,31}"
        required
        onInput={(event) => setShortcut(event.currentTarget.value)}
      />
      <label class="flex flex-col gap-1">
        <span class="font-medium">{t("canned.body")}</span>
        <textarea
          class="min-h-20 rounded-lg border border-stone-500 bg-white p-3"
          value={body()}
          required
          onInput={(event) => setBody(event.currentTarget.value)}
        />
      </label>
      <ErrorAlert code={failure()} />
      <div class="flex gap-2">
        <Button type="submit" disabled={busy()}>
          {t("canned.save")}
        </Button>
        <Button variant="secondary" onClick={() => { props.onDone(); }}>
          {t("canned.cancel")}
        </Button>
      </div>
    </form>
  );
}
