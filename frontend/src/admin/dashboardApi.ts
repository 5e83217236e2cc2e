import type { Database } from "../lib/database.types";
import { throwIfError } from "../lib/errors";
import { supabase } from "../lib/supabase";

type Views = Database["public"]["Views"];
export type ContactTotals = Views["dashboard_contact_totals"]["Row"];
export type ContactsPerMonth = Views["dashboard_contacts_per_month"]["Row"];
export type CheckInsPerEvent = Views["dashboard_checkins_per_event"]["Row"];
export type MessageDailyStats = Views["message_daily_stats"]["Row"];
export type DailyRates = Views["messaging_daily_rates"]["Row"];
export type VariantResults = Views["blast_variant_results"]["Row"];
export type ConsentGrowth = Views["dashboard_consent_growth"]["Row"];
export type MessageStatus = Database["public"]["Enums"]["message_status"];

/** The dashboard reads the dashboard views under the caller's RLS (organizers and up). */
export const DASHBOARD_DAYS = 30;
export const CHART_EVENTS = 12;
export const OUTBOUND_STATUSES: readonly MessageStatus[] = ["queued", "sending", "sent", "delivered", "undelivered", "failed", "cancelled"];

export const dashboardKeys = {
  contacts: () => ["contacts", "dashboard"] as const,
  checkIns: () => ["check_ins", "dashboard"] as const,
  messages: () => ["messages", "dashboard"] as const,
};

export interface ContactsDashboard {
  totals: ContactTotals;
  perMonth: ContactsPerMonth[];
}

export async function fetchContactsDashboard(): Promise<ContactsDashboard> {
  const [totals, perMonth] = await Promise.all([
    supabase().from("dashboard_contact_totals").select("*").single(),
    supabase().from("dashboard_contacts_per_month").select("*").order("month", { ascending: false }).limit(12),
  ]);
  throwIfError(totals.error);
  throwIfError(perMonth.error);
  if (!totals.data) throw new Error("dashboard_contact_totals returned no row");
  return { totals: totals.data, perMonth: (perMonth.data ?? []).reverse() };
}

/** The most recent events that have started, oldest first (the chart reads left to right). */
export async function fetchCheckInsPerEvent(): Promise<CheckInsPerEvent[]> {
  const { data, error } = await supabase()
    .from("dashboard_checkins_per_event")
    .select("*")
    .lte("starts_at", new Date().toISOString())
    .order("starts_at", { ascending: false })
    .order("event_id", { ascending: false })
    .limit(CHART_EVENTS);
  throwIfError(error);
  return (data ?? []).reverse();
}

export interface MessagesDashboard {
  daily: MessageDailyStats[];
  rates: DailyRates[];
  variants: VariantResults[];
  consent: ConsentGrowth[];
}

function sinceDay(days: number, today: Date): string {
  const since = new Date(today);
  since.setDate(since.getDate() - days);
  return since.toISOString().slice(0, 10);
}

export async function fetchMessagesDashboard(): Promise<MessagesDashboard> {
  const since = sinceDay(DASHBOARD_DAYS, new Date());
  const [daily, rates, variants, consent] = await Promise.all([
    supabase().from("message_daily_stats").select("*").gte("day", since).eq("direction", "outbound").order("day"),
    supabase().from("messaging_daily_rates").select("*").gte("day", since).order("day"),
    supabase().from("blast_variant_results").select("*").order("name").order("variant"),
    supabase().from("dashboard_consent_growth").select("*").order("month"),
  ]);
  throwIfError(daily.error);
  throwIfError(rates.error);
  throwIfError(variants.error);
  throwIfError(consent.error);
  return { daily: daily.data ?? [], rates: rates.data ?? [], variants: variants.data ?? [], consent: consent.data ?? [] };
}

export interface DayByStatus {
  day: string;
  counts: Record<MessageStatus, number>;
}

function emptyCounts(): Record<MessageStatus, number> {
  return { queued: 0, sending: 0, sent: 0, delivered: 0, undelivered: 0, failed: 0, cancelled: 0, received: 0 };
}

/** Outbound messages per day by status, channels and kinds added up; days in order. */
export function messagesPerDay(rows: MessageDailyStats[]): DayByStatus[] {
  const byDay = new Map<string, Record<MessageStatus, number>>();
  for (const row of rows) {
    if (row.day === null || row.status === null) continue;
    const counts = byDay.get(row.day) ?? emptyCounts();
    counts[row.status] += row.messages ?? 0;
    byDay.set(row.day, counts);
  }
  return [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, counts]) => ({ day, counts }));
}

export interface Rates {
  /** Delivered among messages that reached a final answer (delivered, undelivered, failed). */
  delivery: number | null;
  reply: number | null;
  optOut: number | null;
}

function share(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/** The period's rates: delivery over outbound finals; reply and opt-out over contacts texted. */
export function periodRates(days: DayByStatus[], rates: DailyRates[]): Rates {
  let delivered = 0;
  let finals = 0;
  for (const { counts } of days) {
    delivered += counts.delivered;
    finals += counts.delivered + counts.undelivered + counts.failed;
  }
  const texted = rates.reduce((sum, row) => sum + (row.contacts_texted ?? 0), 0);
  const replied = rates.reduce((sum, row) => sum + (row.contacts_replied ?? 0), 0);
  const optedOut = rates.reduce((sum, row) => sum + (row.contacts_opted_out ?? 0), 0);
  return { delivery: share(delivered, finals), reply: share(replied, texted), optOut: share(optedOut, texted) };
}

export interface ConsentMonth {
  month: string;
  sms: number;
  email: number;
}

/** Opted-in contacts at each month's end per channel, carrying a channel's total through months
 * in which only the other one changed; the last `months` months. */
export function consentByMonth(rows: ConsentGrowth[], months: number): ConsentMonth[] {
  const byMonth = new Map<string, ConsentMonth>();
  for (const row of rows) {
    if (row.month === null || row.channel === null) continue;
    const entry = byMonth.get(row.month) ?? { month: row.month, sms: Number.NaN, email: Number.NaN };
    entry[row.channel] = row.opted_in_total ?? 0;
    byMonth.set(row.month, entry);
  }
  const ordered = [...byMonth.values()].sort((a, b) => a.month.localeCompare(b.month));
  let sms = 0;
  let email = 0;
  for (const entry of ordered) {
    sms = Number.isNaN(entry.sms) ? sms : entry.sms;
    email = Number.isNaN(entry.email) ? email : entry.email;
    entry.sms = sms;
    entry.email = email;
  }
  return ordered.slice(-months);
}
