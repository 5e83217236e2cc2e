import { useMutation, useQueryClient } from "@tanstack/solid-query";
import { For, Show, createSignal } from "solid-js";
import * as v from "valibot";
import { errorCode, type ErrorCode } from "../lib/errors";
import { locale, tCommon } from "../lib/i18n";
import { createLiveQuery } from "../lib/liveQuery";
import { invalidateOnChanges } from "../lib/realtime";
import { session } from "../lib/session";
import { useStaffLevel, type StaffLevel } from "../lib/staff";
import { RequireStaff } from "../staff/RequireStaff";
import { t as tStaff } from "../staff/t";
import { Button } from "../ui/Button";
import { DataTable, EmailText, type Column } from "../ui/DataTable";
import { ErrorAlert } from "../ui/ErrorAlert";
import { TextField } from "../ui/TextField";
import { notifyError, notifySuccess, type Words } from "../ui/notifications";
import {
  adminKeys,
  fetchInvitations,
  fetchStaff,
  fetchTwoFactorStatus,
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
    void queryClient.invalidateQueries({ queryKey: adminKeys.twoFactor() });
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
      notifySuccess(() => t("invite.sent", { email: input.email }));
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

function useRun() {
  const refresh = useRefreshStaff();
  return (action: () => Promise<void>, success: Words) => {
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
}

function LevelCell(props: { member: StaffMember; actor: StaffLevel | null | undefined }) {
  const run = useRun();
  function changeLevel(level: StaffLevel) {
    const { email, user_id: userId } = props.member;
    run(() => setStaffLevel(userId, level), () => t("staff.levelChanged", { email, level: levelName(level) }));
  }
  return (
    <Show when={canManage(props.actor, props.member.level)} fallback={levelName(props.member.level)}>
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
  );
}

function StaffActions(props: { member: StaffMember; actor: StaffLevel | null | undefined; enrolled: boolean | undefined }) {
  const run = useRun();
  function toggle() {
    const { email, user_id: userId } = props.member;
    const next = props.member.status === "disabled" ? "active" : "disabled";
    run(() => setStaffStatus(userId, next), () => t(next === "active" ? "staff.enabled" : "staff.disabled", { email }));
  }
  function reset() {
    const email = props.member.email;
    run(() => requestPasswordReset(email), () => t("staff.resetQueued", { email }));
  }
  // Owners only (the database checks): someone who lost their authenticator enrols again.
  // Offered unless the member is known to have no factor to reset.
  const canResetTwoFactor = () =>
    props.actor === "owner" && props.member.user_id !== session()?.user.id && props.enrolled !== false;
  function resetTwoFactor() {
    const { email, user_id: userId } = props.member;
    run(async () => {
      await resetStaffTwoFactor(userId);
    }, () => t("staff.twoFactorReset", { email }));
  }
  return (
    <Show when={canManage(props.actor, props.member.level)}>
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
  );
}

function StaffTable(props: { actor: StaffLevel | null | undefined }) {
  const staff = createLiveQuery(() => ({ queryKey: adminKeys.staff(), queryFn: fetchStaff }));
  const twoFactor = createLiveQuery(() => ({ queryKey: adminKeys.twoFactor(), queryFn: fetchTwoFactorStatus }));
  const enrolled = (member: StaffMember) => twoFactor().data?.get(member.user_id);
  const columns: Column<StaffMember>[] = [
    {
      header: t("staff.email"),
      rowHeader: true,
      sortValue: (member) => member.email,
      cell: (member) => (
        <>
          <div class="font-medium">
            <EmailText email={member.email} />
          </div>
          <div class="text-sm text-stone-700">{member.display_name}</div>
        </>
      ),
    },
    {
      header: t("staff.level"),
      cell: (member) => <LevelCell member={member} actor={props.actor} />,
    },
    {
      header: t("staff.status"),
      cell: (member) => t(`staff.statusName.${member.status as "invited" | "active" | "disabled"}`),
    },
    {
      header: t("staff.twoFactor"),
      sortValue: (member) => (enrolled(member) ? 1 : 0),
      cell: (member) => {
        const known = enrolled(member);
        return known === undefined ? "—" : known ? t("staff.twoFactorOn") : t("staff.twoFactorOff");
      },
    },
    {
      header: t("staff.lastSignIn"),
      class: "text-sm",
      // Never signed in (null at run time despite the generated type) sorts first.
      sortValue: (member) => Date.parse(member.last_sign_in_at) || 0,
      cell: (member) => formatWhen(member.last_sign_in_at),
    },
    {
      header: t("staff.actions"),
      cell: (member) => <StaffActions member={member} actor={props.actor} enrolled={enrolled(member)} />,
    },
  ];
  return (
    <Show when={staff().data} fallback={<Show when={staff().error} fallback={<p role="status">{tCommon("loading")}</p>}><ErrorAlert code={errorCode(staff().error)} /></Show>}>
      {(members) => (
        <Show when={members().length > 0} fallback={<p>{t("staff.empty")}</p>}>
          <Show when={twoFactor().error}>
            <ErrorAlert code={errorCode(twoFactor().error)} />
          </Show>
          <DataTable caption={t("staff.listCaption")} captionHidden columns={columns} rows={members()} />
        </Show>
      )}
    </Show>
  );
}

function InvitationsTable(props: { actor: StaffLevel | null | undefined }) {
  const refresh = useRefreshStaff();
  const invitations = createLiveQuery(() => ({ queryKey: adminKeys.invitations(), queryFn: fetchInvitations }));
  const resend = (row: StaffInvitation) => {
    const email = row.email;
    const send =
      row.purpose === "invite" && row.level ? inviteStaff(email, row.level, row.display_name) : requestPasswordReset(email);
    send.then(
      () => {
        notifySuccess(() => t("invitations.resent", { email }));
        refresh();
      },
      (error: unknown) => notifyError(error),
    );
  };
  const invitationColumns: Column<StaffInvitation>[] = [
    { header: t("staff.email"), rowHeader: true, cell: (row) => <EmailText email={row.email} /> },
    { header: t("invitations.kind"), cell: (row) => t(`invitations.purpose.${row.purpose as "invite" | "password_reset"}`) },
    {
      header: t("staff.status"),
      cell: (row) => (
        <>
          {t(`invitations.status.${row.status as "pending"}`)}
          <Show when={row.last_error}>
            <div class="text-sm text-red-800">
              {t("invitations.problem")}: {row.last_error}
            </div>
          </Show>
        </>
      ),
    },
    { header: t("invitations.sentAt"), class: "text-sm", cell: (row) => (row.sent_at ? formatWhen(row.sent_at) : "—") },
    {
      header: t("staff.actions"),
      cell: (row) => (
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
      ),
    },
  ];
  return (
    <section aria-labelledby="invitations-title" class="space-y-2">
      <h2 id="invitations-title" class="text-xl font-bold">
        {t("invitations.title")}
      </h2>
      <Show when={invitations().error}>
        <ErrorAlert code={errorCode(invitations().error)} />
      </Show>
      <Show when={invitations().data}>
        {(rows) => (
          <Show when={rows().length > 0} fallback={<p>{t("invitations.empty")}</p>}>
            <DataTable caption={t("invitations.caption")} captionHidden columns={invitationColumns} rows={rows()} />
          </Show>
        )}
      </Show>
    </section>
  );
}

function StaffScreen() {
  const level = useStaffLevel();
  // A new or changed member needs their two-factor status too (factors themselves live in Auth,
  // which Realtime does not stream: a reset from this page refreshes it).
  invalidateOnChanges({
    table: "staff_invitations",
    queryKeys: [adminKeys.invitations(), adminKeys.staff(), adminKeys.twoFactor()],
  });
  invalidateOnChanges({ table: "staff", queryKeys: [adminKeys.staff(), adminKeys.twoFactor()] });
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
