import { For } from "solid-js";
import { LOCALES, locale, setLocale, tCommon } from "../lib/i18n";

/** English / Español, always visible; the choice is remembered on this device. */
export function LanguageSwitch() {
  return (
    <div role="group" aria-label={tCommon("language.label")} class="flex gap-1">
      <For each={LOCALES}>
        {(code) => (
          <button
            type="button"
            lang={code}
            aria-pressed={locale() === code}
            onClick={() => {
              setLocale(code);
            }}
            class="min-h-11 rounded-md px-3 text-sm font-semibold aria-pressed:bg-teal-800 aria-pressed:text-white"
          >
            {tCommon(`language.${code}`)}
          </button>
        )}
      </For>
    </div>
  );
}
