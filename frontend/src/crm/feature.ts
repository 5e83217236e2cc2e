import { lazy } from "solid-js";
import type { Feature } from "../features";
import { t } from "./t";

export const feature: Feature = {
  routes: [
    { path: "/crm/contacts", component: lazy(() => import("./ContactsList")) },
    { path: "/crm/contacts/:id", component: lazy(() => import("./ContactPage")) },
  ],
  navigation: [{ href: "/crm/contacts", label: () => t("nav.contacts"), minLevel: "organizer" }],
};
