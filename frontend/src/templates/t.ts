import { createTranslator } from "../lib/i18n";
import { templateMessages } from "./messages";

export const t = createTranslator(templateMessages);
