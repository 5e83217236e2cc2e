import { lazy } from "solid-js";
import type { Feature } from "../features";
import { t } from "./t";

export const feature: Feature = {
  routes: [
    { path: "/admin/staff", component: lazy(() => import("./StaffPage")) },
    { path: "/set-password", component: lazy(() => import("./SetPassword")) },
  ],
  navigation: [{ href: "/admin/staff", label: () => t("nav.staff"), minLevel: "admin" }],
};
