import { keepPreviousData, useQuery } from "@tanstack/solid-query";
import { Show } from "solid-js";
import { errorCode } from "../lib/errors";
import { ErrorAlert } from "../ui/ErrorAlert";
import { previewTemplate, templateKeys, type RenderedPreview, type TemplateDraft } from "./api";
import { t } from "./t";

/** An email as recipients get it: the HTML part the database renders for the sends, shown in
 * a sandboxed frame (no scripts, no same-origin access, no forms), so even a renderer bug could
 * not run anything in the app. */
function EmailPreview(props: { preview: RenderedPreview; orgName: string }) {
  return (
    <div class="space-y-2">
      <p>
        <span class="font-semibold">{t("preview.subject")}:</span> {props.preview.subject}
      </p>
      <iframe
        title={t("preview.email", { org: props.orgName })}
        sandbox=""
        srcdoc={props.preview.html ?? ""}
        class="h-[32rem] w-full rounded-lg border border-stone-300 bg-white"
        data-testid="email-preview"
      />
    </div>
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
              <EmailPreview preview={rendered()} orgName={props.orgName} />
            </Show>
          )}
        </Show>
      </Show>
    </div>
  );
}
