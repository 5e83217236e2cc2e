import { createTranslator } from "../lib/i18n";
import { adminMessages } from "./messages";

export const t = createTranslator(adminMessages);
