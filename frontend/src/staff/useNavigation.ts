import { features } from "../features";
import { useStaffLevel } from "../lib/staff";
import { createMediaQuery } from "./media";
import { navigationSections } from "./navigation";

const navItems = features.flatMap((feature) => feature.navigation ?? []);

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
