import {
  flatten,
  identityResolveTemplate,
  resolveTemplate,
  translator,
  type BaseRecordDict,
} from "@solid-primitives/i18n";
import { locale, type Locale } from "./locale";

/** Every feature keeps its own messages in both languages; the type makes a missing Spanish
 * string a compile error. */
export type Messages<D extends BaseRecordDict> = Record<Locale, D>;

/** A translator over a feature's messages that follows the current locale. `{{ name }}` in a
 * message is filled from the call's arguments unless `literal` is set (for messages that show
 * template syntax themselves). */
export function createTranslator<D extends BaseRecordDict>(messages: Messages<D>, options?: { literal: boolean }) {
  const flat = { en: flatten(messages.en), es: flatten(messages.es) };
  return translator(() => flat[locale()], options?.literal ? identityResolveTemplate : resolveTemplate);
}
