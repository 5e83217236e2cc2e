import { lazy } from "solid-js";
import type { Feature } from "../features";

export const feature: Feature = {
  routes: [
    { path: "/sign-in", component: lazy(() => import("./SignIn")) },
    { path: "/staff", component: lazy(() => import("./StaffHome")) },
  ],
  navigation: [{ href: "/staff", label: { en: "Console", es: "Consola" }, minLevel: "volunteer", group: "door" }],
};
