import { NavigationMenu } from "@ark-ui/solid/navigation-menu";
import { useLocation } from "@solidjs/router";
import { createSignal, For } from "solid-js";
import { isCurrentPage, NAV_LINK, navLabel, type NavSection } from "./navigation";
import { t } from "./t";

/** Phone and tablet: one disclosure menu per group (Ark's navigation menu: buttons with
 * aria-expanded, arrow keys between them, Esc closes, links keep their role). */
export default function GroupMenus(props: { sections: NavSection[] }) {
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
                class="group flex min-h-11 items-center gap-1 rounded-md px-2 font-semibold text-teal-900 hover:bg-teal-50 focus-visible:outline-3 focus-visible:outline-teal-600 data-[state=open]:bg-teal-50"
                classList={{ "underline underline-offset-4": holdsCurrentPage(section) }}
              >
                {t(`nav.groups.${section.group}`)}
                <span aria-hidden="true" class="text-xs group-data-[state=open]:rotate-180">
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
                          class={`${NAV_LINK} data-current:underline data-current:underline-offset-4`}
                        >
                          {navLabel(item)}
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
