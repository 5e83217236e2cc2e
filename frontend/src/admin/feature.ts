import { lazy } from "solid-js";
import type { Feature } from "../features";
import { tDashboard } from "./dashboardT";
import { tHealth } from "./healthT";
import { tStations } from "./stationsT";
import { t } from "./t";

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
    { href: "/admin/staff", label: () => t("nav.staff"), minLevel: "admin", group: "admin" },
    { href: "/admin/senders", label: () => t("nav.senders"), minLevel: "admin", group: "admin" },
    { href: "/admin/settings", label: () => t("nav.settings"), minLevel: "admin", group: "admin" },
    { href: "/admin/audit", label: () => t("nav.audit"), minLevel: "admin", group: "admin" },
    { href: "/admin/webhooks", label: () => t("nav.webhooks"), minLevel: "admin", group: "admin" },
    { href: "/admin/health", label: () => tHealth("nav"), minLevel: "admin", group: "admin" },
    { href: "/admin/stations", label: () => tStations("nav"), minLevel: "admin", group: "admin" },
    { href: "/admin/dashboard", label: () => tDashboard("nav"), minLevel: "organizer", group: "admin" },
  ],
};
