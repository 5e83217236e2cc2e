import { lazy } from "solid-js";
import type { Feature } from "../features";
import { td } from "./duplicatePairsMessages";
import { ti } from "./importMessages";
import { ts } from "./segmentMessages";
import { t } from "./t";

export const feature: Feature = {
  routes: [
    { path: "/crm/contacts", component: lazy(() => import("./ContactsList")) },
    { path: "/crm/contacts/:id", component: lazy(() => import("./ContactPage")) },
    { path: "/crm/segments", component: lazy(() => import("./SegmentBuilder")) },
    { path: "/crm/import", component: lazy(() => import("./ImportPage")) },
    { path: "/crm/duplicates", component: lazy(() => import("./DuplicatesList")) },
  ],
  navigation: [
    { href: "/crm/contacts", label: () => t("nav.contacts"), minLevel: "organizer", group: "people" },
    { href: "/crm/segments", label: () => ts("nav"), minLevel: "organizer", group: "people" },
    { href: "/crm/import", label: () => ti("nav"), minLevel: "organizer", group: "people" },
    { href: "/crm/duplicates", label: () => td("nav"), minLevel: "organizer", group: "people" },
  ],
};
