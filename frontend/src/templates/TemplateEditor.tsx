import { A, useNavigate, useParams } from "@solidjs/router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/solid-query";
import { Show, createSignal, untrack } from "solid-js";
import { SelectField } from "../crm/SelectField";
import { errorCode } from "../lib/errors";
import { tCommon } from "../lib/i18n";
import { RequireStaff } from "../staff/RequireStaff";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { SmsCounter } from "../ui/SmsCounter";
import { TextField } from "../ui/TextField";
import { notifyError, notifySuccess } from "../ui/notifications";
import {
  createTemplate,
  fetchMessagingFacts,
  fetchTemplate,
  setArchived,
  templateKeys,
  updateTemplate,
  type Channel,
  type Template,
  type TemplateDraft,
} from "./api";
import { ContactPicker } from "./ContactPicker";
import { createDebounced } from "../lib/debounce";
import { checkTemplateFields, insertAt } from "./merge-fields";
import { MergeFieldPicker } from "./MergeFieldPicker";
import { TemplatePreview } from "./TemplatePreview";
import { SendTestToMe } from "./SendTestToMe";
import { t } from "./t";

function FieldWarnings(props: { text: string }) {
  const check = () => checkTemplateFields(props.text);
  return (
    <>
      <Show when={check().unknown.length > 0}>
        <p class="text-sm text-red-800">{t("fields.unknown", { fields: check().unknown.map((f) => `{{${f}}}`).join(", ") })}</p>
      </Show>
      <Show when={check().malformed}>
        <p class="text-sm text-red-800">{t("fields.malformed", { open: "{{", close: "}}", example: "{{first_name}}" })}</p>
      </Show>
    </>
  );
}

function Editor(props: { template: Template | null }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const initial = untrack(() => props.template);
  const [name, setName] = createSignal(initial?.name ?? "");
  const [channel, setChannel] = createSignal<Channel>(initial?.channel ?? "sms");
  const [subject, setSubject] = createSignal(initial?.subject ?? "");
  const [body, setBody] = createSignal(initial?.body ?? "");
  const [contactId, setContactId] = createSignal("");
  const facts = useQuery(() => ({ queryKey: templateKeys.facts(), queryFn: fetchMessagingFacts }));
  let textarea: HTMLTextAreaElement | undefined;

  const draft = (): TemplateDraft => ({
    name: name().trim(),
    channel: channel(),
    subject: channel() === "email" ? subject() : null,
    body: body(),
  });
  const debouncedDraft = createDebounced(draft, 300);

  const insertField = (token: string) => {
    const start = textarea?.selectionStart ?? body().length;
    const end = textarea?.selectionEnd ?? body().length;
    const next = insertAt(body(), token, start, end);
    setBody(next.text);
    textarea?.focus();
    textarea?.setSelectionRange(next.caret, next.caret);
  };

  const save = useMutation(() => ({
    mutationFn: async () => {
      const current = draft();
      if (props.template) {
        await updateTemplate(props.template.id, { name: current.name, subject: current.subject, body: current.body });
        return props.template.id;
      }
      return createTemplate(current);
    },
    onSuccess: async (id: string) => {
      const savedName = name().trim();
      notifySuccess(() => t("editor.saved", { name: savedName }));
      await queryClient.invalidateQueries({ queryKey: ["message_templates"] });
      if (!props.template) navigate(`/messaging/templates/${id}`, { replace: true });
    },
    onError: (error: unknown) => notifyError(error),
  }));

  const archive = useMutation(() => ({
    mutationFn: (archived: boolean) => setArchived(props.template?.id ?? "", archived),
    onSuccess: async (_result: unknown, archived: boolean) => {
      notifySuccess(() => archived ? t("editor.archived") : t("editor.unarchived"));
      await queryClient.invalidateQueries({ queryKey: ["message_templates"] });
    },
    onError: (error: unknown) => notifyError(error),
  }));

  return (
    <section class="space-y-4">
      <A href="/messaging/templates" class="text-teal-800 underline">
        {t("editor.back")}
      </A>
      <h1 class="text-2xl font-bold">
        {props.template ? t("editor.editTitle", { name: props.template.name }) : t("editor.newTitle")}
      </h1>
      <Show when={props.template?.archived_at}>
        <p class="rounded-lg border border-amber-700 bg-amber-50 p-3">{t("editor.archivedNote")}</p>
      </Show>
      <div class="grid gap-6 lg:grid-cols-2">
        <form
          class="space-y-4"
          onSubmit={(event) => {
            event.preventDefault();
            save.mutate();
          }}
        >
          <TextField label={t("editor.name")} required value={name()} onInput={(event) => setName(event.currentTarget.value)} />
          <SelectField
            label={t("editor.channel")}
            options={[
              { value: "sms", label: t("channel.sms") },
              { value: "email", label: t("channel.email") },
            ]}
            value={channel()}
            disabled={props.template !== null}
            onChange={(value) => setChannel(value === "email" ? "email" : "sms")}
          />
          <Show when={channel() === "email"}>
            <TextField label={t("editor.subject")} required value={subject()} onInput={(event) => setSubject(event.currentTarget.value)} />
            <FieldWarnings text={subject()} />
          </Show>
          <div class="flex flex-col gap-1">
            <label for="template-body" class="font-medium">
              {channel() === "email" ? t("editor.bodyEmail") : t("editor.body")}
            </label>
            <Show when={channel() === "email"}>
              <p id="template-body-hint" class="text-sm text-stone-700">
                {t("editor.bodyEmailHint")}
              </p>
            </Show>
            <textarea
              id="template-body"
              aria-describedby={channel() === "email" ? "template-body-hint" : undefined}
              ref={textarea}
              required
              rows={channel() === "email" ? 10 : 5}
              class="rounded-lg border border-stone-500 bg-white p-3 text-lg"
              value={body()}
              onInput={(event) => setBody(event.currentTarget.value)}
            />
            <FieldWarnings text={body()} />
          </div>
          <Show when={channel() === "sms"}>
            <SmsCounter text={body()} costPerSegment={facts.data?.smsSegmentCost} onReplace={setBody} />
          </Show>
          <MergeFieldPicker onInsert={insertField} />
          <div class="flex flex-wrap gap-3">
            <Button type="submit" disabled={save.isPending}>
              {save.isPending ? t("editor.saving") : t("editor.save")}
            </Button>
            <Show when={props.template}>
              {(template) => (
                <Button variant="secondary" disabled={archive.isPending} onClick={() => {
                    archive.mutate(template().archived_at === null);
                  }}>
                  {template().archived_at === null ? t("editor.archive") : t("editor.unarchive")}
                </Button>
              )}
            </Show>
          </div>
        </form>
        <section aria-labelledby="template-preview-title" class="space-y-3">
          <h2 id="template-preview-title" class="text-xl font-bold">
            {t("preview.title")}
          </h2>
          <ContactPicker value={contactId()} onChange={setContactId} />
          <TemplatePreview draft={debouncedDraft()} contactId={contactId()} orgName={facts.data?.orgName ?? ""} />
          <Show when={props.template?.archived_at === null ? props.template : undefined}>
            {(template) => <SendTestToMe template={template()} contactId={contactId()} />}
          </Show>
        </section>
      </div>
    </section>
  );
}

function EditExisting(props: { id: string }) {
  const template = useQuery(() => ({ queryKey: templateKeys.one(props.id), queryFn: () => fetchTemplate(props.id) }));
  return (
    <>
      <Show when={template.error}>
        <ErrorAlert code={errorCode(template.error)} />
      </Show>
      <Show when={template.data} keyed fallback={<Show when={!template.error}><p role="status">{tCommon("loading")}</p></Show>}>
        {(row) => <Editor template={row} />}
      </Show>
    </>
  );
}

export default function TemplateEditor() {
  const params = useParams<{ id?: string }>();
  return (
    <RequireStaff min="organizer">
      <Show when={params.id} keyed fallback={<Editor template={null} />}>
        {(id) => <EditExisting id={id} />}
      </Show>
    </RequireStaff>
  );
}
