import { lazy } from "solid-js";
import type { Feature } from "../features";

export const feature: Feature = {
  routes: [
    { path: "/events", component: lazy(() => import("./EventsList")) },
    { path: "/events/new", component: lazy(() => import("./EventEditor")) },
    { path: "/events/:id/edit", component: lazy(() => import("./EventEditor")) },
    { path: "/events/:id", component: lazy(() => import("./EventAttendees")) },
    { path: "/events/:id/live", component: lazy(() => import("./LiveCheckIns")) },
  ],
  navigation: [{ href: "/events", label: { en: "Events", es: "Eventos" }, minLevel: "organizer", group: "door" }],
};
