import { createTranslator } from "../lib/i18n";
import { automationMessages } from "./messages";

export const t = createTranslator(automationMessages);
