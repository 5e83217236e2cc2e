/** The compliance settings: the HELP and START answers per language (public.auto_replies) and
 * the settings they and the marketing frequency cap read (public.messaging_settings). RLS lets
 * organizers read both and admins change them; the database checks every value. */
import type { Database } from "../lib/database.types";
import { throwIfError } from "../lib/errors";
import { supabase } from "../lib/supabase";

type Tables = Database["public"]["Tables"];
export type AutoReply = Pick<Tables["auto_replies"]["Row"], "kind" | "language" | "body">;
export type ComplianceSettings = Pick<
  Tables["messaging_settings"]["Row"],
  "org_name" | "contact_address" | "default_language" | "marketing_texts_per_day" | "unsubscribe_token_days"
>;

export const REPLY_KINDS = ["help", "opt_in"] as const;
export type ReplyKind = (typeof REPLY_KINDS)[number];
export const REPLY_LANGUAGES = ["en", "es"] as const;
export type ReplyLanguage = (typeof REPLY_LANGUAGES)[number];
/** The table's limit (two SMS segments). */
export const REPLY_MAX_CHARACTERS = 320;

export const complianceKeys = {
  settings: () => ["messaging_settings", "compliance"] as const,
  replies: () => ["auto_replies", "all"] as const,
};

export async function fetchComplianceSettings(): Promise<ComplianceSettings> {
  const { data, error } = await supabase()
    .from("messaging_settings")
    .select("org_name, contact_address, default_language, marketing_texts_per_day, unsubscribe_token_days")
    .single();
  throwIfError(error);
  if (!data) throw new Error("messaging_settings has no row");
  return data;
}

export async function updateComplianceSettings(changes: ComplianceSettings): Promise<void> {
  const { error } = await supabase().from("messaging_settings").update(changes).eq("id", true);
  throwIfError(error);
}

export async function fetchReplies(): Promise<AutoReply[]> {
  const { data, error } = await supabase().from("auto_replies").select("kind, language, body");
  throwIfError(error);
  return data ?? [];
}

/** One reply per call: the trigger refuses a HELP answer without STOP or the contact address. */
export async function updateReply(kind: ReplyKind, language: ReplyLanguage, body: string): Promise<void> {
  const { error } = await supabase().from("auto_replies").update({ body }).eq("kind", kind).eq("language", language);
  throwIfError(error);
}

/** The body of one reply, "" when missing. */
export function replyBody(replies: readonly AutoReply[], kind: ReplyKind, language: ReplyLanguage): string {
  return replies.find((reply) => reply.kind === kind && reply.language === language)?.body ?? "";
}

/** What a HELP answer must contain before the database would take it (docs/compliance.md). */
export function helpReplyGaps(body: string): ("stop" | "contact")[] {
  const gaps: ("stop" | "contact")[] = [];
  if (!body.includes("STOP")) gaps.push("stop");
  if (!body.includes("{{contact_address}}")) gaps.push("contact");
  return gaps;
}
