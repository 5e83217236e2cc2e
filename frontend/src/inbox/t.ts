import { createTranslator } from "../lib/i18n";
import { inboxMessages } from "./messages";

export const t = createTranslator(inboxMessages);
