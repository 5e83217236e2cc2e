import { NavigationMenu } from "@ark-ui/solid/navigation-menu";
import { A, useLocation } from "@solidjs/router";
import { createSignal, For } from "solid-js";
import { features } from "../features";
import { useStaffLevel } from "../lib/staff";
import { createMediaQuery } from "./media";
import { isCurrentPage, navigationSections, type NavSection } from "./navigation";
import { t } from "./t";

const navItems = features.flatMap((feature) => feature.navigation ?? []);

const LINK = "block rounded-md px-3 py-2 font-semibold text-teal-900 hover:bg-teal-50 focus-visible:outline-3 focus-visible:outline-teal-600";

/** Desktop: every group's links listed under its name, the current page marked. */
export function Sidebar(props: { sections: NavSection[] }) {
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
                    <A href={item.href} class={LINK} activeClass="bg-teal-50 underline underline-offset-4">
                      {item.label()}
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

/** Phone and tablet: one disclosure menu per group (Ark's navigation menu: buttons with
 * aria-expanded, arrow keys between them, Esc closes, links keep their role). */
export function GroupMenus(props: { sections: NavSection[] }) {
  const location = useLocation();
  const [open, setOpen] = createSignal("");
  const holdsCurrentPage = (section: NavSection) => section.items.some((item) => isCurrentPage(location.pathname, item.href));
  return (
    <NavigationMenu.Root
      aria-label={t("mainNavigation")}
      value={open()}
      onValueChange={(details) => setOpen(details.value)}
      disableHoverTrigger
      class="border-b border-stone-300 bg-white px-2 py-1"
    >
      <NavigationMenu.List class="flex flex-wrap gap-1">
        <For each={props.sections}>
          {(section) => (
            <NavigationMenu.Item value={section.group} class="relative">
              <NavigationMenu.Trigger
                class="flex min-h-11 items-center gap-1 rounded-md px-3 font-semibold text-teal-900 hover:bg-teal-50 focus-visible:outline-3 focus-visible:outline-teal-600 data-[state=open]:bg-teal-50"
                classList={{ "underline underline-offset-4": holdsCurrentPage(section) }}
              >
                {t(`nav.groups.${section.group}`)}
                <span aria-hidden="true" class="text-xs">
                  ▾
                </span>
              </NavigationMenu.Trigger>
              <NavigationMenu.Content class="absolute top-full left-0 z-40 mt-1 w-max min-w-48 max-w-[calc(100vw-1rem)] rounded-lg border border-stone-300 bg-white p-1 shadow-lg">
                <ul>
                  <For each={section.items}>
                    {(item) => (
                      <li>
                        <NavigationMenu.Link
                          value={section.group}
                          href={item.href}
                          current={location.pathname === item.href}
                          class={`${LINK} data-current:underline data-current:underline-offset-4`}
                        >
                          {item.label()}
                        </NavigationMenu.Link>
                      </li>
                    )}
                  </For>
                </ul>
              </NavigationMenu.Content>
            </NavigationMenu.Item>
          )}
        </For>
      </NavigationMenu.List>
    </NavigationMenu.Root>
  );
}

/** The navigation's groups for the signed-in viewer: only those their staff level may use (none
 * for someone who is not staff); the database still decides, this only hides. */
export function useNavigationSections() {
  const level = useStaffLevel();
  return () => navigationSections(navItems, level.data);
}

/** Whether the window is wide enough for the sidebar (Tailwind's `lg`); below it, group menus. */
export function createWideLayout() {
  return createMediaQuery("(min-width: 64rem)");
}
