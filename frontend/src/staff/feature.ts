import { lazy } from "solid-js";
import type { Feature } from "../features";
import { t } from "./t";

export const feature: Feature = {
  routes: [
    { path: "/sign-in", component: lazy(() => import("./SignIn")) },
    { path: "/staff", component: lazy(() => import("./StaffHome")) },
  ],
  navigation: [{ href: "/staff", label: () => t("nav.console"), minLevel: "volunteer", group: "door" }],
};
