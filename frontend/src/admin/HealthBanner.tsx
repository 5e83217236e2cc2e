import { A } from "@solidjs/router";
import { Show } from "solid-js";
import { errorCode } from "../lib/errors";
import { createLiveQuery } from "../lib/liveQuery";
import { session } from "../lib/session";
import { reaches, useStaffLevel } from "../lib/staff";
import { sessionAal } from "../mfa/aal";
import { ErrorAlert } from "../ui/ErrorAlert";
import { fetchHealth, HEALTH_BANNER_REFRESH_MS, healthKeys } from "./healthApi";
import { problemSentence } from "./HealthProblems";
import { tHealth } from "./healthT";

/** Shown to admins on every staff screen while anything is unhealthy. It shares the health
 * page's query, so both show the same snapshot. */
export function HealthBanner() {
  const level = useStaffLevel();
  // Admins read health only with a second factor in this session (the database refuses aal1
  // with not_allowed); asking before the step-up showed that refusal above every page.
  const isAdmin = () => reaches(level.data, "admin") && sessionAal(session()) === "aal2";
  const health = createLiveQuery(() => ({
    queryKey: healthKeys.snapshot(),
    queryFn: fetchHealth,
    enabled: isAdmin(),
    refetchInterval: HEALTH_BANNER_REFRESH_MS,
  }));
  const problems = () => (isAdmin() ? (health().data?.problems ?? []) : []);
  // Health that cannot be read is not "healthy": say so rather than hide the banner.
  const failure = () => (isAdmin() && health().error ? errorCode(health().error) : null);
  return (
    <>
      <ErrorAlert code={failure()} />
      <Show when={problems()[0]}>
        {(first) => (
          <aside aria-label={tHealth("title")} class="border-b border-amber-400 bg-amber-50 px-4 py-2 text-amber-950">
            <p>
              <span class="font-semibold">{tHealth("banner", { count: problems().length })}</span> {problemSentence(first())}{" "}
              <A href="/admin/health" class="font-semibold underline">
                {tHealth("bannerLink")}
              </A>
            </p>
          </aside>
        )}
      </Show>
    </>
  );
}
