import type { Locale } from "./locale";

/** The plural forms our messages spell out. English and Spanish need only these two: CLDR's
 * Spanish "many" (for a million and up, "un millón de personas") reads right as "other". */
export type PluralForm = "one" | "other";

const rules = new Map<Locale, Intl.PluralRules>();

/** Which form of a counted message to show: `t(\`x.${pluralForm(locale(), n)}\`, { count })`,
 * with the message written as `x: { one: "…", other: "{{ count }} …" }` in each language. */
export function pluralForm(language: Locale, count: number): PluralForm {
  let rule = rules.get(language);
  if (!rule) {
    rule = new Intl.PluralRules(language);
    rules.set(language, rule);
  }
  return rule.select(count) === "one" ? "one" : "other";
}
