import type { Database } from "../lib/database.types";
import { throwIfError } from "../lib/errors";
import { supabase } from "../lib/supabase";

export type AuditEntry = Database["public"]["Tables"]["audit_log"]["Row"];
export type WebhookEvent = Pick<
  Database["public"]["Tables"]["webhook_events"]["Row"],
  "id" | "provider" | "event_type" | "status" | "attempts" | "last_error" | "received_at"
>;
export type WebhookCount = Database["public"]["Functions"]["webhook_event_counts"]["Returns"][number];

export interface AuditFilter {
  actorId: string;
  action: string;
  table: string;
  /** yyyy-mm-dd, inclusive, in the viewer's time zone; "" = open. */
  from: string;
  to: string;
}

/** Where a page starts: the last entry of the page before it. Entries of one transaction share
 * occurred_at, so the id breaks the tie (the database orders and indexes by both). */
export interface AuditCursor {
  occurredAt: string;
  id: number;
}

export const EMPTY_FILTER: AuditFilter = { actorId: "", action: "", table: "", from: "", to: "" };
export const AUDIT_PAGE_SIZE = 50;
/** The most rows one export carries; narrow the filter for more. */
export const AUDIT_EXPORT_LIMIT = 5000;

export const auditKeys = {
  entries: (filter: AuditFilter, before: AuditCursor | null) => ["audit_log", filter, before] as const,
  webhookCounts: () => ["rpc", "webhook_event_counts"] as const,
  webhookProblems: () => ["webhook_events", "problems"] as const,
};

/** The newest entries matching the filter, after `before` in (occurred_at, id) descending order. */
export async function fetchAudit(filter: AuditFilter, before: AuditCursor | null, limit: number): Promise<AuditEntry[]> {
  let query = supabase().from("audit_log").select("*");
  if (filter.actorId) query = query.eq("actor_id", filter.actorId);
  if (filter.action.trim()) query = query.eq("action", filter.action.trim());
  if (filter.table.trim()) query = query.eq("table_name", filter.table.trim());
  if (filter.from) query = query.gte("occurred_at", new Date(`${filter.from}T00:00:00`).toISOString());
  if (filter.to) query = query.lt("occurred_at", new Date(new Date(`${filter.to}T00:00:00`).getTime() + 86_400_000).toISOString());
  if (before) query = query.or(keysetBefore(before));
  const { data, error } = await query.order("occurred_at", { ascending: false }).order("id", { ascending: false }).limit(limit);
  throwIfError(error);
  return data ?? [];
}

/** PostgREST's form of (occurred_at, id) < (cursor): earlier, or as early with a smaller id. */
export function keysetBefore(cursor: AuditCursor): string {
  const at = `"${cursor.occurredAt}"`;
  return `occurred_at.lt.${at},and(occurred_at.eq.${at},id.lt.${String(cursor.id)})`;
}

/** The keys whose values differ between before and after (what a change changed). */
export function changedFields(entry: Pick<AuditEntry, "before" | "after">): string[] {
  const before = (entry.before ?? {}) as Record<string, unknown>;
  const after = (entry.after ?? {}) as Record<string, unknown>;
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((key) => key !== "updated_at" && JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .sort();
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Entries as CSV (RFC 4180), with the actor's email where known. */
export function auditCsv(entries: AuditEntry[], emailOf: (actorId: string | null) => string): string {
  const header = ["occurred_at", "actor", "actor_role", "action", "table_name", "record_id", "before", "after", "detail"];
  const rows = entries.map((entry) =>
    [
      entry.occurred_at,
      emailOf(entry.actor_id),
      entry.actor_role,
      entry.action,
      entry.table_name,
      entry.record_id,
      entry.before,
      entry.after,
      entry.detail,
    ]
      .map(csvCell)
      .join(","),
  );
  return [header.join(","), ...rows].join("\r\n") + "\r\n";
}

export async function fetchWebhookCounts(): Promise<WebhookCount[]> {
  const { data, error } = await supabase().rpc("webhook_event_counts");
  throwIfError(error);
  return data ?? [];
}

export async function fetchWebhookProblems(): Promise<WebhookEvent[]> {
  const { data, error } = await supabase()
    .from("webhook_events")
    .select("id, provider, event_type, status, attempts, last_error, received_at")
    .in("status", ["failed", "deferred"])
    .order("received_at", { ascending: false })
    .limit(50);
  throwIfError(error);
  return data ?? [];
}

export async function replayWebhook(id: string): Promise<void> {
  const { error } = await supabase().rpc("admin_replay_webhook_event", { p_event_id: id });
  throwIfError(error);
}
