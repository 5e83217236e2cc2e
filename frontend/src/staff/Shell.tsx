import { A, useNavigate, type RouteSectionProps } from "@solidjs/router";
import { ErrorBoundary, lazy, Show, Suspense } from "solid-js";
import { tCommon } from "../lib/i18n";
import { session, signOut } from "../lib/session";
import { reaches, useStaffLevel } from "../lib/staff";
import { Button } from "../ui/Button";
import { LanguageSwitch } from "../ui/LanguageSwitch";
import { Notifications, notifyError } from "../ui/notifications";
import Sidebar from "./Sidebar";
import { t } from "./t";
import { createWideLayout, useNavigationSections } from "./useNavigation";

// Ark's navigation menu loads only for staff on a narrow screen: the attendee's routes (self
// check-in's first-paint budget) never need it.
const GroupMenus = lazy(() => import("./GroupMenus"));
// Likewise the health banner (and the admin pages' messages it words problems with): only
// admins see it, and it kept ~5 KB gz on self check-in's first paint.
const HealthBanner = lazy(() => import("../admin/HealthBanner").then((module) => ({ default: module.HealthBanner })));
// The inbox's notices to its reader (assignments, new messages), on every screen of those who answer texts.
const InboxNotices = lazy(() => import("../inbox/InboxNotices"));

function CrashNotice(props: { retry: () => void }) {
  return (
    <section role="alert" class="mx-auto max-w-md space-y-3 p-6">
      <h1 class="text-2xl font-bold">{tCommon("crashed.title")}</h1>
      <p>{tCommon("crashed.body")}</p>
      <Button onClick={() => { props.retry(); }}>{tCommon("retry")}</Button>
    </section>
  );
}

/** The frame of every screen: header (name, language, sign-out), the staff navigation (group
 * menus under the header on a phone, a sidebar on a wide screen), the page behind an error
 * boundary, and the notification area. */
export function Shell(props: RouteSectionProps) {
  const navigate = useNavigate();
  const sections = useNavigationSections();
  const wide = createWideLayout();
  const level = useStaffLevel();
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
      <header class="flex flex-wrap items-center justify-between gap-x-3 gap-y-1 border-b border-stone-300 bg-white px-4 py-2">
        <A href="/" class="text-lg font-bold text-teal-900">
          {tCommon("appName")}
        </A>
        <div class="flex flex-wrap items-center gap-2">
          <Show when={reaches(level.data, "organizer")}>
            <Suspense>
              <InboxNotices />
            </Suspense>
          </Show>
          <LanguageSwitch />
          <Show when={session()}>
            <Button variant="link" onClick={() => void leave()}>
              {t("signOut")}
            </Button>
          </Show>
        </div>
      </header>
      <Show when={!wide() && sections().length > 0}>
        <Suspense>
          <GroupMenus sections={sections()} />
        </Suspense>
      </Show>
      <Show when={reaches(level.data, "admin")}>
        <Suspense>
          <HealthBanner />
        </Suspense>
      </Show>
      <div class="lg:flex">
        <Show when={wide() && sections().length > 0}>
          <div class="w-60 shrink-0 self-start border-r border-stone-300 p-3 lg:sticky lg:top-0 lg:max-h-screen lg:overflow-y-auto">
            <Sidebar sections={sections()} />
          </div>
        </Show>
        <main id="main" tabindex="-1" class="mx-auto w-full max-w-3xl min-w-0 px-4 py-6 lg:max-w-4xl">
          <ErrorBoundary
            fallback={(error: unknown, reset) => {
              console.error("Screen failed", error);
              return <CrashNotice retry={reset} />;
            }}
          >
            <Suspense fallback={<p role="status">{tCommon("loading")}</p>}>{props.children}</Suspense>
          </ErrorBoundary>
        </main>
      </div>
      <Notifications />
    </>
  );
}
