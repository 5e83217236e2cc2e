import { keepPreviousData, useQuery } from "@tanstack/solid-query";
import { For, Show } from "solid-js";
import { errorCode } from "../lib/errors";
import { ErrorAlert } from "../ui/ErrorAlert";
import { previewTemplate, templateKeys, type RenderedPreview, type TemplateDraft } from "./api";
import { t } from "./t";

/** An email as recipients get it: our fixed, mobile-friendly layout around the rendered text.
 * The text is only ever a text node (paragraphs split on blank lines): no markup a person
 * typed reaches the page or a recipient. */
function EmailLayout(props: { preview: RenderedPreview; orgName: string }) {
  const paragraphs = () => props.preview.body.split(/\n{2,}/);
  return (
    <article class="mx-auto max-w-xl overflow-hidden rounded-lg border border-stone-300 bg-white">
      <header class="bg-teal-800 px-4 py-3 text-white">
        <p class="font-semibold">{t("preview.from", { org: props.orgName })}</p>
        <p>
          <span class="sr-only">{t("preview.subject")}: </span>
          {props.preview.subject}
        </p>
      </header>
      <div class="space-y-3 px-4 py-4 text-base leading-relaxed">
        <For each={paragraphs()}>{(paragraph) => <p class="whitespace-pre-wrap">{paragraph}</p>}</For>
      </div>
      <footer class="border-t border-stone-200 px-4 py-3 text-sm text-stone-700">{t("preview.footer", { org: props.orgName })}</footer>
    </article>
  );
}

function SmsBubble(props: { preview: RenderedPreview }) {
  return (
    <div class="space-y-2">
      <p class="max-w-sm rounded-2xl bg-stone-200 px-4 py-3 whitespace-pre-wrap text-stone-950">{props.preview.body}</p>
      <p class="text-sm text-stone-700">
        {t(props.preview.segments === 1 ? "preview.segmentsOne" : "preview.segments", {
          encoding: props.preview.encoding === "gsm7" ? "GSM-7" : "UCS-2",
          segments: props.preview.segments,
        })}
      </p>
    </div>
  );
}

/** The draft rendered for one contact by the database (preview_template: the sends' rendering). */
export function TemplatePreview(props: { draft: TemplateDraft; contactId: string; orgName: string }) {
  const preview = useQuery(() => ({
    queryKey: templateKeys.preview(props.draft, props.contactId),
    queryFn: () => previewTemplate(props.draft, props.contactId),
    enabled: props.contactId !== "" && props.draft.body.trim() !== "",
    placeholderData: keepPreviousData,
    staleTime: 0,
  }));
  return (
    <div class="space-y-2" data-testid="template-preview">
      <Show when={props.contactId !== ""} fallback={<p>{t("preview.none")}</p>}>
        <Show when={preview.isFetching}>
          <p role="status" class="text-sm text-stone-700">
            {t("preview.rendering")}
          </p>
        </Show>
        <Show when={preview.error}>
          <ErrorAlert code={errorCode(preview.error)} />
        </Show>
        <Show when={!preview.error && preview.data}>
          {(rendered) => (
            <Show when={props.draft.channel === "email"} fallback={<SmsBubble preview={rendered()} />}>
              <EmailLayout preview={rendered()} orgName={props.orgName} />
            </Show>
          )}
        </Show>
      </Show>
    </div>
  );
}
