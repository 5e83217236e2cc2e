import { useMutation, useQuery, useQueryClient } from "@tanstack/solid-query";
import { For, Show, createSignal } from "solid-js";
import * as v from "valibot";
import { errorCode, type ErrorCode } from "../lib/errors";
import { locale, tCommon } from "../lib/i18n";
import { invalidateOnChanges } from "../lib/realtime";
import { session } from "../lib/session";
import { useStaffLevel, type StaffLevel } from "../lib/staff";
import { RequireStaff } from "../staff/RequireStaff";
import { t as tStaff } from "../staff/t";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { TextField } from "../ui/TextField";
import { notifyError, notifySuccess } from "../ui/notifications";
import {
  adminKeys,
  fetchInvitations,
  fetchStaff,
  inviteStaff,
  requestPasswordReset,
  resetStaffTwoFactor,
  setStaffLevel,
  setStaffStatus,
  type StaffInvitation,
  type StaffMember,
} from "./api";
import { assignableLevels, canManage } from "./staffRules";
import { t } from "./t";

const emailSchema = v.pipe(v.string(), v.trim(), v.email());

function levelName(level: StaffLevel): string {
  return tStaff(`level.${level}`);
}

function formatWhen(iso: string | null): string {
  if (!iso) return t("staff.never");
  return new Intl.DateTimeFormat(locale() === "es" ? "es-US" : "en-US", {
    dateStyle: "medium",
    timeStyle: "short",
  }).format(new Date(iso));
}

function useRefreshStaff() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: adminKeys.staff() });
    void queryClient.invalidateQueries({ queryKey: adminKeys.invitations() });
  };
}

function InviteForm(props: { actor: StaffLevel | null | undefined }) {
  const refresh = useRefreshStaff();
  const [email, setEmail] = createSignal("");
  const [name, setName] = createSignal("");
  const [level, setLevel] = createSignal<StaffLevel>("organizer");
  const [emailError, setEmailError] = createSignal(false);
  const [failure, setFailure] = createSignal<ErrorCode | null>(null);
  const invite = useMutation(() => ({
    mutationFn: (input: { email: string; level: StaffLevel; name: string | null }) =>
      inviteStaff(input.email, input.level, input.name),
    onSuccess: (_data, input) => {
      notifySuccess(t("invite.sent", { email: input.email }));
      setEmail("");
      setName("");
      refresh();
    },
    onError: (error) => setFailure(errorCode(error)),
  }));
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    setFailure(null);
    const parsed = v.safeParse(emailSchema, email());
    setEmailError(!parsed.success);
    if (!parsed.success) return;
    invite.mutate({ email: parsed.output, level: level(), name: name().trim() || null });
  };
  return (
    <section aria-labelledby="invite-title" class="space-y-3 rounded-lg border border-stone-300 bg-white p-4">
      <h2 id="invite-title" class="text-xl font-bold">
        {t("invite.title")}
      </h2>
      <form class="grid gap-3 sm:grid-cols-2" onSubmit={submit} noValidate>
        <TextField
          label={t("invite.email")}
          type="email"
          autocomplete="off"
          value={email()}
          onInput={(event) => setEmail(event.currentTarget.value)}
          error={emailError() ? t("invite.emailInvalid") : null}
        />
        <TextField
          label={t("invite.name")}
          autocomplete="off"
          value={name()}
          onInput={(event) => setName(event.currentTarget.value)}
        />
        <div class="flex flex-col gap-1">
          <label for="invite-level" class="font-medium">
            {t("invite.level")}
          </label>
          <select
            id="invite-level"
            class="min-h-12 rounded-lg border border-stone-500 bg-white px-3 text-lg"
            value={level()}
            onChange={(event) => setLevel(event.currentTarget.value as StaffLevel)}
          >
            <For each={assignableLevels(props.actor)}>{(option) => <option value={option}>{levelName(option)}</option>}</For>
          </select>
        </div>
        <div class="flex items-end">
          <Button type="submit" class="w-full" disabled={invite.isPending}>
            {invite.isPending ? t("invite.submitting") : t("invite.submit")}
          </Button>
        </div>
      </form>
      <ErrorAlert code={failure()} />
    </section>
  );
}

function StaffRow(props: { member: StaffMember; actor: StaffLevel | null | undefined }) {
  const refresh = useRefreshStaff();
  const manageable = () => canManage(props.actor, props.member.level);
  const run = (action: () => Promise<void>, success: string) => {
    action().then(
      () => {
        notifySuccess(success);
        refresh();
      },
      (error: unknown) => {
        notifyError(error);
        refresh();
      },
    );
  };
  function changeLevel(level: StaffLevel) {
    const { email, user_id: userId } = props.member;
    run(() => setStaffLevel(userId, level), t("staff.levelChanged", { email, level: levelName(level) }));
  }
  function toggle() {
    const { email, user_id: userId } = props.member;
    const next = props.member.status === "disabled" ? "active" : "disabled";
    run(() => setStaffStatus(userId, next), t(next === "active" ? "staff.enabled" : "staff.disabled", { email }));
  }
  function reset() {
    const email = props.member.email;
    run(() => requestPasswordReset(email), t("staff.resetQueued", { email }));
  }
  // Owners only (the database checks): someone who lost their authenticator enrols again.
  const canResetTwoFactor = () => props.actor === "owner" && props.member.user_id !== session()?.user.id;
  function resetTwoFactor() {
    const { email, user_id: userId } = props.member;
    run(async () => {
      await resetStaffTwoFactor(userId);
    }, t("staff.twoFactorReset", { email }));
  }
  return (
    <tr class="border-t border-stone-200 align-top">
      <td class="py-2 pr-3">
        <div class="font-medium break-all">{props.member.email}</div>
        <div class="text-sm text-stone-700">{props.member.display_name}</div>
      </td>
      <td class="py-2 pr-3">
        <Show when={manageable()} fallback={levelName(props.member.level)}>
          <select
            aria-label={t("staff.levelOf", { email: props.member.email })}
            class="min-h-10 rounded border border-stone-500 bg-white px-2"
            value={props.member.level}
            onChange={(event) => {
              changeLevel(event.currentTarget.value as StaffLevel);
            }}
          >
            <For each={assignableLevels(props.actor)}>{(option) => <option value={option}>{levelName(option)}</option>}</For>
          </select>
        </Show>
      </td>
      <td class="py-2 pr-3">{t(`staff.statusName.${props.member.status as "invited" | "active" | "disabled"}`)}</td>
      <td class="py-2 pr-3 text-sm">{formatWhen(props.member.last_sign_in_at)}</td>
      <td class="py-2">
        <Show when={manageable()}>
          <div class="flex flex-wrap gap-2">
            <Button variant="secondary" class="min-h-10 px-3 py-1 text-sm" onClick={toggle}>
              {props.member.status === "disabled" ? t("staff.enable") : t("staff.disable")}
            </Button>
            <Button variant="secondary" class="min-h-10 px-3 py-1 text-sm" onClick={reset}>
              {t("staff.resetPassword")}
            </Button>
            <Show when={canResetTwoFactor()}>
              <Button variant="secondary" class="min-h-10 px-3 py-1 text-sm" onClick={resetTwoFactor}>
                {t("staff.resetTwoFactor")}
              </Button>
            </Show>
          </div>
        </Show>
      </td>
    </tr>
  );
}

function StaffTable(props: { actor: StaffLevel | null | undefined }) {
  const staff = useQuery(() => ({ queryKey: adminKeys.staff(), queryFn: fetchStaff }));
  return (
    <Show when={staff.data} fallback={<Show when={staff.error} fallback={<p role="status">{tCommon("loading")}</p>}><ErrorAlert code={errorCode(staff.error)} /></Show>}>
      {(members) => (
        <Show when={members().length > 0} fallback={<p>{t("staff.empty")}</p>}>
          <div class="overflow-x-auto">
            <table class="w-full text-left">
              <caption class="sr-only">{t("staff.listCaption")}</caption>
              <thead>
                <tr>
                  <th scope="col" class="pr-3">{t("staff.email")}</th>
                  <th scope="col" class="pr-3">{t("staff.level")}</th>
                  <th scope="col" class="pr-3">{t("staff.status")}</th>
                  <th scope="col" class="pr-3">{t("staff.lastSignIn")}</th>
                  <th scope="col">{t("staff.actions")}</th>
                </tr>
              </thead>
              <tbody>
                <For each={members()}>{(member) => <StaffRow member={member} actor={props.actor} />}</For>
              </tbody>
            </table>
          </div>
        </Show>
      )}
    </Show>
  );
}

function InvitationsTable(props: { actor: StaffLevel | null | undefined }) {
  const refresh = useRefreshStaff();
  const invitations = useQuery(() => ({ queryKey: adminKeys.invitations(), queryFn: fetchInvitations }));
  const resend = (row: StaffInvitation) => {
    const email = row.email;
    const send =
      row.purpose === "invite" && row.level ? inviteStaff(email, row.level, row.display_name) : requestPasswordReset(email);
    send.then(
      () => {
        notifySuccess(t("invitations.resent", { email }));
        refresh();
      },
      (error: unknown) => notifyError(error),
    );
  };
  return (
    <section aria-labelledby="invitations-title" class="space-y-2">
      <h2 id="invitations-title" class="text-xl font-bold">
        {t("invitations.title")}
      </h2>
      <Show when={invitations.error}>
        <ErrorAlert code={errorCode(invitations.error)} />
      </Show>
      <Show when={invitations.data}>
        {(rows) => (
          <Show when={rows().length > 0} fallback={<p>{t("invitations.empty")}</p>}>
            <div class="overflow-x-auto">
              <table class="w-full text-left">
                <caption class="sr-only">{t("invitations.caption")}</caption>
                <thead>
                  <tr>
                    <th scope="col" class="pr-3">{t("staff.email")}</th>
                    <th scope="col" class="pr-3">{t("invitations.kind")}</th>
                    <th scope="col" class="pr-3">{t("staff.status")}</th>
                    <th scope="col" class="pr-3">{t("invitations.sentAt")}</th>
                    <th scope="col">{t("staff.actions")}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={rows()}>
                    {(row) => (
                      <tr class="border-t border-stone-200 align-top">
                        <td class="py-2 pr-3 break-all">{row.email}</td>
                        <td class="py-2 pr-3">{t(`invitations.purpose.${row.purpose as "invite" | "password_reset"}`)}</td>
                        <td class="py-2 pr-3">
                          {t(`invitations.status.${row.status as "pending"}`)}
                          <Show when={row.last_error}>
                            <div class="text-sm text-red-800">
                              {t("invitations.problem")}: {row.last_error}
                            </div>
                          </Show>
                        </td>
                        <td class="py-2 pr-3 text-sm">{row.sent_at ? formatWhen(row.sent_at) : "—"}</td>
                        <td class="py-2">
                          <Show when={["sent", "failed"].includes(row.status) && (!row.level || canManage(props.actor, row.level))}>
                            <Button
                              variant="secondary"
                              class="min-h-10 px-3 py-1 text-sm"
                              aria-label={`${t("invitations.resend")} ${row.email}`}
                              onClick={() => {
                                resend(row);
                              }}
                            >
                              {t("invitations.resend")}
                            </Button>
                          </Show>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </Show>
        )}
      </Show>
    </section>
  );
}

function StaffScreen() {
  const level = useStaffLevel();
  invalidateOnChanges({ table: "staff_invitations", queryKeys: [adminKeys.invitations(), adminKeys.staff()] });
  invalidateOnChanges({ table: "staff", queryKeys: [adminKeys.staff()] });
  return (
    <section class="space-y-6">
      <div class="space-y-1">
        <h1 class="text-2xl font-bold">{t("staff.title")}</h1>
        <p>{t("staff.intro")}</p>
      </div>
      <InviteForm actor={level.data} />
      <StaffTable actor={level.data} />
      <InvitationsTable actor={level.data} />
    </section>
  );
}

export default function StaffPage() {
  return (
    <RequireStaff min="admin">
      <StaffScreen />
    </RequireStaff>
  );
}
