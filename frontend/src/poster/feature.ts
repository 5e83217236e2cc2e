import { lazy } from "solid-js";
import type { Feature } from "../features";

export const feature: Feature = {
  routes: [{ path: "/poster/:slug", component: lazy(() => import("./Poster")) }],
};
