import { useQuery, useQueryClient } from "@tanstack/solid-query";
import { For, Show, createSignal, untrack } from "solid-js";
import { createStore } from "solid-js/store";
import { SelectField } from "../crm/SelectField";
import { errorCode } from "../lib/errors";
import { tCommon } from "../lib/i18n";
import { reaches, useStaffLevel } from "../lib/staff";
import { RequireStaff } from "../staff/RequireStaff";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { TextField } from "../ui/TextField";
import { notifyError, notifySuccess } from "../ui/notifications";
import {
  REPLY_KINDS,
  REPLY_LANGUAGES,
  REPLY_MAX_CHARACTERS,
  complianceKeys,
  fetchComplianceSettings,
  fetchReplies,
  helpReplyGaps,
  replyBody,
  updateComplianceSettings,
  updateReply,
  type AutoReply,
  type ComplianceSettings,
  type ReplyKind,
  type ReplyLanguage,
} from "./complianceApi";
import { t } from "./t";

// The merge fields auto-replies know, shown literally inside translated sentences.
const MERGE_FIELDS = { org: "{{org_name}}", contact: "{{contact_address}}" };

function SettingsForm(props: { settings: ComplianceSettings; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const initial = untrack(() => props.settings);
  const [orgName, setOrgName] = createSignal(initial.org_name);
  const [contact, setContact] = createSignal(initial.contact_address);
  const [language, setLanguage] = createSignal(initial.default_language);
  const [cap, setCap] = createSignal(String(initial.marketing_texts_per_day));
  const [tokenDays, setTokenDays] = createSignal(String(initial.unsubscribe_token_days));
  const [saving, setSaving] = createSignal(false);
  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setSaving(true);
    try {
      // Numbers as typed: the table's checks refuse what is out of range (invalid_argument).
      await updateComplianceSettings({
        org_name: orgName().trim(),
        contact_address: contact().trim(),
        default_language: language(),
        marketing_texts_per_day: Number(cap().trim()),
        unsubscribe_token_days: Number(tokenDays().trim()),
      });
      notifySuccess(() => t("compliance.saved"));
      await queryClient.invalidateQueries({ queryKey: complianceKeys.settings() });
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  };
  return (
    <form onSubmit={(event) => void save(event)}>
      <fieldset class="grid gap-4 sm:grid-cols-2" disabled={!props.canEdit}>
        <legend class="mb-2 text-xl font-bold">{t("compliance.settingsTitle")}</legend>
        <TextField label={t("compliance.orgName")} value={orgName()} onInput={(event) => setOrgName(event.currentTarget.value)} />
        <TextField
          label={t("compliance.contactAddress")}
          hint={t("compliance.contactHint")}
          value={contact()}
          onInput={(event) => setContact(event.currentTarget.value)}
        />
        <SelectField
          label={t("compliance.defaultLanguage")}
          value={language()}
          options={REPLY_LANGUAGES.map((code) => ({ value: code, label: t(`compliance.language.${code}`) }))}
          onChange={setLanguage}
        />
        <TextField
          label={t("compliance.cap")}
          hint={t("compliance.capHint")}
          inputmode="numeric"
          value={cap()}
          onInput={(event) => setCap(event.currentTarget.value)}
        />
        <TextField
          label={t("compliance.tokenDays")}
          hint={t("compliance.tokenDaysHint")}
          inputmode="numeric"
          value={tokenDays()}
          onInput={(event) => setTokenDays(event.currentTarget.value)}
        />
        <Show when={props.canEdit}>
          <Button type="submit" class="sm:col-span-2 sm:justify-self-start" disabled={saving()}>
            {saving() ? t("form.saving") : t("compliance.saveSettings")}
          </Button>
        </Show>
      </fieldset>
    </form>
  );
}

function RepliesForm(props: { replies: AutoReply[]; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const initial = untrack(() => props.replies);
  const [bodies, setBodies] = createStore<Record<ReplyKind, Record<ReplyLanguage, string>>>({
    help: { en: replyBody(initial, "help", "en"), es: replyBody(initial, "help", "es") },
    opt_in: { en: replyBody(initial, "opt_in", "en"), es: replyBody(initial, "opt_in", "es") },
  });
  const [saving, setSaving] = createSignal(false);
  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setSaving(true);
    try {
      for (const kind of REPLY_KINDS) {
        for (const language of REPLY_LANGUAGES) {
          if (bodies[kind][language] !== replyBody(props.replies, kind, language)) {
            await updateReply(kind, language, bodies[kind][language]);
          }
        }
      }
      notifySuccess(() => t("compliance.saved"));
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
      await queryClient.invalidateQueries({ queryKey: complianceKeys.replies() });
    }
  };
  return (
    <form onSubmit={(event) => void save(event)}>
      <fieldset class="space-y-4" disabled={!props.canEdit}>
        <legend class="mb-2 text-xl font-bold">{t("compliance.repliesTitle")}</legend>
        <p>{t("compliance.repliesIntro", MERGE_FIELDS)}</p>
        <For each={REPLY_KINDS}>
          {(kind) => (
            <For each={REPLY_LANGUAGES}>
              {(language) => {
                const id = `reply-${kind}-${language}`;
                const gaps = () => (kind === "help" ? helpReplyGaps(bodies[kind][language]) : []);
                return (
                  <div class="flex flex-col gap-1">
                    <label for={id} class="font-medium">
                      {t(`compliance.reply.${kind}`, { language: t(`compliance.language.${language}`) })}
                    </label>
                    <textarea
                      id={id}
                      rows="3"
                      lang={language}
                      maxlength={REPLY_MAX_CHARACTERS}
                      aria-describedby={`${id}-count${gaps().length > 0 ? ` ${id}-gaps` : ""}`}
                      class="rounded-lg border border-stone-500 bg-white p-3"
                      value={bodies[kind][language]}
                      onInput={(event) => { setBodies(kind, language, event.currentTarget.value); }}
                    />
                    <p id={`${id}-count`} class="text-sm text-stone-700">
                      {t("compliance.characters", {
                        count: String(bodies[kind][language].length),
                        max: String(REPLY_MAX_CHARACTERS),
                      })}
                    </p>
                    <Show when={gaps().length > 0}>
                      <p id={`${id}-gaps`} class="text-sm text-red-800">
                        {gaps().map((gap) => t(`compliance.gap.${gap}`, MERGE_FIELDS)).join(" ")}
                      </p>
                    </Show>
                  </div>
                );
              }}
            </For>
          )}
        </For>
        <Show when={props.canEdit}>
          <Button type="submit" disabled={saving()}>
            {saving() ? t("form.saving") : t("compliance.saveReplies")}
          </Button>
        </Show>
      </fieldset>
    </form>
  );
}

function ComplianceScreen() {
  const level = useStaffLevel();
  const canEdit = () => reaches(level.data, "admin");
  const settings = useQuery(() => ({ queryKey: complianceKeys.settings(), queryFn: fetchComplianceSettings }));
  const replies = useQuery(() => ({ queryKey: complianceKeys.replies(), queryFn: fetchReplies }));
  const failure = () => settings.error ?? replies.error;
  return (
    <section class="space-y-6">
      <h1 class="text-2xl font-bold">{t("compliance.title")}</h1>
      <p>{t("compliance.intro")}</p>
      <Show when={!canEdit()}>
        <p class="rounded-lg border border-stone-400 bg-stone-50 p-3">{t("compliance.readOnly")}</p>
      </Show>
      <ErrorAlert code={failure() ? errorCode(failure()) : null} />
      <Show when={settings.data && replies.data} fallback={<Show when={!failure()}><p role="status">{tCommon("loading")}</p></Show>}>
        <Show when={settings.data}>{(row) => <SettingsForm settings={row()} canEdit={canEdit()} />}</Show>
        <Show when={replies.data}>{(rows) => <RepliesForm replies={rows()} canEdit={canEdit()} />}</Show>
      </Show>
    </section>
  );
}

/** /compliance: HELP and START answers in English and Spanish, the organisation's name and
 * contact address they quote, the reply language, the marketing frequency cap and how long
 * unsubscribe links work. Organizers read it; admins change it. */
export default function CompliancePage() {
  return (
    <RequireStaff min="organizer">
      <ComplianceScreen />
    </RequireStaff>
  );
}
