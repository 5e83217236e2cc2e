import { Field, Form, createForm } from "@formisch/solid";
import { useNavigate, useSearchParams } from "@solidjs/router";
import { createSignal } from "solid-js";
import * as v from "valibot";
import { errorCode, type ErrorCode } from "../lib/errors";
import { supabase } from "../lib/supabase";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { TextField } from "../ui/TextField";
import { t } from "./t";

// Messages are translation keys, so errors follow the language switch.
export const signInSchema = v.object({
  email: v.pipe(v.string(), v.trim(), v.email("signIn.emailInvalid")),
  password: v.pipe(v.string(), v.minLength(1, "signIn.passwordRequired")),
});

type SchemaMessage = "signIn.emailInvalid" | "signIn.passwordRequired";

/** Only same-site paths, so a crafted link cannot send someone elsewhere after signing in. */
export function safeNext(next: string | string[] | undefined): string {
  const value = Array.isArray(next) ? next[0] : next;
  return value?.startsWith("/") && !value.startsWith("//") ? value : "/staff";
}

export default function SignIn() {
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const [failure, setFailure] = createSignal<ErrorCode | null>(null);
  const form = createForm({
    schema: signInSchema,
    initialInput: { email: "", password: "" },
    validate: "submit",
    revalidate: "input",
  });
  const signIn = async (values: v.InferOutput<typeof signInSchema>) => {
    setFailure(null);
    const { error } = await supabase().auth.signInWithPassword(values);
    if (error) {
      setFailure(errorCode(error));
      return;
    }
    // Someone with a verified second factor answers its challenge before going on.
    const assurance = await supabase().auth.mfa.getAuthenticatorAssuranceLevel();
    if (assurance.error) {
      setFailure(errorCode(assurance.error));
      return;
    }
    const next = safeNext(search.next);
    const challenged = assurance.data.nextLevel === "aal2" && assurance.data.currentLevel !== "aal2";
    navigate(challenged ? `/two-factor?next=${encodeURIComponent(next)}` : next, { replace: true });
  };
  return (
    <section class="mx-auto max-w-sm space-y-4">
      <h1 class="text-2xl font-bold">{t("signIn.title")}</h1>
      <Form
        of={form}
        class="space-y-4"
        onSubmit={(values) => signIn(values)}
      >
        <Field of={form} path={["email"]}>
          {(field) => (
            <TextField
              {...field.props}
              label={t("signIn.email")}
              type="email"
              autocomplete="username"
              value={field.input ?? ""}
              error={field.errors ? t(field.errors[0] as SchemaMessage) : null}
            />
          )}
        </Field>
        <Field of={form} path={["password"]}>
          {(field) => (
            <TextField
              {...field.props}
              label={t("signIn.password")}
              type="password"
              autocomplete="current-password"
              value={field.input ?? ""}
              error={field.errors ? t(field.errors[0] as SchemaMessage) : null}
            />
          )}
        </Field>
        <ErrorAlert code={failure()} />
        <Button type="submit" class="w-full" disabled={form.isSubmitting}>
          {form.isSubmitting ? t("signIn.submitting") : t("signIn.submit")}
        </Button>
      </Form>
    </section>
  );
}
