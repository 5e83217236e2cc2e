import { createTranslator } from "../lib/i18n";
import { kioskMessages } from "./messages";

export const t = createTranslator(kioskMessages);
