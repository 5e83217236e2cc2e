import { createEffect, createSignal, createUniqueId, For, Match, Show, Switch } from "solid-js";
import { errorCode, type ErrorCode } from "../lib/errors";
import { tError } from "../lib/i18n";
import { Button } from "../ui/Button";
import { tc } from "./contact-messages";
import { MAX_BYTES, parseAttachments, previewKind, signedLink, uploadAttachment, type Attachment } from "./attachments-api";

interface Upload {
  key: string;
  name: string;
  progress: number;
  attachment: Attachment | null;
  error: ErrorCode | null;
}

/** Files for a new interaction: drop them or choose them; each uploads at once with its
 * progress. `onChange` gets the uploaded files; `onBusy` says whether one is still uploading.
 * The parent re-creates the picker to clear it after saving. */
export function AttachmentPicker(props: {
  contactId: string;
  onChange: (files: Attachment[]) => void;
  onBusy: (busy: boolean) => void;
}) {
  const inputId = createUniqueId();
  const [uploads, setUploads] = createSignal<Upload[]>([]);
  const [dragging, setDragging] = createSignal(false);
  createEffect(() => {
    const now = uploads();
    props.onChange(now.flatMap((upload) => (upload.attachment ? [upload.attachment] : [])));
    props.onBusy(now.some((upload) => upload.attachment === null && upload.error === null));
  });
  const update = (key: string, change: Partial<Upload>) => {
    setUploads((all) => all.map((upload) => (upload.key === key ? { ...upload, ...change } : upload)));
  };
  const remove = (key: string) => {
    setUploads((all) => all.filter((upload) => upload.key !== key));
  };
  const add = (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      const key = crypto.randomUUID();
      const tooBig = file.size > MAX_BYTES;
      setUploads((all) => [...all, { key, name: file.name, progress: 0, attachment: null, error: tooBig ? "invalid_argument" : null }]);
      if (tooBig) continue;
      uploadAttachment(props.contactId, file, (fraction) => { update(key, { progress: fraction }); }).then(
        (attachment) => { update(key, { attachment, progress: 1 }); },
        (error: unknown) => { update(key, { error: errorCode(error) }); },
      );
    }
  };
  return (
    <fieldset class="space-y-2">
      <legend class="font-medium">{tc("attachments.label")}</legend>
      <div
        class={`rounded-lg border-2 border-dashed p-4 text-center ${dragging() ? "border-teal-700 bg-teal-50" : "border-stone-400"}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          add(event.dataTransfer?.files ?? null);
        }}
      >
        <label for={inputId} class="cursor-pointer font-semibold text-teal-900 underline">
          {tc("attachments.drop")}
        </label>
        <input
          id={inputId}
          type="file"
          multiple
          class="sr-only"
          onChange={(event) => {
            add(event.currentTarget.files);
            event.currentTarget.value = "";
          }}
        />
      </div>
      <ul class="space-y-1">
        <For each={uploads()}>
          {(upload) => (
            <li class="flex flex-wrap items-center gap-2">
              <Switch>
                <Match when={upload.error}>
                  {(code) => (
                    <p role="alert" class="text-red-900">
                      {code() === "invalid_argument" ? tc("attachments.tooBig", { name: upload.name }) : tc("attachments.failed", { name: upload.name })}{" "}
                      {code() === "invalid_argument" ? "" : tError(code())}
                    </p>
                  )}
                </Match>
                <Match when={upload.attachment}>
                  <span>{tc("attachments.uploaded", { name: upload.name })}</span>
                </Match>
                <Match when={true}>
                  <label class="flex items-center gap-2">
                    <span>{tc("attachments.uploading", { name: upload.name, percent: String(Math.round(upload.progress * 100)) })}</span>
                    <progress max="1" value={upload.progress} />
                  </label>
                </Match>
              </Switch>
              <Button variant="link" aria-label={tc("attachments.remove", { name: upload.name })} onClick={() => { remove(upload.key); }}>
                ×
              </Button>
            </li>
          )}
        </For>
      </ul>
    </fieldset>
  );
}

/** An interaction's files on the timeline: open through a link that expires, with an inline
 * preview for images and PDFs. */
export function AttachmentLinks(props: { value: unknown }) {
  const files = () => parseAttachments(props.value);
  return (
    <Show when={files().length > 0}>
      <ul class="mt-2 space-y-2">
        <For each={files()}>{(file) => <AttachmentLink file={file} />}</For>
      </ul>
    </Show>
  );
}

function AttachmentLink(props: { file: Attachment }) {
  const [link, setLink] = createSignal<string | null>(null);
  const [error, setError] = createSignal<ErrorCode | null>(null);
  const open = () => {
    setError(null);
    signedLink(props.file.path).then(setLink, (failure: unknown) => setError(errorCode(failure)));
  };
  const kind = () => previewKind(props.file.content_type);
  return (
    <li>
      <Show
        when={link()}
        fallback={
          <Button variant="secondary" onClick={open}>
            {tc("attachments.open", { name: props.file.name })}
          </Button>
        }
      >
        {(url) => (
          <div class="space-y-2">
            <a href={url()} target="_blank" rel="noopener" class="text-teal-900 underline">
              {props.file.name}
            </a>
            <Switch>
              <Match when={kind() === "image"}>
                <img src={url()} alt={tc("attachments.preview", { name: props.file.name })} class="max-h-64 rounded border" />
              </Match>
              <Match when={kind() === "pdf"}>
                <iframe src={url()} title={tc("attachments.preview", { name: props.file.name })} class="h-80 w-full rounded border" />
              </Match>
            </Switch>
            <Button variant="link" onClick={() => setLink(null)}>
              {tc("attachments.hidePreview")}
            </Button>
          </div>
        )}
      </Show>
      <Show when={error()}>
        {(code) => (
          <p role="alert" class="text-red-900">
            {tError(code())}
          </p>
        )}
      </Show>
    </li>
  );
}
