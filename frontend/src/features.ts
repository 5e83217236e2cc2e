import type { RouteDefinition } from "@solidjs/router";
import type { Locale } from "./lib/i18n";
import type { StaffLevel } from "./lib/staff";
import type { NavGroup } from "./staff/navigation";

/** A navigation entry in the staff shell, shown from `minLevel` up under its `group`'s menu. */
export interface NavItem {
  href: string;
  /** The link's words in each language, written here rather than taken from the feature's
   * messages: every feature.ts loads with the app, so a dictionary imported for a label would
   * land in every route's first paint (self check-in's budget) — it cost ~18 KB gz. */
  label: Record<Locale, string>;
  minLevel: StaffLevel;
  group: NavGroup;
  /** Where the entry sits in its group's menu, lowest first; entries without one follow in
   * feature-folder order (which is alphabetical, not what people use most). */
  order?: number;
}

/** What a feature folder contributes: its (lazy) routes and its staff navigation. */
export interface Feature {
  routes: RouteDefinition[];
  navigation?: NavItem[];
}

// Every src/<feature>/feature.ts is picked up here: a new feature folder needs no edit in the
// shell, and a new screen is one lazy route line in its folder's feature.ts.
const modules = import.meta.glob<Feature>("./*/feature.ts", { eager: true, import: "feature" });

export const features: Feature[] = Object.keys(modules)
  .sort()
  .map((path) => modules[path] as Feature);
