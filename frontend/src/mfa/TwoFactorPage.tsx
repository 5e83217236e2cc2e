import { A, useNavigate, useSearchParams } from "@solidjs/router";
import { useQuery, useQueryClient } from "@tanstack/solid-query";
import { Match, Show, Switch, createSignal } from "solid-js";
import { errorCode, type ErrorCode } from "../lib/errors";
import { tCommon } from "../lib/i18n";
import { session } from "../lib/session";
import { reaches, useStaffLevel } from "../lib/staff";
import { RequireStaff } from "../staff/RequireStaff";
import { safeNext } from "../staff/SignIn";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { TextField } from "../ui/TextField";
import { notifyError, notifySuccess } from "../ui/notifications";
import { fetchTwoFactorState, mfaKeys, startEnrolment, turnOff, verifyCode, type Enrolment } from "./api";
import { t } from "./t";

// Stored with the factor in Auth; people never see it in this app.
const FACTOR_NAME = "Authenticator app";
const SIX_DIGITS = /^\d{6}$/;

/** A code from the authenticator app, checked by `onCode` (which throws on a refusal). */
function CodeForm(props: { submitLabel: string; onCode: (code: string) => Promise<void> }) {
  const [code, setCode] = createSignal("");
  const [invalid, setInvalid] = createSignal(false);
  const [failure, setFailure] = createSignal<ErrorCode | null>(null);
  const [busy, setBusy] = createSignal(false);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const digits = code().replace(/\s/g, "");
    setInvalid(!SIX_DIGITS.test(digits));
    if (invalid()) return;
    setFailure(null);
    setBusy(true);
    try {
      await props.onCode(digits);
    } catch (error) {
      setFailure(errorCode(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="space-y-4" noValidate onSubmit={(event) => void submit(event)}>
      <TextField
        label={t("challenge.code")}
        inputmode="numeric"
        autocomplete="one-time-code"
        value={code()}
        onInput={(event) => setCode(event.currentTarget.value)}
        error={invalid() ? t("challenge.codeInvalid") : null}
      />
      <ErrorAlert code={failure()} />
      <Button type="submit" class="w-full" disabled={busy()}>
        {busy() ? t("challenge.submitting") : props.submitLabel}
      </Button>
    </form>
  );
}

function Enrol(props: { required: boolean; onEnrolled: () => void }) {
  const [enrolment, setEnrolment] = createSignal<Enrolment | null>(null);
  const [failure, setFailure] = createSignal<ErrorCode | null>(null);
  const [starting, setStarting] = createSignal(false);
  const start = async () => {
    setFailure(null);
    setStarting(true);
    try {
      setEnrolment(await startEnrolment(FACTOR_NAME));
    } catch (error) {
      setFailure(errorCode(error));
    } finally {
      setStarting(false);
    }
  };
  const confirm = async (factorId: string, code: string) => {
    await verifyCode(factorId, code);
    notifySuccess(() => t("enrol.done"));
    props.onEnrolled();
  };
  return (
    <div class="space-y-4">
      <Show when={props.required}>
        <p class="rounded-lg border border-amber-700 bg-amber-50 p-3 text-amber-950">{t("enrol.requiredForAdmins")}</p>
      </Show>
      <p>{t("enrol.intro")}</p>
      <Show
        when={enrolment()}
        fallback={
          <>
            <ErrorAlert code={failure()} />
            <Button class="w-full" disabled={starting()} onClick={() => void start()}>
              {starting() ? t("enrol.starting") : t("enrol.start")}
            </Button>
          </>
        }
      >
        {(current) => (
          <>
            <p>{t("enrol.scan")}</p>
            <img src={current().qrCode} alt={t("enrol.qrAlt")} width="200" height="200" class="mx-auto bg-white" />
            <p>
              {t("enrol.manualKey")} <code class="break-all font-mono">{current().secret}</code>
            </p>
            <CodeForm
              submitLabel={t("enrol.submit")}
              onCode={(code) => confirm(current().factorId, code)}
            />
          </>
        )}
      </Show>
    </div>
  );
}

/** /two-factor: the sign-in challenge for people with a factor, enrolment for people without
 * one, and turning it off once it is on. `?next=` is where to go once the session is aal2. */
export default function TwoFactorPage() {
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const level = useStaffLevel();
  const state = useQuery(() => ({
    queryKey: mfaKeys.state(session()?.user.id ?? "signed-out"),
    queryFn: fetchTwoFactorState,
    enabled: session() != null,
  }));
  const next = () => safeNext(search.next);
  const finished = () => {
    void queryClient.invalidateQueries({ queryKey: ["mfa"] });
    navigate(next(), { replace: true });
  };
  const answerChallenge = async (factorId: string, code: string) => {
    await verifyCode(factorId, code);
    finished();
  };
  const [turningOff, setTurningOff] = createSignal(false);
  const switchOff = async (factorId: string) => {
    setTurningOff(true);
    try {
      await turnOff(factorId);
      notifySuccess(() => t("on.turnedOff"));
      await state.refetch();
    } catch (error) {
      notifyError(error);
    } finally {
      setTurningOff(false);
    }
  };
  return (
    <RequireStaff min="volunteer">
      <section class="mx-auto max-w-md space-y-4">
        <h1 class="text-2xl font-bold">{t("title")}</h1>
        <Switch fallback={<p role="status">{tCommon("loading")}</p>}>
          <Match when={state.isError}>
            <ErrorAlert code={errorCode(state.error)} />
          </Match>
          <Match when={state.data?.factor && state.data.currentLevel !== "aal2" ? state.data.factor : null}>
            {(factor) => (
              <>
                <p>{t("challenge.intro")}</p>
                <CodeForm
                  submitLabel={t("challenge.submit")}
                  onCode={(code) => answerChallenge(factor().id, code)}
                />
              </>
            )}
          </Match>
          <Match when={state.data?.factor}>
            {(factor) => (
              <div class="space-y-4">
                <p>{t("on.status")}</p>
                <Show when={search.next}>
                  <A href={next()} class="block font-semibold text-teal-800 underline">
                    {t("on.continue")}
                  </A>
                </Show>
                <Button variant="secondary" disabled={turningOff()} onClick={() => void switchOff(factor().id)}>
                  {t("on.turnOff")}
                </Button>
              </div>
            )}
          </Match>
          <Match when={state.data}>
            <Enrol required={reaches(level.data, "admin")} onEnrolled={finished} />
          </Match>
        </Switch>
      </section>
    </RequireStaff>
  );
}
