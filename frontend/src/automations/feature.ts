import { lazy } from "solid-js";
import type { Feature } from "../features";

export const feature: Feature = {
  routes: [
    { path: "/automations", component: lazy(() => import("./AutomationsList")) },
    { path: "/automations/runs", component: lazy(() => import("./RunLog")) },
    { path: "/automations/new", component: lazy(() => import("./AutomationEditor")) },
    { path: "/automations/:id", component: lazy(() => import("./AutomationEditor")) },
    { path: "/compliance", component: lazy(() => import("./CompliancePage")) },
  ],
  navigation: [
    { href: "/automations", label: { en: "Automations", es: "Automatizaciones" }, minLevel: "organizer", group: "messaging" },
    { href: "/compliance", label: { en: "Compliance", es: "Cumplimiento" }, minLevel: "organizer", group: "messaging" },
  ],
};
