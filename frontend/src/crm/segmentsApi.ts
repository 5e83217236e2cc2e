/** Saved segments and their live preview. The database decides who matches (preview_segment
 * runs the same compiler blasts use) and who may read or change segments (RLS). */
import { AppError, throwIfError } from "../lib/errors";
import { supabase } from "../lib/supabase";
import type { Segment } from "./api";
import type { BuiltDefinition } from "./segmentRules";

export interface SegmentPreview {
  count: number;
  sample: { id: string; first_name: string | null; last_name: string | null; company: string | null }[];
}

export const SAMPLE_SIZE = 10;

function isPreview(value: unknown): value is SegmentPreview {
  return typeof value === "object" && value !== null && typeof (value as { count?: unknown }).count === "number"
    && Array.isArray((value as { sample?: unknown }).sample);
}

export async function previewSegment(definition: BuiltDefinition, sampleSize = SAMPLE_SIZE): Promise<SegmentPreview> {
  const { data, error } = await supabase().rpc("preview_segment", { p_definition: definition, p_sample_size: sampleSize });
  throwIfError(error);
  if (!isPreview(data)) throw new AppError("unexpected", data);
  return data;
}

/** A blast a messaging rule can name: one that has sent something (its counters are folded
 * about once a second while it sends), newest first. */
export interface SentBlast {
  id: string;
  name: string;
  channel: "sms" | "email" | "both";
  started_at: string | null;
}

/** The query key of fetchSentBlasts (under "blasts", so blast changes refresh it). */
export const SENT_BLASTS_KEY = ["blasts", "sent-for-segments"] as const;

/** How many sent blasts the pickers offer: the recent ones are the ones people ask about. */
export const SENT_BLASTS_LIMIT = 100;

export async function fetchSentBlasts(): Promise<SentBlast[]> {
  const { data, error } = await supabase()
    .from("blasts")
    .select("id, name, channel, started_at")
    .gt("sent_count", 0)
    .order("started_at", { ascending: false, nullsFirst: false })
    .limit(SENT_BLASTS_LIMIT);
  throwIfError(error);
  return data ?? [];
}

/** The blasts a rule can pick: opens and clicks exist only for email (a "both" blast has email). */
export function blastsForRule(blasts: readonly SentBlast[], emailOnly: boolean): SentBlast[] {
  return emailOnly ? blasts.filter((blast) => blast.channel !== "sms") : [...blasts];
}

/** A duplicate name (unique) reads as a conflict; a segment a blast still uses cannot go (restrict). */
function throwSegmentError(error: unknown): void {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  if (code === "23505") throw new AppError("segment_name_taken", error);
  if (code === "23503") throw new AppError("segment_in_use", error);
  throwIfError(error);
}

/** Insert (no id) or update a segment; returns its id. */
export async function writeSegment(id: string | null, name: string, definition: BuiltDefinition): Promise<string> {
  const result =
    id === null
      ? await supabase().from("segments").insert({ name, definition }).select("id").single()
      : await supabase().from("segments").update({ name, definition }).eq("id", id).select("id").maybeSingle();
  throwSegmentError(result.error);
  // RLS filters an update it refuses: no row back means it was not allowed (or is gone).
  if (!result.data) throw new AppError("not_allowed");
  return result.data.id;
}

export async function deleteSegment(id: string): Promise<void> {
  const { data, error } = await supabase().from("segments").delete().eq("id", id).select("id");
  throwSegmentError(error);
  if (!data || data.length === 0) throw new AppError("not_allowed");
}

export type { Segment };
