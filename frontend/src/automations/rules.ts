/** An automation as the editor holds it (text inputs as typed) and as the table stores it. The
 * database validates again (check constraints and private.automations_validate); these checks
 * only let the form say what is missing before a round trip. */
import type { Database } from "../lib/database.types";

type Tables = Database["public"]["Tables"];
export type AutomationRow = Tables["automations"]["Row"];
export type AutomationColumns = Omit<Tables["automations"]["Insert"], "id" | "created_at" | "updated_at" | "created_by">;

/** The triggers, in the order the editor offers them. */
export const TRIGGERS = [
  "after_check_in",
  "first_check_in",
  "no_check_in",
  "before_event",
  "event_thank_you",
  "birthday",
] as const;
export type Trigger = (typeof TRIGGERS)[number];
export type Action = "send_template" | "add_tag";
export type Channel = "sms" | "email";

export interface AutomationDraft {
  name: string;
  kind: Trigger;
  action: Action;
  channel: Channel;
  templateId: string;
  senderId: string;
  tag: string;
  delayHours: string;
  inactiveDays: string;
  eventId: string;
  windowStart: string;
  windowEnd: string;
  oncePerContact: boolean;
  enabled: boolean;
}

export type DraftProblem = "name" | "delay" | "inactiveDays" | "template" | "sender" | "tag" | "window";

export function isTrigger(value: string): value is Trigger {
  return (TRIGGERS as readonly string[]).includes(value);
}

/** Triggers timed in hours from their occasion (check-in, event start or end). */
export function usesDelay(kind: Trigger): boolean {
  return kind !== "no_check_in" && kind !== "birthday";
}

/** Triggers that may be limited to one event. */
export function usesEvent(kind: Trigger): boolean {
  return kind === "after_check_in" || kind === "before_event" || kind === "event_thank_you";
}

export function emptyDraft(): AutomationDraft {
  return {
    name: "",
    kind: "after_check_in",
    action: "send_template",
    channel: "sms",
    templateId: "",
    senderId: "",
    tag: "",
    delayHours: "2",
    inactiveDays: "60",
    eventId: "",
    windowStart: "09:00",
    windowEnd: "20:00",
    oncePerContact: false,
    enabled: false,
  };
}

export function toDraft(row: AutomationRow): AutomationDraft {
  const blank = emptyDraft();
  return {
    name: row.name,
    kind: isTrigger(row.kind) ? row.kind : blank.kind,
    action: row.action === "add_tag" ? "add_tag" : "send_template",
    channel: row.channel ?? blank.channel,
    templateId: row.template_id ?? "",
    senderId: row.sender_id ?? "",
    tag: row.tag ?? "",
    delayHours: String(row.delay_hours),
    inactiveDays: row.inactive_days === null ? blank.inactiveDays : String(row.inactive_days),
    eventId: row.event_id ?? "",
    windowStart: row.window_start?.slice(0, 5) ?? "",
    windowEnd: row.window_end?.slice(0, 5) ?? "",
    oncePerContact: row.once_per_contact,
    enabled: row.enabled,
  };
}

function wholeNumber(text: string, min: number, max: number): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value >= min && value <= max ? value : null;
}

/** What the form must still fix (the same bounds as the table's checks). */
export function problems(draft: AutomationDraft): DraftProblem[] {
  const found: DraftProblem[] = [];
  if (draft.name.trim() === "") found.push("name");
  if (usesDelay(draft.kind) && wholeNumber(draft.delayHours, 0, 720) === null) found.push("delay");
  if (draft.kind === "no_check_in" && wholeNumber(draft.inactiveDays, 1, 3650) === null) found.push("inactiveDays");
  if (draft.action === "send_template") {
    if (draft.templateId === "") found.push("template");
    if (draft.senderId === "") found.push("sender");
  } else if (draft.tag.trim() === "") {
    found.push("tag");
  }
  if ((draft.windowStart === "") !== (draft.windowEnd === "")) found.push("window");
  return found;
}

/** The columns to save: every field the trigger or action does not use is cleared, as the
 * table's constraints require. Call only when `problems` is empty. */
export function toColumns(draft: AutomationDraft): AutomationColumns {
  const sends = draft.action === "send_template";
  return {
    name: draft.name.trim(),
    kind: draft.kind,
    action: draft.action,
    channel: sends ? draft.channel : null,
    template_id: sends ? draft.templateId : null,
    sender_id: sends ? draft.senderId : null,
    tag: sends ? null : draft.tag.trim(),
    delay_hours: usesDelay(draft.kind) ? Number(draft.delayHours.trim()) : 0,
    inactive_days: draft.kind === "no_check_in" ? Number(draft.inactiveDays.trim()) : null,
    event_id: usesEvent(draft.kind) && draft.eventId !== "" ? draft.eventId : null,
    window_start: draft.windowStart === "" ? null : draft.windowStart,
    window_end: draft.windowEnd === "" ? null : draft.windowEnd,
    once_per_contact: draft.oncePerContact,
    enabled: draft.enabled,
  };
}
