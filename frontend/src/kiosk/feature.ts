import { lazy } from "solid-js";
import type { Feature } from "../features";

export const feature: Feature = {
  routes: [{ path: "/kiosk/:slug", component: lazy(() => import("./Kiosk")) }],
};
