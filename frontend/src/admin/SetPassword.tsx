import { useNavigate } from "@solidjs/router";
import { useQueryClient } from "@tanstack/solid-query";
import { Show, createSignal } from "solid-js";
import { errorCode, type ErrorCode } from "../lib/errors";
import { queryKeys } from "../lib/query";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { TextField } from "../ui/TextField";
import { notifySuccess } from "../ui/notifications";
import { setPasswordFromLink } from "./api";
import { parseInvitationLink } from "./staffRules";
import { t } from "./t";

const MIN_LENGTH = 8;

type FieldProblem = "tooShort" | "mismatch" | null;

/** Where an invitation or password-reset email leads: choose a password, then the console. */
export default function SetPassword() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // Read once: the fragment is dropped from the address bar so the code is not left behind.
  const link = parseInvitationLink(window.location.hash);
  if (link) history.replaceState(null, "", window.location.pathname);
  const [password, setPassword] = createSignal("");
  const [confirm, setConfirm] = createSignal("");
  const [problem, setProblem] = createSignal<FieldProblem>(null);
  const [failure, setFailure] = createSignal<ErrorCode | null>(null);
  const [saving, setSaving] = createSignal(false);
  const submit = async (event: SubmitEvent, email: string, code: string) => {
    event.preventDefault();
    setFailure(null);
    if (password().length < MIN_LENGTH) return setProblem("tooShort");
    if (password() !== confirm()) return setProblem("mismatch");
    setProblem(null);
    setSaving(true);
    try {
      const userId = await setPasswordFromLink(email, code, password());
      // The shell asked for the level as soon as the code signed in, before the invitation
      // was accepted: that "not staff yet" answer is stale now.
      await queryClient.invalidateQueries({ queryKey: queryKeys.staffLevel(userId) });
      notifySuccess(() => t("setPassword.done"));
      navigate("/staff", { replace: true });
    } catch (error) {
      setFailure(errorCode(error));
    } finally {
      setSaving(false);
    }
  };
  return (
    <section class="mx-auto max-w-sm space-y-4">
      <h1 class="text-2xl font-bold">{t("setPassword.title")}</h1>
      <Show when={link} fallback={<p role="alert">{t("setPassword.badLink")}</p>}>
        {(valid) => (
          <form class="space-y-4" noValidate onSubmit={(event) => void submit(event, valid().email, valid().code)}>
            <p>{t("setPassword.intro", { email: valid().email })}</p>
            <input type="email" name="username" autocomplete="username" value={valid().email} hidden readOnly />
            <TextField
              label={t("setPassword.password")}
              hint={t("setPassword.passwordHint")}
              type="password"
              autocomplete="new-password"
              value={password()}
              onInput={(event) => setPassword(event.currentTarget.value)}
              error={problem() === "tooShort" ? t("setPassword.tooShort") : null}
            />
            <TextField
              label={t("setPassword.confirm")}
              type="password"
              autocomplete="new-password"
              value={confirm()}
              onInput={(event) => setConfirm(event.currentTarget.value)}
              error={problem() === "mismatch" ? t("setPassword.mismatch") : null}
            />
            <ErrorAlert code={failure()} />
            <Button type="submit" class="w-full" disabled={saving()}>
              {saving() ? t("setPassword.submitting") : t("setPassword.submit")}
            </Button>
          </form>
        )}
      </Show>
    </section>
  );
}
