import { lazy } from "solid-js";
import type { Feature } from "../features";

export const feature: Feature = {
  routes: [
    { path: "/messaging/blasts", component: lazy(() => import("./BlastsList")) },
    { path: "/messaging/blasts/new", component: lazy(() => import("./BlastComposer")) },
    { path: "/messaging/blasts/:id", component: lazy(() => import("./BlastPage")) },
  ],
  navigation: [{ href: "/messaging/blasts", label: { en: "Blasts", es: "Envíos" }, minLevel: "organizer", group: "messaging" }],
};
