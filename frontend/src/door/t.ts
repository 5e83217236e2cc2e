import { createTranslator } from "../lib/i18n";
import { doorMessages } from "./messages";

export const t = createTranslator(doorMessages);
