import { locale } from "../lib/i18n";

const tag = () => (locale() === "es" ? "es-US" : "en-US");

export function count(value: number): string {
  return new Intl.NumberFormat(tag()).format(value);
}

export function when(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(tag(), { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(iso));
}

/** "2 min 5 s", "45 s", "1 h 3 min". */
export function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${s} s`;
  return `${s} s`;
}

export function rate(value: number): string {
  return new Intl.NumberFormat(tag(), { maximumFractionDigits: 1 }).format(value);
}
