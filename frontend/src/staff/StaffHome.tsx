import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import { features } from "../features";
import { session } from "../lib/session";
import { reaches, useStaffLevel } from "../lib/staff";
import { RequireStaff } from "./RequireStaff";
import { t } from "./t";

export default function StaffHome() {
  const level = useStaffLevel();
  const tools = () =>
    features
      .flatMap((feature) => feature.navigation ?? [])
      .filter((item) => item.href !== "/staff" && reaches(level.data, item.minLevel));
  return (
    <RequireStaff min="volunteer">
      <section class="space-y-3">
        <h1 class="text-2xl font-bold">{t("home.title")}</h1>
        <p>{t("signedInAs", { email: session()?.user.email ?? "" })}</p>
        <Show when={level.data}>{(current) => <p>{t("home.yourRole", { level: t(`level.${current()}`) })}</p>}</Show>
        <Show when={tools().length > 0} fallback={<p>{t("home.nothingYet")}</p>}>
          <ul class="grid gap-3 sm:grid-cols-2">
            <For each={tools()}>
              {(item) => (
                <li>
                  <A href={item.href} class="block rounded-lg border border-stone-300 bg-white p-4 font-semibold">
                    {item.label()}
                  </A>
                </li>
              )}
            </For>
          </ul>
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
