import { useSearchParams } from "@solidjs/router";
import { useQuery, useQueryClient } from "@tanstack/solid-query";
import { Match, Show, Switch, createSignal, untrack } from "solid-js";
import { errorCode, type ErrorCode } from "../lib/errors";
import { tCommon } from "../lib/i18n";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { changePreferences, fetchPreferences, preferenceKeys } from "./api";
import { changeFor, currentChoice, receivesEmail, type Preferences } from "./preferences";
import { t } from "./t";

/** A link that can never work (forged, cut short, expired) gets its own page, not a form. */
function LinkRefused(props: { code: ErrorCode }) {
  const expired = () => props.code === "expired_token";
  return (
    <section class="space-y-3" aria-labelledby="link-refused">
      <h1 id="link-refused" class="text-2xl font-bold">
        {expired() ? t("expiredTitle") : t("invalidTitle")}
      </h1>
      <p>{expired() ? t("expiredBody") : t("invalidBody")}</p>
    </section>
  );
}

function PreferenceForm(props: { token: string; preferences: Preferences }) {
  const queryClient = useQueryClient();
  // A draft seeded once from what they receive now; a save replaces the query data.
  const initial = untrack(() => currentChoice(props.preferences));
  const [emails, setEmails] = createSignal(initial.emails);
  const [stopTexts, setStopTexts] = createSignal(initial.stopTexts);
  const [saving, setSaving] = createSignal(false);
  const [outcome, setOutcome] = createSignal<"saved" | "unchanged" | null>(null);
  const [failure, setFailure] = createSignal<ErrorCode | null>(null);
  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setFailure(null);
    setOutcome(null);
    const change = changeFor(props.preferences, { emails: emails(), stopTexts: stopTexts() });
    if (!change) {
      setOutcome("unchanged");
      return;
    }
    setSaving(true);
    try {
      const updated = await changePreferences(props.token, change);
      queryClient.setQueryData(preferenceKeys.byToken(props.token), updated);
      setOutcome("saved");
    } catch (error) {
      setFailure(errorCode(error));
    } finally {
      setSaving(false);
    }
  };
  const textsStopped = () => props.preferences.sms === "opted_out";
  return (
    <form class="space-y-5" onSubmit={(event) => void save(event)}>
      <fieldset class="space-y-2 rounded-lg border border-stone-300 p-4">
        <legend class="px-1 font-semibold">
          {props.preferences.emailHint
            ? t("emailLegend", { address: props.preferences.emailHint })
            : t("emailLegendNoAddress")}
        </legend>
        <p data-testid="email-state">
          {receivesEmail(props.preferences) ? t("emailSubscribed") : t("emailUnsubscribed")}
        </p>
        <label class="flex min-h-12 items-center gap-3">
          <input type="radio" name="emails" class="size-5" checked={emails()} onChange={() => setEmails(true)} />
          {t("emailYes")}
        </label>
        <label class="flex min-h-12 items-center gap-3">
          <input type="radio" name="emails" class="size-5" checked={!emails()} onChange={() => setEmails(false)} />
          {t("emailNo")}
        </label>
      </fieldset>
      <Show when={props.preferences.phoneHint}>
        {(phone) => (
          <fieldset class="space-y-2 rounded-lg border border-stone-300 p-4">
            <legend class="px-1 font-semibold">{t("textsLegend", { address: phone() })}</legend>
            <p data-testid="texts-state">{textsStopped() ? t("textsStopped") : t("textsReceiving")}</p>
            <Show when={!textsStopped()}>
              <label class="flex min-h-12 items-center gap-3">
                <input
                  type="checkbox"
                  class="size-5"
                  checked={stopTexts()}
                  onChange={(event) => setStopTexts(event.currentTarget.checked)}
                />
                {t("textsStop")}
              </label>
            </Show>
          </fieldset>
        )}
      </Show>
      <p class="text-sm text-stone-700">{t("receiptsNote")}</p>
      <Button type="submit" class="w-full sm:w-auto" disabled={saving()}>
        {saving() ? t("saving") : t("save")}
      </Button>
      <div role="status" class="empty:hidden">
        <Show when={outcome()}>
          {(current) => (
            <p class="rounded-lg border border-emerald-700 bg-emerald-50 p-3 text-emerald-900">
              {current() === "saved" ? t("saved") : t("unchanged")}
            </p>
          )}
        </Show>
      </div>
      <ErrorAlert code={failure()} />
    </form>
  );
}

/** /unsubscribe?t=<signed token>: the link of every marketing email. No sign-in: the token (checked
 * by the SQL functions) is the credential, and a refused token changes nothing. */
export default function PreferencePage() {
  const [params] = useSearchParams<{ t?: string }>();
  const token = () => params.t ?? "";
  const preferences = useQuery(() => ({
    queryKey: preferenceKeys.byToken(token()),
    queryFn: () => fetchPreferences(token()),
    enabled: token() !== "",
    // The person's choice is saved by this page alone; refetching would reset their draft.
    refetchOnWindowFocus: false,
  }));
  const refusal = (): ErrorCode | null => {
    if (token() === "") return "invalid_token";
    return preferences.error ? errorCode(preferences.error) : null;
  };
  return (
    <Switch fallback={<p role="status">{tCommon("loading")}</p>}>
      <Match when={refusal() === "invalid_token" || refusal() === "expired_token"}>
        <LinkRefused code={refusal() ?? "invalid_token"} />
      </Match>
      <Match when={refusal()}>
        {(code) => <ErrorAlert code={code()} />}
      </Match>
      <Match when={preferences.data}>
        {(current) => (
          <section class="space-y-4" aria-labelledby="preferences-title">
            <h1 id="preferences-title" class="text-2xl font-bold">
              {t("title")}
            </h1>
            <p>{current().firstName ? t("greeting", { name: current().firstName ?? "" }) : t("greetingNoName")}</p>
            <PreferenceForm token={token()} preferences={current()} />
          </section>
        )}
      </Match>
    </Switch>
  );
}
