import { createTranslator } from "../lib/i18n";
import { stationsMessages } from "./stationsMessages";

export const tStations = createTranslator(stationsMessages);
