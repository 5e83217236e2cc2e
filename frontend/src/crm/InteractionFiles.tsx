import { useMutation } from "@tanstack/solid-query";
import { createSignal, For, Show } from "solid-js";
import { errorCode } from "../lib/errors";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { notifySuccess } from "../ui/notifications";
import { AttachmentLinks, AttachmentPicker } from "./Attachments";
import { editedAttachments, parseAttachments, saveInteractionFiles, type Attachment } from "./attachments-api";
import { tc } from "./contact-messages";

/** An interaction's files on the timeline, with an editor to add and remove them. Saving
 * updates the row; Realtime on interactions refreshes the timeline for every viewer. */
export function InteractionFiles(props: { contactId: string; interactionId: string; value: unknown }) {
  const [editing, setEditing] = createSignal(false);
  const [removed, setRemoved] = createSignal<ReadonlySet<string>>(new Set());
  const [added, setAdded] = createSignal<Attachment[]>([]);
  const [uploading, setUploading] = createSignal(false);
  const current = () => parseAttachments(props.value);
  const toggle = (path: string, keep: boolean) => {
    const next = new Set(removed());
    if (keep) next.delete(path);
    else next.add(path);
    setRemoved(next);
  };
  const close = () => {
    setEditing(false);
    setRemoved(new Set<string>());
    setAdded([]);
  };
  const save = useMutation(() => ({
    mutationFn: () =>
      saveInteractionFiles(props.interactionId, editedAttachments(current(), removed(), added()), [...removed()]),
    onSuccess: () => {
      notifySuccess(() => tc("attachments.saved"));
      close();
    },
  }));
  return (
    <Show
      when={editing()}
      fallback={
        <>
          <AttachmentLinks value={props.value} />
          <Button variant="link" onClick={() => setEditing(true)}>
            {tc("attachments.edit")}
          </Button>
        </>
      }
    >
      <div class="mt-2 space-y-2 rounded-lg border border-stone-300 p-3">
        <fieldset class="space-y-1">
          <legend class="font-medium">{tc("attachments.editing")}</legend>
          <For each={current()}>
            {(file) => (
              <label class="flex items-center gap-2">
                <input
                  type="checkbox"
                  class="h-5 w-5 accent-teal-800"
                  checked={!removed().has(file.path)}
                  onChange={(event) => { toggle(file.path, event.currentTarget.checked); }}
                />
                {tc("attachments.keep", { name: file.name })}
              </label>
            )}
          </For>
        </fieldset>
        <AttachmentPicker contactId={props.contactId} onChange={setAdded} onBusy={setUploading} />
        <ErrorAlert code={save.error ? errorCode(save.error) : null} />
        <div class="flex flex-wrap gap-2">
          <Button disabled={uploading() || save.isPending} onClick={() => { save.mutate(); }}>
            {save.isPending ? tc("attachments.saving") : tc("attachments.save")}
          </Button>
          <Button variant="secondary" disabled={save.isPending} onClick={close}>
            {tc("attachments.cancel")}
          </Button>
        </div>
      </div>
    </Show>
  );
}
