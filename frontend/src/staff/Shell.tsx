import { A, useNavigate, type RouteSectionProps } from "@solidjs/router";
import { ErrorBoundary, For, Show, Suspense } from "solid-js";
import { HealthBanner } from "../admin/HealthBanner";
import { features } from "../features";
import { tCommon } from "../lib/i18n";
import { session, signOut } from "../lib/session";
import { reaches, useStaffLevel } from "../lib/staff";
import { Button } from "../ui/Button";
import { LanguageSwitch } from "../ui/LanguageSwitch";
import { Notifications, notifyError } from "../ui/notifications";
import { t } from "./t";

function StaffNavigation() {
  const level = useStaffLevel();
  const items = () =>
    features.flatMap((feature) => feature.navigation ?? []).filter((item) => reaches(level.data, item.minLevel));
  return (
    <Show when={items().length > 0}>
      <nav aria-label={t("mainNavigation")}>
        <ul class="flex flex-wrap gap-3">
          <For each={items()}>
            {(item) => (
              <li>
                <A href={item.href} class="font-semibold text-teal-900 underline" activeClass="no-underline" end>
                  {item.label()}
                </A>
              </li>
            )}
          </For>
        </ul>
      </nav>
    </Show>
  );
}

function CrashNotice(props: { retry: () => void }) {
  return (
    <section role="alert" class="mx-auto max-w-md space-y-3 p-6">
      <h1 class="text-2xl font-bold">{tCommon("crashed.title")}</h1>
      <p>{tCommon("crashed.body")}</p>
      <Button onClick={() => { props.retry(); }}>{tCommon("retry")}</Button>
    </section>
  );
}

/** The frame of every screen: header (name, staff navigation, language, sign-out), the page
 * behind an error boundary, and the notification area. */
export function Shell(props: RouteSectionProps) {
  const navigate = useNavigate();
  const leave = async () => {
    try {
      await signOut();
      navigate("/", { replace: true });
    } catch (error) {
      notifyError(error);
    }
  };
  return (
    <>
      <a href="#main" class="sr-only focus:not-sr-only focus:absolute focus:p-2">
        {t("skipToContent")}
      </a>
      <header class="flex flex-wrap items-center justify-between gap-3 border-b border-stone-300 bg-white px-4 py-2">
        <A href="/" class="text-lg font-bold text-teal-900">
          {tCommon("appName")}
        </A>
        <StaffNavigation />
        <div class="flex items-center gap-2">
          <LanguageSwitch />
          <Show when={session()}>
            <Button variant="link" onClick={() => void leave()}>
              {t("signOut")}
            </Button>
          </Show>
        </div>
      </header>
      <HealthBanner />
      <main id="main" tabindex="-1" class="mx-auto w-full max-w-3xl px-4 py-6">
        <ErrorBoundary
          fallback={(error: unknown, reset) => {
            console.error("Screen failed", error);
            return <CrashNotice retry={reset} />;
          }}
        >
          <Suspense fallback={<p role="status">{tCommon("loading")}</p>}>{props.children}</Suspense>
        </ErrorBoundary>
      </main>
      <Notifications />
    </>
  );
}
