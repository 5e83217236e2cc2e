import { lazy } from "solid-js";
import type { Feature } from "../features";

export const feature: Feature = {
  routes: [
    { path: "/", component: lazy(() => import("./Home")) },
    { path: "/e/:slug", component: lazy(() => import("./SelfCheckIn")) },
    { path: "/me", component: lazy(() => import("./Me")) },
  ],
};
