import { lazy } from "solid-js";
import type { Feature } from "../features";

export const feature: Feature = {
  routes: [{ path: "/two-factor", component: lazy(() => import("./TwoFactorPage")) }],
};
