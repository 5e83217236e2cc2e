import { createTranslator } from "../lib/i18n";
import { blastMessages } from "./messages";

export const t = createTranslator(blastMessages);
