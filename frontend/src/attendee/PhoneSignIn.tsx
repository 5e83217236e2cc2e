import { createSignal, lazy, Match, Show, Switch } from "solid-js";
import { createCountdown } from "../lib/countdown";
import { errorCode, type ErrorCode } from "../lib/errors";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { notifySuccess } from "../ui/notifications";
import { PhoneField } from "../ui/PhoneField";
import { requestCode, verifyCode } from "./api";
import { t } from "./t";

// Loaded once a code was sent, so the phone step paints without the code boxes' code.
const CodeField = lazy(() => import("../ui/CodeField"));

/** Auth lets a number ask for a new code once a minute (hosted default; our stack too). */
export const RESEND_SECONDS = 60;

/** Phone number → texted code → signed in. Screens react to the new session (lib/session),
 * so this component needs no callback. */
export function PhoneSignIn() {
  const [phone, setPhone] = createSignal<string | null>(null);
  const [shownPhone, setShownPhone] = createSignal("");
  const [sentTo, setSentTo] = createSignal<string | null>(null);
  const [showPhoneError, setShowPhoneError] = createSignal(false);
  const [failure, setFailure] = createSignal<ErrorCode | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [codeAttempt, setCodeAttempt] = createSignal(0);
  const countdown = createCountdown();

  const send = async (number: string, again: boolean) => {
    setFailure(null);
    setBusy(true);
    try {
      await requestCode(number);
      setSentTo(number);
      countdown.start(RESEND_SECONDS);
      if (again) notifySuccess(() => t("code.resent"));
    } catch (error) {
      const code = errorCode(error);
      if (code === "over_sms_send_rate_limit") {
        // A code already went out: let them type it, and say when a new one can be sent.
        setSentTo(number);
        countdown.start(RESEND_SECONDS);
      }
      setFailure(code);
    } finally {
      setBusy(false);
    }
  };

  const verify = async (token: string) => {
    const number = sentTo();
    if (!number) return;
    setFailure(null);
    setBusy(true);
    try {
      await verifyCode(number, token);
    } catch (error) {
      setFailure(errorCode(error));
      setCodeAttempt((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Switch>
      <Match when={!sentTo()}>
        <form
          class="space-y-4"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            const number = phone();
            setShowPhoneError(number === null);
            if (number) void send(number, false);
          }}
        >
          <h2 class="text-xl font-bold">{t("phone.title")}</h2>
          <PhoneField
            label={t("phone.label")}
            hint={t("phone.hint")}
            error={showPhoneError() ? t("phone.invalid") : null}
            onNumber={(number, shown) => {
              setPhone(number);
              setShownPhone(shown);
              if (number) setShowPhoneError(false);
            }}
          />
          <ErrorAlert code={failure()} />
          <Button type="submit" class="w-full" disabled={busy()}>
            {busy() ? t("phone.sending") : t("phone.submit")}
          </Button>
        </form>
      </Match>
      <Match when={sentTo()}>
        {(number) => (
          <div class="space-y-4">
            <h2 class="text-xl font-bold">{t("code.title")}</h2>
            <p>{t("code.sentTo", { phone: shownPhone() || number() })}</p>
            <Show when={codeAttempt() + 1} keyed>
              <CodeField
                label={t("code.label")}
                invalid={failure() === "otp_expired"}
                disabled={busy()}
                onComplete={(token) => void verify(token)}
              />
            </Show>
            <p role="status" class="min-h-6">
              {busy() ? t("code.verifying") : ""}
            </p>
            <ErrorAlert code={failure()} />
            <Show
              when={countdown.secondsLeft() === 0}
              fallback={<p class="text-stone-700">{t("code.resendIn", { seconds: countdown.secondsLeft() })}</p>}
            >
              <Button variant="secondary" disabled={busy()} onClick={() => void send(number(), true)}>
                {t("code.resend")}
              </Button>
            </Show>
            <Button
              variant="link"
              onClick={() => {
                setSentTo(null);
                setFailure(null);
              }}
            >
              {t("code.changeNumber")}
            </Button>
          </div>
        )}
      </Match>
    </Switch>
  );
}
