import { createTranslator } from "../lib/i18n";
import { crmMessages } from "./messages";

export const t = createTranslator(crmMessages);
