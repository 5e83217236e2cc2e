import type { Database } from "../lib/database.types";
import { throwIfError } from "../lib/errors";
import { supabase } from "../lib/supabase";

type Tables = Database["public"]["Tables"];
export type Sender = Tables["senders"]["Row"];
export type SenderChanges = Pick<
  Tables["senders"]["Update"],
  "mps_segments" | "daily_cap" | "quiet_start" | "quiet_end" | "enabled" | "use_for_transactional"
>;
export type MessagingSettings = Tables["messaging_settings"]["Row"];
export type SettingsChanges = Pick<
  Tables["messaging_settings"]["Update"],
  | "org_time_zone"
  | "quiet_start"
  | "quiet_end"
  | "sms_requires_opt_in"
  | "email_requires_opt_in"
  | "sms_segment_cost"
  | "auto_pause_failure_rate"
  | "auto_pause_opt_out_rate"
>;

export const messagingKeys = {
  senders: () => ["senders", "all"] as const,
  settings: () => ["messaging_settings", "the"] as const,
};

/** Senders as RLS shows them (organizers read; admins change). */
export async function fetchSenders(): Promise<Sender[]> {
  const { data, error } = await supabase().from("senders").select("*").order("channel").order("name");
  throwIfError(error);
  return data ?? [];
}

/** The database validates (check constraints) and audits (trigger) every change. */
export async function updateSender(id: string, changes: SenderChanges): Promise<void> {
  const { error } = await supabase().from("senders").update(changes).eq("id", id);
  throwIfError(error);
}

export async function fetchSettings(): Promise<MessagingSettings> {
  const { data, error } = await supabase().from("messaging_settings").select("*").single();
  throwIfError(error);
  if (!data) throw new Error("messaging_settings has no row");
  return data;
}

export async function updateSettings(changes: SettingsChanges): Promise<void> {
  const { error } = await supabase().from("messaging_settings").update(changes).eq("id", true);
  throwIfError(error);
}

/** "" → null for optional inputs; numbers stay text until the database checks them. */
export function blankToNull(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === "" ? null : trimmed;
}

/** A percentage typed by a person ("20") as the fraction the settings store (0.2). */
export function percentToFraction(value: string): number {
  return Number(value.trim()) / 100;
}
