/** Every read and write of the blast screens, through the database's functions (create_blast,
 * preview_blast, start/pause/resume/cancel_blast, blast_results…): they decide, these call. */
import type { Database, Json } from "../lib/database.types";
import { AppError, throwIfError } from "../lib/errors";
import { supabase } from "../lib/supabase";
import type { BlastSpec } from "./spec";
import type { AbTest } from "./winner";

type Tables = Database["public"]["Tables"];
type Functions = Database["public"]["Functions"];
export type Blast = Tables["blasts"]["Row"];
export type BlastStatus = Database["public"]["Enums"]["blast_status"];
// opened and clicked are null for SMS rows (texts report neither).
export type VariantResult = Omit<Functions["blast_results"]["Returns"][number], "variant" | "opened" | "clicked"> & {
  variant: string | null;
  opened: number | null;
  clicked: number | null;
};
type RecipientRow = Functions["blast_recipient_results"]["Returns"][number];
// The generator marks every returned column non-null; these can be null.
export type RecipientResult = Omit<
  RecipientRow,
  "contact_name" | "variant" | "skip_reason" | "error_code" | "sent_at" | "delivered_at" | "contact_id" | "opened_at" | "clicked_at"
> & {
  contact_id: string | null;
  contact_name: string | null;
  variant: string | null;
  skip_reason: string | null;
  error_code: string | null;
  sent_at: string | null;
  delivered_at: string | null;
  opened_at: string | null;
  clicked_at: string | null;
};
/** Email activity a recipient list can be narrowed to (blast_recipient_results' p_engagement). */
export type Engagement = "opened" | "clicked" | "not_opened";
export type Outcome = "to_send" | "sent" | "delivered" | "failed" | "skipped" | "opted_out";
export interface Choice {
  id: string;
  name: string;
}
export interface TemplateChoice extends Choice {
  channel: "sms" | "email";
}

/** preview_blast's answer (see 20261125002120_blast_composer.sql). */
export interface BlastPreview {
  audience: number;
  recipients: number;
  by_channel: Partial<
    Record<
      "sms" | "email",
      {
        recipients: number;
        segments_total: number | null;
        segments_per_message_max: number | null;
        /** Segments (and cost) measured on a sample of each variant, not every text. */
        segments_estimated: boolean;
        estimated_cost: number;
      }
    >
  >;
  by_variant: { channel: "sms" | "email"; variant: string | null; recipients: number }[];
  estimated_cost: number;
  samples: { contact_id: string; channel: "sms" | "email"; variant: string | null; subject: string | null; body: string; segments: number | null; encoding: "gsm7" | "ucs2" | null }[];
  excluded: Partial<Record<"sms" | "email", Record<string, number>>>;
  waiting_now: { quiet_hours: number; frequency_cap: number };
  startable: boolean;
  warnings: { code: "no_recipients" | "quiet_hours" | "frequency_cap" | "blast_sender_unavailable"; message: string }[];
}

export const blastKeys = {
  all: () => ["blasts", "all"] as const,
  one: (id: string) => ["blasts", "one", id] as const,
  preview: (id: string) => ["rpc", "preview_blast", id] as const,
  results: (id: string) => ["rpc", "blast_results", id] as const,
  recipients: (id: string, outcome: string, engagement: string, search: string, page: number) =>
    ["rpc", "blast_recipient_results", id, outcome, engagement, search, page] as const,
  choices: () => ["blast-choices"] as const,
  abTest: (id: string) => ["blast_ab_tests", id] as const,
  segmentCount: (segmentId: string) => ["rpc", "count_contacts", "segment", segmentId] as const,
  filterCount: (definition: Json) => ["rpc", "count_contacts", "filter", definition] as const,
};

export const RECIPIENTS_PAGE = 50;

const BLAST_COLUMNS =
  "id, name, channel, status, paused_reason, scheduled_at, started_at, completed_at, cancelled_at, recipients_total, sms_recipients, email_recipients, sent_count, delivered_count, failed_count, skipped_count, opted_out_count, segment_id, sms_template_id, email_template_id, sms_sender_id, email_sender_id, event_id, auto_pause, created_at, created_by, updated_at";

export async function fetchBlasts(): Promise<Blast[]> {
  const { data, error } = await supabase().from("blasts").select(BLAST_COLUMNS).order("created_at", { ascending: false }).limit(200);
  throwIfError(error);
  return data ?? [];
}

/** One blast with its live counters (blast_progress): the row's folded counts plus the deltas
 * the workers have not folded onto it yet, so the progress is the messages' own, not up to a
 * fold behind (bench/blast_progress.py). */
export async function fetchBlast(id: string): Promise<Blast> {
  const { data, error } = await supabase().rpc("blast_progress", { p_blast_id: id }).maybeSingle();
  throwIfError(error);
  if (!data) throw new AppError("blast_not_found");
  return data;
}

/** Segments, active templates and enabled senders the composer offers (as RLS shows them). */
export async function fetchChoices(): Promise<{
  segments: (Choice & { definition: Json })[];
  templates: TemplateChoice[];
  senders: (Choice & { channel: "sms" | "email" })[];
}> {
  const [segments, templates, senders] = await Promise.all([
    supabase().from("segments").select("id, name, definition").eq("one_off", false).order("name"),
    supabase().from("message_templates").select("id, name, channel").is("archived_at", null).order("name"),
    supabase().from("senders").select("id, name, channel").eq("enabled", true).order("name"),
  ]);
  throwIfError(segments.error);
  throwIfError(templates.error);
  throwIfError(senders.error);
  return { segments: segments.data ?? [], templates: templates.data ?? [], senders: senders.data ?? [] };
}

/** How many contacts a saved segment matches now (the CRM's own count). */
export async function countSegment(definition: Json): Promise<number> {
  const { data, error } = await supabase().rpc("count_contacts", { p_definition: definition });
  throwIfError(error);
  return data ?? 0;
}

export async function createBlast(spec: BlastSpec): Promise<Blast> {
  const { data, error } = await supabase().rpc("create_blast", { p_spec: spec as unknown as Json });
  throwIfError(error);
  if (!data) throw new AppError("unexpected");
  return data;
}

/** A blast to the composer's unsaved filter: the filter kept as a one-off, unlisted segment and the
 * blast created in one transaction (create_blast_to_filter), so a refused blast leaves nothing. */
export async function createBlastToFilter(definition: Json, spec: BlastSpec): Promise<Blast> {
  const { data, error } = await supabase().rpc("create_blast_to_filter", {
    p_definition: definition,
    p_spec: spec as unknown as Json,
  });
  throwIfError(error);
  if (!data) throw new AppError("unexpected");
  return data;
}

export async function previewBlast(id: string): Promise<BlastPreview> {
  const { data, error } = await supabase().rpc("preview_blast", { p_blast_id: id, p_samples: 3 });
  throwIfError(error);
  return data as unknown as BlastPreview;
}

export type Control = "start" | "pause" | "resume" | "cancel";

export async function controlBlast(id: string, control: Control): Promise<void> {
  const calls = {
    start: () => supabase().rpc("start_blast", { p_blast_id: id }),
    pause: () => supabase().rpc("pause_blast", { p_blast_id: id }),
    resume: () => supabase().rpc("resume_blast", { p_blast_id: id }),
    cancel: () => supabase().rpc("cancel_blast", { p_blast_id: id }),
  };
  const { error } = await calls[control]();
  throwIfError(error);
}

export async function fetchResults(id: string): Promise<VariantResult[]> {
  const { data, error } = await supabase().rpc("blast_results", { p_blast_id: id });
  throwIfError(error);
  return data ?? [];
}

export async function fetchRecipients(
  id: string,
  filter: { outcome: Outcome | ""; engagement: Engagement | ""; search: string },
  limit: number,
  offset: number,
): Promise<RecipientResult[]> {
  const { data, error } = await supabase().rpc("blast_recipient_results", {
    p_blast_id: id,
    p_outcome: filter.outcome === "" ? undefined : filter.outcome,
    p_engagement: filter.engagement === "" ? undefined : filter.engagement,
    p_search: filter.search.trim() === "" ? undefined : filter.search.trim(),
    p_limit: limit,
    p_offset: offset,
  });
  throwIfError(error);
  return data ?? [];
}

/** The blast's "send the winner to the rest" settings and decision (null: not an A/B test). */
export async function fetchAbTest(id: string): Promise<AbTest | null> {
  const { data, error } = await supabase()
    .from("blast_ab_tests")
    .select("test_percent, min_per_variant, decide_after_minutes, metric, decide_at, held_recipients, decided_at, released_recipients, winners, decision")
    .eq("blast_id", id)
    .maybeSingle();
  throwIfError(error);
  return data as unknown as AbTest | null;
}
