import { useQuery, useQueryClient } from "@tanstack/solid-query";
import { Show, createSignal, untrack } from "solid-js";
import { errorCode } from "../lib/errors";
import { tCommon } from "../lib/i18n";
import { RequireStaff } from "../staff/RequireStaff";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { TextField } from "../ui/TextField";
import { notifyError, notifySuccess } from "../ui/notifications";
import { fetchSettings, messagingKeys, percentToFraction, updateSettings, type MessagingSettings } from "./messagingApi";
import { t } from "./t";

function percent(fraction: number): string {
  return String(Math.round(fraction * 10000) / 100);
}

function SettingsForm(props: { settings: MessagingSettings }) {
  const queryClient = useQueryClient();
  // The form is a draft seeded once; a save refetches and re-creates it.
  const initial = untrack(() => props.settings);
  const [timeZone, setTimeZone] = createSignal(initial.org_time_zone);
  const [quietStart, setQuietStart] = createSignal(initial.quiet_start.slice(0, 5));
  const [quietEnd, setQuietEnd] = createSignal(initial.quiet_end.slice(0, 5));
  const [smsOptIn, setSmsOptIn] = createSignal(initial.sms_requires_opt_in);
  const [emailOptIn, setEmailOptIn] = createSignal(initial.email_requires_opt_in);
  const [segmentCost, setSegmentCost] = createSignal(String(initial.sms_segment_cost));
  const [failureRate, setFailureRate] = createSignal(percent(initial.auto_pause_failure_rate));
  const [optOutRate, setOptOutRate] = createSignal(percent(initial.auto_pause_opt_out_rate));
  const [saving, setSaving] = createSignal(false);
  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setSaving(true);
    try {
      await updateSettings({
        org_time_zone: timeZone().trim(),
        quiet_start: quietStart(),
        quiet_end: quietEnd(),
        sms_requires_opt_in: smsOptIn(),
        email_requires_opt_in: emailOptIn(),
        sms_segment_cost: Number(segmentCost()),
        auto_pause_failure_rate: percentToFraction(failureRate()),
        auto_pause_opt_out_rate: percentToFraction(optOutRate()),
      });
      notifySuccess(() => t("settings.saved"));
      await queryClient.invalidateQueries({ queryKey: messagingKeys.settings() });
    } catch (error) {
      notifyError(error);
    } finally {
      setSaving(false);
    }
  };
  return (
    <form class="grid gap-4 sm:grid-cols-2" onSubmit={(event) => void save(event)}>
      <TextField
        label={t("settings.timeZone")}
        hint={t("settings.timeZoneHint")}
        value={timeZone()}
        onInput={(event) => setTimeZone(event.currentTarget.value)}
      />
      <TextField
        label={t("settings.segmentCost")}
        inputmode="decimal"
        value={segmentCost()}
        onInput={(event) => setSegmentCost(event.currentTarget.value)}
      />
      <TextField
        label={t("settings.quietStart")}
        hint={t("settings.quietHint")}
        type="time"
        value={quietStart()}
        onInput={(event) => setQuietStart(event.currentTarget.value)}
      />
      <TextField
        label={t("settings.quietEnd")}
        type="time"
        value={quietEnd()}
        onInput={(event) => setQuietEnd(event.currentTarget.value)}
      />
      <TextField
        label={t("settings.failureRate")}
        hint={t("settings.autoPauseHint")}
        inputmode="decimal"
        value={failureRate()}
        onInput={(event) => setFailureRate(event.currentTarget.value)}
      />
      <TextField
        label={t("settings.optOutRate")}
        inputmode="decimal"
        value={optOutRate()}
        onInput={(event) => setOptOutRate(event.currentTarget.value)}
      />
      <label class="flex items-center gap-2">
        <input type="checkbox" class="size-5" checked={smsOptIn()} onChange={(event) => setSmsOptIn(event.currentTarget.checked)} />
        {t("settings.smsOptIn")}
      </label>
      <label class="flex items-center gap-2">
        <input
          type="checkbox"
          class="size-5"
          checked={emailOptIn()}
          onChange={(event) => setEmailOptIn(event.currentTarget.checked)}
        />
        {t("settings.emailOptIn")}
      </label>
      <Button type="submit" disabled={saving()}>
        {saving() ? t("settings.saving") : t("settings.save")}
      </Button>
    </form>
  );
}

function SettingsScreen() {
  const settings = useQuery(() => ({ queryKey: messagingKeys.settings(), queryFn: fetchSettings }));
  return (
    <section class="space-y-4">
      <h1 class="text-2xl font-bold">{t("settings.title")}</h1>
      <p>{t("settings.intro")}</p>
      <Show when={settings.error}>
        <ErrorAlert code={errorCode(settings.error)} />
      </Show>
      <Show when={settings.data} fallback={<Show when={!settings.error}><p role="status">{tCommon("loading")}</p></Show>}>
        {(row) => <SettingsForm settings={row()} />}
      </Show>
    </section>
  );
}

export default function SettingsPage() {
  return (
    <RequireStaff min="admin">
      <SettingsScreen />
    </RequireStaff>
  );
}
