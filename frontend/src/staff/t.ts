import { createTranslator } from "../lib/i18n";
import { staffMessages } from "./messages";

export const t = createTranslator(staffMessages);
