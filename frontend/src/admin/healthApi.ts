import type { Database } from "../lib/database.types";
import { throwIfError } from "../lib/errors";
import { supabase } from "../lib/supabase";

export type ProcessKind = "worker" | "webhook_server" | "automations" | "pi_agent";
export type ProcessState = "alive" | "stale" | "stopped";

export interface ProcessHealth {
  process_id: string;
  kind: ProcessKind;
  station: string | null;
  version: string;
  started_at: string;
  beat_at: string;
  last_claim_at: string | null;
  in_flight: number;
  in_doubt: number;
  state: ProcessState;
}

export interface OutboxKind {
  kind: Database["public"]["Enums"]["message_kind"];
  queued: number;
  oldest_queued_at: string;
}

export interface WebhookBacklog {
  received: number;
  deferred: number;
  failed: number;
  oldest_pending_at: string | null;
}

export interface StationHealth {
  id: string;
  name: string;
  enabled: boolean;
  online: boolean;
  last_seen_at: string | null;
  printer_state: string | null;
  printer_state_reason: string | null;
  queued_jobs: number;
}

export interface SenderBucket {
  id: string;
  name: string;
  channel: "sms" | "email";
  enabled: boolean;
  capacity: number;
  tokens: number;
  used_today: number;
  daily_cap: number | null;
}

export type ProblemCode =
  | "process_stale"
  | "no_live_worker"
  | "messages_in_doubt"
  | "webhooks_failed"
  | "station_offline"
  | "sender_cap_reached";

export interface HealthProblem {
  code: ProblemCode;
  subject: string | null;
}

/** One snapshot from `admin_health()` (admins only; the database refuses anyone else). */
export interface AdminHealth {
  checked_at: string;
  processes: ProcessHealth[];
  messages_in_doubt: number;
  outbox: OutboxKind[];
  webhooks: WebhookBacklog;
  stations: StationHealth[];
  senders: SenderBucket[];
  problems: HealthProblem[];
}

/** Health changes with the clock (a silent process turns stale without any row changing), so it
 * is polled rather than invalidated by Realtime. */
export const HEALTH_PAGE_REFRESH_MS = 5_000;
export const HEALTH_BANNER_REFRESH_MS = 30_000;

export const healthKeys = {
  snapshot: () => ["rpc", "admin_health"] as const,
  loginErrors: () => ["station_login_locks", "errors"] as const,
};

/** A station whose Auth login the login-lock worker could not ban (or unban) yet: Auth still
 * holds `locked`, the worker keeps trying to move it the other way (workers/station_logins.py). */
export interface StationLoginError {
  device_id: string;
  locked: boolean;
  attempts: number;
  last_error: string;
}

/** Admins read station_login_locks under RLS; only rows with an error come back. */
export async function fetchStationLoginErrors(): Promise<StationLoginError[]> {
  const { data, error } = await supabase()
    .from("station_login_locks")
    .select("device_id, locked, attempts, last_error")
    .not("last_error", "is", null);
  throwIfError(error);
  return data ?? [];
}

/** Each station's login error, by station id. */
export function loginErrorsByStation(rows: readonly StationLoginError[]): Map<string, StationLoginError> {
  return new Map(rows.map((row) => [row.device_id, row]));
}

function isHealth(value: unknown): value is AdminHealth {
  if (typeof value !== "object" || value === null) return false;
  const lists = ["processes", "outbox", "stations", "senders", "problems"] as const;
  return lists.every((key) => Array.isArray((value as Record<string, unknown>)[key]));
}

export async function fetchHealth(): Promise<AdminHealth> {
  const { data, error } = await supabase().rpc("admin_health");
  throwIfError(error);
  if (!isHealth(data)) throw new Error("admin_health returned an unexpected shape");
  return data;
}

/** Whole seconds from `iso` to `now` (never negative: clocks of browser and database differ). */
export function secondsSince(iso: string, now: Date): number {
  return Math.max(0, Math.round((now.getTime() - new Date(iso).getTime()) / 1000));
}

/** "45 s", "12 min", "3 h", "2 d": how long ago, short enough for a table cell. */
export function shortAge(seconds: number): { value: number; unit: "s" | "min" | "h" | "d" } {
  if (seconds < 60) return { value: seconds, unit: "s" };
  if (seconds < 3600) return { value: Math.floor(seconds / 60), unit: "min" };
  if (seconds < 86_400) return { value: Math.floor(seconds / 3600), unit: "h" };
  return { value: Math.floor(seconds / 86_400), unit: "d" };
}

/** The share of today's cap a sender has used, 0–100 (null: no cap). */
export function capUsedPercent(sender: SenderBucket): number | null {
  if (sender.daily_cap === null) return null;
  return Math.min(100, Math.round((sender.used_today / sender.daily_cap) * 100));
}
