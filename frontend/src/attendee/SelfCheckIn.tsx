import { A, useParams } from "@solidjs/router";
import { useQuery } from "@tanstack/solid-query";
import { createEffect, createSignal, lazy, Match, on, Show, Switch } from "solid-js";
import { formatDateTime } from "../lib/dates";
import { errorCode, type ErrorCode } from "../lib/errors";
import { locale } from "../lib/i18n";
import { queryKeys } from "../lib/query";
import { session } from "../lib/session";
import { ErrorAlert } from "../ui/ErrorAlert";
import { notifyError } from "../ui/notifications";
import {
  checkInSelf,
  fetchDisclosures,
  fetchEventBySlug,
  fetchMyContact,
  recordConsent,
  type CheckInResult,
  type Channel,
  type Disclosure,
  type PublicEvent,
} from "./api";
import { PhoneSignIn } from "./PhoneSignIn";
import { toRegistration, type RegistrationForm } from "./registration";
import { t } from "./t";

// Later steps load while the person types their number, not before the first screen.
const RegisterForm = lazy(() => import("./RegisterForm"));
const CheckedIn = lazy(() => import("./CheckedIn"));

type Step = "sign-in" | "checking-in" | "register" | "done" | "failed";

/** Flow 1 on the attendee's phone: /e/<slug> → phone → code → (first visit: form) → checked in. */
export default function SelfCheckIn() {
  const params = useParams<{ slug: string }>();
  const event = useQuery(() => ({ queryKey: queryKeys.eventBySlug(params.slug), queryFn: () => fetchEventBySlug(params.slug) }));
  const disclosures = useQuery(() => ({ queryKey: queryKeys.disclosures(), queryFn: fetchDisclosures }));
  const [step, setStep] = createSignal<Step>("sign-in");
  const [result, setResult] = createSignal<CheckInResult | null>(null);
  const [qrToken, setQrToken] = createSignal<string | undefined>();
  const [failure, setFailure] = createSignal<ErrorCode | null>(null);

  const finish = async (checkedIn: CheckInResult) => {
    setResult(checkedIn);
    setStep("done");
    const userId = session()?.user.id;
    if (!userId) return;
    try {
      setQrToken((await fetchMyContact(userId)).qr_token);
    } catch (error) {
      notifyError(error);
    }
  };

  const attempt = async (current: PublicEvent) => {
    setStep("checking-in");
    setFailure(null);
    try {
      const outcome = await checkInSelf(current.id);
      if (outcome === "registration_required") setStep("register");
      else await finish(outcome);
    } catch (error) {
      setFailure(errorCode(error));
      setStep("failed");
    }
  };

  // Someone signed in with their phone (now, or earlier on this device) is checked in directly;
  // a staff session (no phone) still goes through the phone step.
  createEffect(
    on([() => event.data, () => session()?.user.phone], ([current, phone]) => {
      if (current && phone && step() === "sign-in") void attempt(current);
    }),
  );

  const register = async (
    current: PublicEvent,
    form: RegistrationForm,
    shown: Record<Channel, Disclosure | undefined>,
  ) => {
    try {
      const outcome = await checkInSelf(current.id, toRegistration(form));
      if (outcome === "registration_required") return;
      // Only ticked boxes are recorded: no consent is not an opt-out.
      for (const channel of ["sms", "email"] as const) {
        const disclosure = shown[channel];
        if (form[`${channel}_opt_in`] && disclosure) await recordConsent(channel, "opted_in", disclosure.id);
      }
      await finish(outcome);
    } catch (error) {
      notifyError(error);
    }
  };

  return (
    <div class="mx-auto max-w-md space-y-6">
      <Show when={event.error}>
        <ErrorAlert code={errorCode(event.error)} />
      </Show>
      <Show when={event.data}>
        {(current) => (
          <>
            <header class="space-y-1">
              <h1 class="text-3xl font-bold">{current().name}</h1>
              <p class="text-stone-700">
                {current().venue
                  ? t("event.when", {
                      when: formatDateTime(current().starts_at, current().time_zone, locale()),
                      venue: current().venue ?? "",
                    })
                  : t("event.whenNoVenue", { when: formatDateTime(current().starts_at, current().time_zone, locale()) })}
              </p>
              {/* Check-in opens 2 h before the start; until then the page offers the RSVP form. */}
              <Show when={Date.parse(current().starts_at) - 2 * 3600_000 > Date.now()}>
                <A href={`/e/${current().slug}/rsvp`} class="font-medium text-teal-800 underline">{t("event.rsvp")}</A>
              </Show>
            </header>
            <Switch>
              <Match when={step() === "sign-in"}>
                <PhoneSignIn />
              </Match>
              <Match when={step() === "checking-in"}>
                <p role="status">{t("checkingIn")}</p>
              </Match>
              <Match when={step() === "register"}>
                <RegisterForm
                  disclosures={disclosures.data ?? []}
                  onSubmit={(form, shown) => register(current(), form, shown)}
                />
              </Match>
              <Match when={step() === "done" && result()}>
                {(done) => <CheckedIn result={done()} timeZone={current().time_zone} qrToken={qrToken()} />}
              </Match>
              <Match when={step() === "failed"}>
                <ErrorAlert code={failure()} />
              </Match>
            </Switch>
          </>
        )}
      </Show>
    </div>
  );
}
