import { createTranslator } from "../lib/i18n";
import { unsubscribeMessages } from "./messages";

export const t = createTranslator(unsubscribeMessages);
