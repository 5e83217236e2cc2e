import { createTranslator } from "../lib/i18n";
import { eventMessages } from "./messages";

export const t = createTranslator(eventMessages);
