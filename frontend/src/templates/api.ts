/** Every read and write of the template screens. The database decides (RLS, the validating
 * trigger, preview_template); these only call it and turn failures into AppErrors. */
import type { ContactRow } from "../crm/api";
import type { Database } from "../lib/database.types";
import { AppError, throwIfError } from "../lib/errors";
import { supabase } from "../lib/supabase";

type Tables = Database["public"]["Tables"];
export type Template = Tables["message_templates"]["Row"];
export type Channel = Database["public"]["Enums"]["message_channel"];
export interface TemplateDraft {
  name: string;
  channel: Channel;
  subject: string | null;
  body: string;
}
export interface RenderedPreview {
  subject: string | null;
  body: string;
  encoding: "gsm7" | "ucs2";
  units: number;
  segments: number;
  /** Email only: the HTML part exactly as a blast sends it (public.email_html). */
  html?: string;
}
export interface ContactChoice {
  id: string;
  label: string;
}

export const templateKeys = {
  all: () => ["message_templates", "all"] as const,
  one: (id: string) => ["message_templates", "one", id] as const,
  facts: () => ["messaging_settings", "facts"] as const,
  preview: (draft: TemplateDraft, contactId: string) => ["rpc", "preview_template", draft, contactId] as const,
  contacts: (search: string) => ["rpc", "list_contacts", "template-preview", search] as const,
};

export async function fetchTemplates(): Promise<Template[]> {
  const { data, error } = await supabase()
    .from("message_templates")
    .select("*")
    .order("archived_at", { ascending: false, nullsFirst: true })
    .order("name");
  throwIfError(error);
  return data ?? [];
}

export async function fetchTemplate(id: string): Promise<Template> {
  const { data, error } = await supabase().from("message_templates").select("*").eq("id", id).maybeSingle();
  throwIfError(error);
  if (!data) throw new AppError("template_not_found");
  return data;
}

// The unique name is a constraint, not a function: its raw duplicate-key error becomes a code.
function throwTemplateError(error: { code?: string } | null): void {
  if (error?.code === "23505") throw new AppError("template_name_taken", error);
  throwIfError(error);
}

export async function createTemplate(draft: TemplateDraft): Promise<string> {
  const { data, error } = await supabase().from("message_templates").insert(draft).select("id").single();
  throwTemplateError(error);
  if (!data) throw new AppError("not_allowed");
  return data.id;
}

export async function updateTemplate(id: string, draft: Omit<TemplateDraft, "channel">): Promise<void> {
  const { data, error } = await supabase().from("message_templates").update(draft).eq("id", id).select("id");
  throwTemplateError(error);
  // RLS filters an update it refuses: no row back means it was not allowed (or is gone).
  if (!data || data.length === 0) throw new AppError("template_not_found");
}

export async function setArchived(id: string, archived: boolean): Promise<void> {
  const { data, error } = await supabase()
    .from("message_templates")
    .update({ archived_at: archived ? new Date().toISOString() : null })
    .eq("id", id)
    .select("id");
  throwIfError(error);
  if (!data || data.length === 0) throw new AppError("template_not_found");
}

export interface MessagingFacts {
  smsSegmentCost: number;
  emailCost: number;
  orgName: string;
  orgTimeZone: string;
}

/** What the editors show from the organisation's settings: costs, name and time zone. */
export async function fetchMessagingFacts(): Promise<MessagingFacts> {
  const { data, error } = await supabase()
    .from("messaging_settings")
    .select("sms_segment_cost, email_cost, org_name, org_time_zone")
    .single();
  throwIfError(error);
  if (!data) throw new AppError("not_allowed");
  return {
    smsSegmentCost: data.sms_segment_cost,
    emailCost: data.email_cost,
    orgName: data.org_name,
    orgTimeZone: data.org_time_zone,
  };
}

/** The template rendered for one contact by the database's rendering (the sends' own); an
 * email with its HTML part from the same renderer the workers' claim uses. */
export async function previewTemplate(draft: TemplateDraft, contactId: string): Promise<RenderedPreview> {
  const { data, error } =
    draft.channel === "email"
      ? await supabase().rpc("preview_email_template", {
          p_body: draft.body,
          p_contact_id: contactId,
          p_subject: draft.subject ?? "",
        })
      : await supabase().rpc("preview_template", { p_body: draft.body, p_contact_id: contactId });
  throwIfError(error);
  return data as unknown as RenderedPreview;
}

/** "Send a test to me": the saved template, rendered for the contact (or with defaults), queued
 * to the caller's own phone or email by the database. */
export async function sendTemplateTest(templateId: string, contactId: string): Promise<void> {
  const { error } = await supabase().rpc("send_template_test", {
    p_template_id: templateId,
    p_contact_id: contactId === "" ? undefined : contactId,
  });
  throwIfError(error);
}

export async function searchContacts(search: string): Promise<ContactChoice[]> {
  const { data, error } = await supabase().rpc("list_contacts", {
    p_search: search.trim() === "" ? undefined : search.trim(),
    p_sort: "newest",
    p_limit: 8,
  });
  throwIfError(error);
  // The generator marks every returned column non-null; names, phone and email can be null.
  const rows: ContactRow[] = data ?? [];
  return rows.map((row) => ({
    id: row.id,
    label: [[row.first_name, row.last_name].filter(Boolean).join(" "), row.phone ?? row.email].filter(Boolean).join(" · "),
  }));
}
