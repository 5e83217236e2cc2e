import type { Database } from "../lib/database.types";

/** The inbox's decisions that need no screen: canned-reply tokens, keyboard shortcuts, why a
 * reply is blocked, which media a person may be shown. Plain functions for unit tests. */

/** What a staff member may type after a slash: the database's shortcut rule. */
const SHORTCUT_TOKEN = /(^|\s)\/([a-z0-9][a-z0-9_-]{0,31})?$/;

export interface SlashToken {
  /** What was typed after the slash ("" right after typing it). */
  query: string;
  /** Where the slash is in the text. */
  start: number;
}

/** The `/shortcut` being typed just before the caret, if any. */
export function slashTokenAt(text: string, caret: number): SlashToken | null {
  const before = text.slice(0, caret);
  const match = SHORTCUT_TOKEN.exec(before);
  if (!match) return null;
  const query = match[2] ?? "";
  return { query, start: caret - query.length - 1 };
}

export interface CannedReply {
  id: string;
  shortcut: string;
  body: string;
}

/** Canned replies whose shortcut starts with what was typed, exact match first. */
export function matchingReplies(replies: readonly CannedReply[], query: string): CannedReply[] {
  return replies
    .filter((reply) => reply.shortcut.startsWith(query))
    .sort((a, b) => Number(b.shortcut === query) - Number(a.shortcut === query) || a.shortcut.localeCompare(b.shortcut));
}

/** The text with the `/shortcut` token replaced by the reply's body; and the caret after it. */
export function insertReply(text: string, token: SlashToken, reply: CannedReply): { text: string; caret: number } {
  const end = token.start + 1 + token.query.length;
  const next = text.slice(0, token.start) + reply.body + text.slice(end);
  return { text: next, caret: token.start + reply.body.length };
}

/** A shortcut from a saved message: its first words, in the database's alphabet. */
export function suggestShortcut(body: string): string {
  const words = body
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .slice(0, 3);
  return words.join("-").slice(0, 32) || "reply";
}

export type ShortcutAction = "next" | "previous" | "reply" | "close";

/** Single keys, as in mail clients; never while typing in a field or with a modifier. */
export const SHORTCUT_KEYS: Record<string, ShortcutAction> = { j: "next", k: "previous", r: "reply", c: "close" };

export function shortcutFor(event: Pick<KeyboardEvent, "key" | "altKey" | "ctrlKey" | "metaKey">, target: EventTarget | null): ShortcutAction | null {
  if (event.altKey || event.ctrlKey || event.metaKey) return null;
  if (isTypingTarget(target)) return null;
  return SHORTCUT_KEYS[event.key] ?? null;
}

function isTypingTarget(target: EventTarget | null): boolean {
  if (typeof HTMLElement === "undefined" || !(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/** The conversation `step` away from the current one in the list (stays at the ends). */
export function neighbour(ids: readonly string[], current: string | undefined, step: 1 | -1): string | undefined {
  if (ids.length === 0) return undefined;
  const index = current === undefined ? -1 : ids.indexOf(current);
  if (index === -1) return ids[0];
  return ids[Math.min(ids.length - 1, Math.max(0, index + step))];
}

export type ConsentSource = Database["public"]["Enums"]["consent_source"];

/** Why a reply cannot be sent (the database refuses it the same way), or null. */
export function replyBlock(consent: { status: "opted_in" | "opted_out" | null; source: ConsentSource | null }): ConsentSource | null {
  if (consent.status !== "opted_out") return null;
  return consent.source ?? "staff";
}

/** The sentence with its full stop, unless it already ends with one — a Spanish time does
 * ("10:07 p.m."), and a second stop would read "p.m..". */
export function closeSentence(sentence: string): string {
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

/** A copy in our private bucket (shown through a signed URL). Anything else is a provider's
 * URL still being copied: never shown. */
export function isMediaKey(reference: string): boolean {
  return reference.startsWith("message-media/");
}

/** The object path inside the bucket (what Storage's API takes). */
export function objectPath(key: string): string {
  return key.slice("message-media/".length);
}

/** Where a reply's image goes: the conversation's folder, a fresh safe name. */
export function outboundPath(conversationId: string, fileName: string, unique: string): string {
  const extension = /\.([A-Za-z0-9]{1,5})$/.exec(fileName)?.[1]?.toLowerCase() ?? "jpg";
  return `outbound/${conversationId}/${unique}.${extension}`;
}

export type NoticeKind = "assigned" | "new_message";

export interface InboxNotice {
  id: number;
  kind: NoticeKind;
  conversationId: string;
}

/** The badge's number: conversations with an unread notice (an assignment and a new message in
 * the same conversation are one thing to look at). */
export function conversationsToLookAt(notices: readonly InboxNotice[]): number {
  return new Set(notices.map((notice) => notice.conversationId)).size;
}

/** The notices to announce now: those newer than `announcedUpTo` (the highest id already
 * announced; null before the first load, when the badge alone shows what was waiting). */
export function noticesToAnnounce(
  notices: readonly InboxNotice[],
  announcedUpTo: number | null,
): { announce: InboxNotice[]; announcedUpTo: number } {
  const highest = notices.reduce((max, notice) => Math.max(max, notice.id), announcedUpTo ?? 0);
  if (announcedUpTo === null) return { announce: [], announcedUpTo: highest };
  return { announce: notices.filter((notice) => notice.id > announcedUpTo), announcedUpTo: highest };
}

/** A staff member as public.staff_directory lists them: named by display name, else login email
 * (null when they have neither). */
export interface StaffMember {
  userId: string;
  name: string | null;
  level: "volunteer" | "organizer" | "admin" | "owner";
  active: boolean;
}

/** Whom a conversation can go to: active organizers and up (assign_conversation refuses others). */
export function assignableStaff(staff: readonly StaffMember[]): StaffMember[] {
  return staff.filter((member) => member.active && member.level !== "volunteer");
}

/** A colleague's name as people know them, never an id: someone the directory no longer lists
 * (or lists without a name or an email) is `formerStaff`. */
export function staffName(staff: readonly StaffMember[], userId: string, formerStaff: string): string {
  return staff.find((member) => member.userId === userId)?.name ?? formerStaff;
}
