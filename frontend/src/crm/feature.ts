import { lazy } from "solid-js";
import type { Feature } from "../features";

export const feature: Feature = {
  routes: [
    { path: "/crm/contacts", component: lazy(() => import("./ContactsList")) },
    { path: "/crm/contacts/:id", component: lazy(() => import("./ContactPage")) },
    { path: "/crm/segments", component: lazy(() => import("./SegmentBuilder")) },
    { path: "/crm/import", component: lazy(() => import("./ImportPage")) },
    { path: "/crm/duplicates", component: lazy(() => import("./DuplicatesList")) },
  ],
  navigation: [
    { href: "/crm/contacts", label: { en: "Contacts", es: "Contactos" }, minLevel: "organizer", group: "people" },
    { href: "/crm/segments", label: { en: "Segments", es: "Segmentos" }, minLevel: "organizer", group: "people" },
    { href: "/crm/import", label: { en: "Import", es: "Importar" }, minLevel: "organizer", group: "people" },
    { href: "/crm/duplicates", label: { en: "Duplicates", es: "Duplicados" }, minLevel: "organizer", group: "people" },
  ],
};
