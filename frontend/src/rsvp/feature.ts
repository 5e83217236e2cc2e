import { lazy } from "solid-js";
import type { Feature } from "../features";

export const feature: Feature = {
  routes: [
    { path: "/e/:slug/rsvp", component: lazy(() => import("./RsvpPage")) },
    { path: "/pass/:token", component: lazy(() => import("./PassPage")) },
  ],
};
