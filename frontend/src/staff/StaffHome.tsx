import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import { session } from "../lib/session";
import { useStaffLevel } from "../lib/staff";
import { navLabel } from "./navigation";
import { RequireStaff } from "./RequireStaff";
import { t } from "./t";
import { useNavigationSections } from "./useNavigation";

export default function StaffHome() {
  const level = useStaffLevel();
  const sections = useNavigationSections();
  // The console's own link would lead back here.
  const tools = () =>
    sections()
      .map((section) => ({ ...section, items: section.items.filter((item) => item.href !== "/staff") }))
      .filter((section) => section.items.length > 0);
  return (
    <RequireStaff min="volunteer">
      <section class="space-y-3">
        <h1 class="text-2xl font-bold">{t("home.title")}</h1>
        <p>{t("signedInAs", { email: session()?.user.email ?? "" })}</p>
        <Show when={level.data}>{(current) => <p>{t("home.yourRole", { level: t(`level.${current()}`) })}</p>}</Show>
        <Show when={tools().length > 0} fallback={<p>{t("home.nothingYet")}</p>}>
          <For each={tools()}>
            {(section) => (
              <section aria-labelledby={`tools-${section.group}`} class="space-y-2">
                <h2 id={`tools-${section.group}`} class="text-lg font-bold">
                  {t(`nav.groups.${section.group}`)}
                </h2>
                <ul class="grid gap-3 sm:grid-cols-2">
                  <For each={section.items}>
                    {(item) => (
                      <li>
                        <A href={item.href} class="block rounded-lg border border-stone-300 bg-white p-4 font-semibold">
                          {navLabel(item)}
                        </A>
                      </li>
                    )}
                  </For>
                </ul>
              </section>
            )}
          </For>
        </Show>
        <p>
          <A href="/two-factor" class="font-semibold text-teal-800 underline">
            {t("home.twoFactor")}
          </A>
        </p>
      </section>
    </RequireStaff>
  );
}
