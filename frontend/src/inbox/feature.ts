import { lazy } from "solid-js";
import type { Feature } from "../features";

const Inbox = lazy(() => import("./Inbox"));

export const feature: Feature = {
  routes: [
    { path: "/inbox", component: Inbox },
    { path: "/inbox/:id", component: Inbox },
  ],
  navigation: [{ href: "/inbox", label: { en: "Inbox", es: "Bandeja" }, minLevel: "organizer", group: "messaging", order: 1 }],
};
