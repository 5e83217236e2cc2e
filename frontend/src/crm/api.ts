/** Every read and write of the CRM screens. The database decides (RLS and SQL functions):
 * these only call them and turn failures into AppErrors. */
import type { Database } from "../lib/database.types";
import { AppError, throwIfError } from "../lib/errors";
import { supabase } from "../lib/supabase";
import { toDefinition, toListArgs, type ContactFilter, type SegmentDefinition } from "./filters";

type Functions = Database["public"]["Functions"];
type Nullable<T, K extends keyof T> = Omit<T, K> & { [P in K]: T[P] | null };
// The generator marks every column a function returns as non-null; these can be null.
export type ContactRow = Nullable<
  Functions["list_contacts"]["Returns"][number],
  | "first_name"
  | "last_name"
  | "phone"
  | "email"
  | "company"
  | "preferred_language"
  | "last_check_in_at"
  | "sms_consent"
  | "email_consent"
>;
export type ActivityEntry = Nullable<Functions["contact_activity"]["Returns"][number], "actor_id">;
export type ExportRow = Nullable<
  Functions["export_contact_list"]["Returns"][number],
  "first_name" | "last_name" | "phone" | "email" | "pronouns" | "company" | "title" | "source" | "time_zone" | "birthday"
>;
export type Contact = Database["public"]["Tables"]["contacts"]["Row"];
export type ContactUpdate = Database["public"]["Tables"]["contacts"]["Update"];
export type ConsentEvent = Database["public"]["Tables"]["consent_events"]["Row"];
export type ConsentNow = Database["public"]["Tables"]["contact_consents"]["Row"];
export type InteractionKind = "note" | "call" | "meeting" | "email";
export type Segment = Pick<Database["public"]["Tables"]["segments"]["Row"], "id" | "name" | "definition">;

export const PAGE_SIZE = 50;

export async function listContacts(filter: ContactFilter, page: number): Promise<ContactRow[]> {
  const { data, error } = await supabase().rpc("list_contacts", {
    ...toListArgs(filter),
    p_sort: filter.sort,
    p_limit: PAGE_SIZE,
    p_offset: page * PAGE_SIZE,
  });
  throwIfError(error);
  return data ?? [];
}

export async function countContacts(filter: ContactFilter): Promise<number> {
  const { data, error } = await supabase().rpc("count_contacts", toListArgs(filter));
  throwIfError(error);
  return data ?? 0;
}

export async function fetchTagCounts(): Promise<{ tag: string; contacts: number }[]> {
  const { data, error } = await supabase().rpc("contact_tag_counts");
  throwIfError(error);
  return data ?? [];
}

export async function fetchEventsForFilter(): Promise<{ id: string; name: string }[]> {
  const { data, error } = await supabase().from("events").select("id, name").order("starts_at", { ascending: false });
  throwIfError(error);
  return data ?? [];
}

export async function fetchSegments(): Promise<Segment[]> {
  // One-off segments keep a blast's unsaved filter; they are not saved segments to list.
  const { data, error } = await supabase().from("segments").select("id, name, definition").eq("one_off", false).order("name");
  throwIfError(error);
  return data ?? [];
}

/** A saved view is a segment: the filter's criteria under a name (search and sort are not kept). */
export async function saveSegment(name: string, filter: ContactFilter): Promise<void> {
  const definition: SegmentDefinition = toDefinition(filter);
  const { error } = await supabase().from("segments").insert({ name, definition });
  throwIfError(error);
}

export interface TagChange {
  add: string[];
  remove: string[];
}

/** Change tags on the chosen contacts, or on every contact the filter matches when `ids` is null. */
export async function changeTags(ids: string[] | null, filter: ContactFilter, change: TagChange): Promise<number> {
  const result =
    ids === null
      ? await supabase().rpc("tag_matching_contacts", { ...toListArgs(filter), p_add: change.add, p_remove: change.remove })
      : await supabase().rpc("tag_contacts", { p_contact_ids: ids, p_add: change.add, p_remove: change.remove });
  throwIfError(result.error);
  return result.data ?? 0;
}

export async function exportContacts(filter: ContactFilter): Promise<ExportRow[]> {
  const { data, error } = await supabase().rpc("export_contact_list", toListArgs(filter));
  throwIfError(error);
  return data ?? [];
}

export async function fetchContact(id: string): Promise<Contact> {
  const { data, error } = await supabase().from("contacts").select("*").eq("id", id).maybeSingle();
  throwIfError(error);
  if (!data || data.erased_at !== null) throw new AppError("unknown_contact");
  return data;
}

export async function updateContact(id: string, changes: ContactUpdate): Promise<void> {
  const { data, error } = await supabase().from("contacts").update(changes).eq("id", id).select("id");
  throwIfError(error);
  // RLS filters an update it refuses: no row back means it was not allowed (or is gone).
  if (!data || data.length === 0) throw new AppError("unknown_contact");
}

export async function fetchConsent(contactId: string): Promise<{ current: ConsentNow[]; history: ConsentEvent[] }> {
  const [current, history] = await Promise.all([
    supabase().from("contact_consents").select("*").eq("contact_id", contactId),
    supabase().from("consent_events").select("*").eq("contact_id", contactId).order("id", { ascending: false }),
  ]);
  throwIfError(current.error);
  throwIfError(history.error);
  return { current: current.data ?? [], history: history.data ?? [] };
}

/** One page of the timeline, strictly older than `before` (null: the newest page). */
export async function fetchActivity(contactId: string, before: string | null): Promise<ActivityEntry[]> {
  const { data, error } = await supabase().rpc("contact_activity", {
    p_contact_id: contactId,
    p_before: before ?? undefined,
    p_limit: PAGE_SIZE,
  });
  throwIfError(error);
  return data ?? [];
}

export async function logInteraction(contactId: string, kind: InteractionKind, body: string): Promise<void> {
  const { error } = await supabase().from("interactions").insert({ contact_id: contactId, kind, body });
  throwIfError(error);
}
