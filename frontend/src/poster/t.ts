import { createTranslator } from "../lib/i18n";
import { posterMessages } from "./messages";

export const t = createTranslator(posterMessages);
