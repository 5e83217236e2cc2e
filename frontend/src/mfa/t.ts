import { createTranslator } from "../lib/i18n";
import { mfaMessages } from "./messages";

export const t = createTranslator(mfaMessages);
