import { lazy } from "solid-js";
import type { Feature } from "../features";

export const feature: Feature = {
  routes: [
    { path: "/admin/staff", component: lazy(() => import("./StaffPage")) },
    { path: "/admin/senders", component: lazy(() => import("./SendersPage")) },
    { path: "/admin/settings", component: lazy(() => import("./SettingsPage")) },
    { path: "/admin/audit", component: lazy(() => import("./AuditPage")) },
    { path: "/admin/webhooks", component: lazy(() => import("./WebhooksPage")) },
    { path: "/admin/health", component: lazy(() => import("./HealthPage")) },
    { path: "/admin/stations", component: lazy(() => import("./StationsPage")) },
    { path: "/admin/dashboard", component: lazy(() => import("./DashboardPage")) },
    { path: "/set-password", component: lazy(() => import("./SetPassword")) },
  ],
  navigation: [
    { href: "/admin/staff", label: { en: "Staff", es: "Equipo" }, minLevel: "admin", group: "admin" },
    { href: "/admin/senders", label: { en: "Senders", es: "Remitentes" }, minLevel: "admin", group: "admin" },
    { href: "/admin/settings", label: { en: "Settings", es: "Ajustes" }, minLevel: "admin", group: "admin" },
    { href: "/admin/audit", label: { en: "Audit log", es: "Auditoría" }, minLevel: "admin", group: "admin" },
    { href: "/admin/webhooks", label: { en: "Webhooks", es: "Webhooks" }, minLevel: "admin", group: "admin" },
    { href: "/admin/health", label: { en: "Health", es: "Estado" }, minLevel: "admin", group: "admin" },
    { href: "/admin/stations", label: { en: "Print stations", es: "Impresoras" }, minLevel: "admin", group: "admin" },
    { href: "/admin/dashboard", label: { en: "Dashboard", es: "Panel" }, minLevel: "organizer", group: "overview" },
  ],
};
