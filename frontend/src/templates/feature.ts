import { lazy } from "solid-js";
import type { Feature } from "../features";

export const feature: Feature = {
  routes: [
    { path: "/messaging/templates", component: lazy(() => import("./TemplatesList")) },
    { path: "/messaging/templates/new", component: lazy(() => import("./TemplateEditor")) },
    { path: "/messaging/templates/:id", component: lazy(() => import("./TemplateEditor")) },
  ],
  navigation: [{ href: "/messaging/templates", label: { en: "Templates", es: "Plantillas" }, minLevel: "organizer", group: "messaging" }],
};
