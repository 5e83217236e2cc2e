import { lazy } from "solid-js";
import type { Feature } from "../features";
import { t } from "./t";

export const feature: Feature = {
  routes: [
    { path: "/automations", component: lazy(() => import("./AutomationsList")) },
    { path: "/automations/runs", component: lazy(() => import("./RunLog")) },
    { path: "/automations/new", component: lazy(() => import("./AutomationEditor")) },
    { path: "/automations/:id", component: lazy(() => import("./AutomationEditor")) },
    { path: "/compliance", component: lazy(() => import("./CompliancePage")) },
  ],
  navigation: [
    { href: "/automations", label: () => t("nav.automations"), minLevel: "organizer", group: "messaging" },
    { href: "/compliance", label: () => t("compliance.nav"), minLevel: "organizer", group: "messaging" },
  ],
};
