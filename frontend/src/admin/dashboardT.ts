import { createTranslator } from "../lib/i18n";
import { dashboardMessages } from "./dashboardMessages";

export const tDashboard = createTranslator(dashboardMessages);
