import { lazy } from "solid-js";
import type { Feature } from "../features";

// Public like the attendee routes: the person arrives from an email link, never signed in.
export const feature: Feature = {
  routes: [{ path: "/unsubscribe", component: lazy(() => import("./PreferencePage")) }],
};
