import { createTranslator } from "../lib/i18n";
import { healthMessages } from "./healthMessages";

export const tHealth = createTranslator(healthMessages);
