import { A } from "@solidjs/router";
import { For } from "solid-js";
import { NAV_LINK, navLabel, type NavSection } from "./navigation";
import { t } from "./t";

/** Desktop: every group's links listed under its name, the current page marked. */
export default function Sidebar(props: { sections: NavSection[] }) {
  return (
    <nav aria-label={t("mainNavigation")} class="space-y-4">
      <For each={props.sections}>
        {(section) => (
          <div>
            <p id={`nav-group-${section.group}`} class="px-3 text-sm font-bold tracking-wide text-stone-700 uppercase">
              {t(`nav.groups.${section.group}`)}
            </p>
            <ul aria-labelledby={`nav-group-${section.group}`} class="mt-1">
              <For each={section.items}>
                {(item) => (
                  <li>
                    <A href={item.href} class={NAV_LINK} activeClass="bg-teal-50 underline underline-offset-4">
                      {navLabel(item)}
                    </A>
                  </li>
                )}
              </For>
            </ul>
          </div>
        )}
      </For>
    </nav>
  );
}
