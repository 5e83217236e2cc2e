import { lazy } from "solid-js";
import type { Feature } from "../features";

export const feature: Feature = {
  routes: [
    { path: "/door/:slug", component: lazy(() => import("./Door")) },
    { path: "/door/:slug/print-queue", component: lazy(() => import("./PrintQueue")) },
  ],
};
