import { createTranslator } from "../lib/i18n";
import { rsvpMessages } from "./messages";

export const t = createTranslator(rsvpMessages);
