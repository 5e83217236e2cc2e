import { commonMessages } from "./common-messages";
import { errorMessages } from "./error-messages";
import { createTranslator } from "./translate";

export { LOCALES, isLocale, locale, setLocale, type Locale } from "./locale";
export { pluralForm, type PluralForm } from "./plural";
export { createTranslator, type Messages } from "./translate";

/** Strings every screen shares (shell, language switch, generic states). */
export const tCommon = createTranslator(commonMessages);
/** The friendly sentence for an error code; literal, since some show template syntax. */
export const tError = createTranslator(errorMessages, { literal: true });
