import { Navigate, useLocation } from "@solidjs/router";
import { Match, Switch, type JSX } from "solid-js";
import { tCommon } from "../lib/i18n";
import { session, sessionKnown } from "../lib/session";
import { reaches, useStaffLevel, type StaffLevel } from "../lib/staff";
import { sessionAal } from "../mfa/aal";
import { t } from "./t";

/** Shows its children to staff at `min` or above; sends signed-out people to sign in, admin
 * pages' visitors without a second factor in this session (aal2) to /two-factor (challenge or
 * enrolment), and tells others the page is staff only. The database still decides. */
export function RequireStaff(props: { min: StaffLevel; children: JSX.Element }) {
  const location = useLocation();
  const level = useStaffLevel();
  const here = () => encodeURIComponent(location.pathname + location.search);
  const signInHref = () => `/sign-in?next=${here()}`;
  const needsSecondFactor = () => reaches(props.min, "admin") && sessionAal(session()) !== "aal2";
  return (
    <Switch fallback={<p role="status">{tCommon("loading")}</p>}>
      <Match when={sessionKnown() && !session()}>
        <Navigate href={signInHref()} />
      </Match>
      <Match when={level.isSuccess && reaches(level.data, props.min) && needsSecondFactor()}>
        <Navigate href={`/two-factor?next=${here()}`} />
      </Match>
      <Match when={level.isSuccess && reaches(level.data, props.min)}>{props.children}</Match>
      <Match when={level.isSuccess || level.isError}>
        <section class="space-y-2">
          <h1 class="text-2xl font-bold">{t("notStaff.title")}</h1>
          <p>{t("notStaff.body")}</p>
        </section>
      </Match>
    </Switch>
  );
}
