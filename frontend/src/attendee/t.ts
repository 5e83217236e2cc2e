import { createTranslator } from "../lib/i18n";
import { attendeeMessages } from "./messages";

export const t = createTranslator(attendeeMessages);
