import { createEffect, createRoot, createSignal } from "solid-js";

export const LOCALES = ["en", "es"] as const;
export type Locale = (typeof LOCALES)[number];

const STORAGE_KEY = "hm-locale";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** The saved choice, else the browser's language when we speak it, else English. */
export function initialLocale(saved: string | null, browserLanguages: readonly string[]): Locale {
  if (isLocale(saved)) return saved;
  for (const language of browserLanguages) {
    const base = language.slice(0, 2).toLowerCase();
    if (isLocale(base)) return base;
  }
  return "en";
}

const state = createRoot(() => {
  const [locale, setLocaleSignal] = createSignal<Locale>(
    initialLocale(localStorage.getItem(STORAGE_KEY), navigator.languages),
  );
  // Screen readers and the browser's own translation offer read <html lang>.
  createEffect(() => {
    document.documentElement.lang = locale();
  });
  return { locale, setLocaleSignal };
});

export const locale = state.locale;

export function setLocale(next: Locale): void {
  localStorage.setItem(STORAGE_KEY, next);
  state.setLocaleSignal(next);
}
