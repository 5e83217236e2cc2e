import { createTranslator } from "../lib/i18n";
import { senderSetupMessages } from "./senderSetupMessages";

export const tSenderSetup = createTranslator(senderSetupMessages);
