/** Every read and write of the inbox. The database decides (RLS and SQL functions); these only
 * call them and turn failures into AppErrors. */
import type { Database } from "../lib/database.types";
import { AppError, throwIfError } from "../lib/errors";
import { supabase } from "../lib/supabase";
import {
  isMediaKey,
  objectPath,
  outboundPath,
  type CannedReply,
  type ConsentSource,
  type InboxNotice,
  type StaffMember,
} from "./logic";

type Functions = Database["public"]["Functions"];
type Nullable<T, K extends keyof T> = Omit<T, K> & { [P in K]: T[P] | null };
// The generator marks every column a function returns as non-null; these can be null.
export type ConversationRow = Nullable<
  Functions["inbox_conversations"]["Returns"][number],
  | "assigned_to"
  | "contact_name"
  | "contact_phone"
  | "last_message_at"
  | "last_message_direction"
  | "last_message_preview"
  | "sms_consent"
  | "sms_consent_changed_at"
  | "sms_consent_source"
>;
export type Message = Pick<
  Database["public"]["Tables"]["messages"]["Row"],
  "id" | "direction" | "kind" | "status" | "body" | "media_urls" | "created_at" | "error_code"
>;
export type InboxFilter = "mine" | "unassigned" | "all" | "unread" | "closed";
export const FILTERS: readonly InboxFilter[] = ["mine", "unassigned", "all", "unread", "closed"];

export const MEDIA_BUCKET = "message-media";

/** Realtime only wakes the inbox; this poll is the truth it falls back on when an event is late
 * or lost (a socket that reconnected, a Realtime server behind a bulk load). */
export const INBOX_POLL_MS = 10_000;
// Long enough to read a thread, short enough that a copied link soon stops working.
const SIGNED_URL_SECONDS = 600;

export const inboxKeys = {
  list: (filter: InboxFilter, search: string) => ["rpc", "inbox_conversations", filter, search] as const,
  listAll: () => ["rpc", "inbox_conversations"] as const,
  counts: () => ["rpc", "inbox_counts"] as const,
  conversation: (id: string) => ["conversations", id] as const,
  thread: (id: string) => ["messages", "conversation", id] as const,
  media: (keys: readonly string[]) => ["storage", "message-media", ...keys] as const,
  canned: () => ["canned_replies"] as const,
  staff: () => ["rpc", "staff_directory"] as const,
  notices: (userId: string) => ["inbox_notifications", userId] as const,
};

export async function listConversations(filter: InboxFilter, search: string): Promise<ConversationRow[]> {
  const { data, error } = await supabase().rpc("inbox_conversations", {
    p_filter: filter,
    p_search: search,
    p_limit: 200,
  });
  throwIfError(error);
  return data ?? [];
}

export async function fetchCounts(): Promise<Record<string, number>> {
  const { data, error } = await supabase().rpc("inbox_counts");
  throwIfError(error);
  return Object.fromEntries((data ?? []).map((row) => [row.filter, row.conversations]));
}

export interface ConversationDetail {
  id: string;
  status: string;
  assignedTo: string | null;
  contactId: string;
  contactName: string | null;
  phone: string | null;
  unreadCount: number;
  consent: { status: "opted_in" | "opted_out" | null; source: ConsentSource | null; changedAt: string | null };
}

export async function fetchConversation(id: string): Promise<ConversationDetail> {
  const { data, error } = await supabase()
    .from("conversations")
    .select("id, status, assigned_to, unread_count, contact_id, contacts(first_name, last_name, phone)")
    .eq("id", id)
    .maybeSingle();
  throwIfError(error);
  if (!data) throw new AppError("unknown_conversation");
  const consent = await supabase()
    .from("contact_consents")
    .select("status, source, changed_at")
    .eq("contact_id", data.contact_id)
    .eq("channel", "sms")
    .maybeSingle();
  throwIfError(consent.error);
  const name = [data.contacts.first_name, data.contacts.last_name].filter(Boolean).join(" ");
  return {
    id: data.id,
    status: data.status,
    assignedTo: data.assigned_to,
    contactId: data.contact_id,
    contactName: name || null,
    phone: data.contacts.phone,
    unreadCount: data.unread_count,
    consent: {
      status: consent.data?.status ?? null,
      source: consent.data?.source ?? null,
      changedAt: consent.data?.changed_at ?? null,
    },
  };
}

export async function fetchThread(conversationId: string): Promise<Message[]> {
  const { data, error } = await supabase()
    .from("messages")
    .select("id, direction, kind, status, body, media_urls, created_at, error_code")
    .eq("conversation_id", conversationId)
    .order("created_at")
    .limit(500);
  throwIfError(error);
  return data ?? [];
}

/** Signed URLs for the copies in the private bucket (keys in, URL per key out). */
export async function signMedia(keys: readonly string[]): Promise<Record<string, string>> {
  const copies = keys.filter(isMediaKey);
  if (copies.length === 0) return {};
  const { data, error } = await supabase()
    .storage.from(MEDIA_BUCKET)
    .createSignedUrls(copies.map(objectPath), SIGNED_URL_SECONDS);
  throwIfError(error);
  const urls: Record<string, string> = {};
  for (const entry of data ?? []) {
    if (entry.path && entry.signedUrl) urls[`${MEDIA_BUCKET}/${entry.path}`] = entry.signedUrl;
  }
  return urls;
}

/** Upload a reply's image; returns the key the reply names it by. */
export async function uploadReplyImage(conversationId: string, file: File): Promise<string> {
  const path = outboundPath(conversationId, file.name, crypto.randomUUID());
  const { error } = await supabase()
    .storage.from(MEDIA_BUCKET)
    .upload(path, file, { contentType: file.type || "image/jpeg", upsert: false });
  throwIfError(error);
  return `${MEDIA_BUCKET}/${path}`;
}

export async function sendReply(conversationId: string, body: string, mediaKeys: string[]): Promise<void> {
  const { error } = await supabase().rpc("send_conversation_reply", {
    p_conversation_id: conversationId,
    p_body: body,
    p_media_urls: mediaKeys,
  });
  throwIfError(error);
}

export async function markRead(conversationId: string): Promise<void> {
  const { error } = await supabase().rpc("mark_conversation_read", { p_conversation_id: conversationId });
  throwIfError(error);
}

export async function setStatus(conversationId: string, status: "open" | "closed"): Promise<void> {
  const { data, error } = await supabase().from("conversations").update({ status }).eq("id", conversationId).select("id");
  throwIfError(error);
  if (!data || data.length === 0) throw new AppError("unknown_conversation");
}

export async function assign(conversationId: string, assignee: string | null): Promise<void> {
  // The generated Args say string; null unassigns (the function takes a nullable uuid).
  const { error } = await supabase().rpc("assign_conversation", {
    p_conversation_id: conversationId,
    p_assignee: assignee as string,
  });
  throwIfError(error);
}

type DirectoryRow = Nullable<Functions["staff_directory"]["Returns"][number], "name">;

/** Every staff member named as colleagues know them (staff_directory, organizers and up): the
 * assignee picker, the conversation list and who else is viewing all name people from it. */
export async function fetchStaffDirectory(): Promise<StaffMember[]> {
  const { data, error } = await supabase().rpc("staff_directory");
  throwIfError(error);
  return ((data ?? []) as DirectoryRow[]).map((row) => ({
    userId: row.user_id,
    name: row.name,
    level: row.level,
    active: row.status === "active",
  }));
}

export async function listCannedReplies(): Promise<CannedReply[]> {
  const { data, error } = await supabase().from("canned_replies").select("id, shortcut, body").order("shortcut");
  throwIfError(error);
  return data ?? [];
}

export async function saveCannedReply(shortcut: string, body: string): Promise<void> {
  const { error } = await supabase().from("canned_replies").insert({ shortcut, body });
  if (error && (error as { code?: string }).code === "23505") throw new AppError("conflict", error);
  throwIfError(error);
}

/** The signed-in person's unread in-app notices (RLS: only their own). */
export async function listNotices(): Promise<InboxNotice[]> {
  const { data, error } = await supabase()
    .from("inbox_notifications")
    .select("id, kind, conversation_id")
    .is("read_at", null)
    .order("id");
  throwIfError(error);
  return (data ?? []).map((row) => ({
    id: row.id,
    kind: row.kind === "new_message" ? "new_message" : "assigned",
    conversationId: row.conversation_id,
  }));
}

/** Opening a conversation marks the reader's notices about it read (RLS: only their own). */
export async function markConversationNoticesRead(conversationId: string): Promise<void> {
  const { error } = await supabase()
    .from("inbox_notifications")
    .update({ read_at: new Date().toISOString() })
    .eq("conversation_id", conversationId)
    .is("read_at", null);
  throwIfError(error);
}

export interface SmsMeasure {
  encoding: string;
  characters: number;
  segments: number;
}

/** The SQL's own count (the same functions the sender charges by). */
export async function measureSms(body: string): Promise<SmsMeasure> {
  const [encoding, units, segments] = await Promise.all([
    supabase().rpc("sms_encoding", { p_text: body }),
    supabase().rpc("sms_units", { p_text: body }),
    supabase().rpc("sms_segments", { p_text: body }),
  ]);
  throwIfError(encoding.error ?? units.error ?? segments.error);
  return { encoding: encoding.data ?? "gsm7", characters: units.data ?? 0, segments: segments.data ?? 0 };
}
