import type { NavItem } from "../features";
import { locale } from "../lib/i18n";
import { reaches, type StaffLevel } from "../lib/staff";

// Shared look of a navigation link in the sidebar and in a group's menu.
export const NAV_LINK =
  "block rounded-md px-3 py-2 font-semibold text-teal-900 hover:bg-teal-50 focus-visible:outline-3 focus-visible:outline-teal-600";

/** The staff navigation's groups, in the order the shell shows them. The dashboard has a group of
 * its own: organizers read it, and under "Admin" it sat among screens they may not use. */
export const NAV_GROUPS = ["overview", "door", "people", "messaging", "admin"] as const;

export type NavGroup = (typeof NAV_GROUPS)[number];

/** One group of the navigation with the links the viewer's level reaches: by `order`, then in
 * feature order. */
export interface NavSection {
  group: NavGroup;
  items: NavItem[];
}

/** The groups the viewer may use, each with only the links their level reaches; a group with
 * none of them is left out (the database still decides; this only hides). */
export function navigationSections(items: readonly NavItem[], level: StaffLevel | null | undefined): NavSection[] {
  const unordered = Number.MAX_SAFE_INTEGER;
  // Array sort is stable: entries with the same order keep feature order.
  const allowed = items
    .filter((item) => reaches(level, item.minLevel))
    .sort((a, b) => (a.order ?? unordered) - (b.order ?? unordered));
  return NAV_GROUPS.map((group) => ({ group, items: allowed.filter((item) => item.group === group) })).filter(
    (section) => section.items.length > 0,
  );
}

/** A navigation link's words in the reader's language. */
export function navLabel(item: NavItem): string {
  return item.label[locale()];
}

/** Whether `pathname` is the page `href` names or one beneath it (/crm/contacts/42 is under
 * Contacts), segment by segment as the router marks links active. */
export function isCurrentPage(pathname: string, href: string): boolean {
  const trimmed = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  return trimmed === href || trimmed.startsWith(`${href}/`);
}
