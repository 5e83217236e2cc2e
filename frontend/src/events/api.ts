/** Every read and write of the events screens, through the database's functions (save_event,
 * event_overview, event_attendees_page, event_attendee_counts, event_attendees (the export),
 * event_checkin_count, rsvp_pass_summary, send_rsvp_passes, set_contact_import_event): they
 * validate and RLS decides. */
import type { Database } from "../lib/database.types";
import { AppError, throwIfError } from "../lib/errors";
import { supabase } from "../lib/supabase";

type Functions = Database["public"]["Functions"];
type OverviewRow = Functions["event_overview"]["Returns"][number];
type AttendeeRow = Functions["event_attendees"]["Returns"][number];
type CountsRow = Functions["event_attendee_counts"]["Returns"][number];

// The generator marks every returned column non-null; these can be null.
export type EventSummary = Omit<OverviewRow, "venue" | "capacity"> & { venue: string | null; capacity: number | null };
export type Attendee = Omit<
  AttendeeRow,
  "first_name" | "last_name" | "email" | "phone" | "rsvp_at" | "rsvp_source" | "checked_in_at" | "method"
> & {
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  phone: string | null;
  rsvp_at: string | null;
  rsvp_source: string | null;
  checked_in_at: string | null;
  method: string | null;
};

/** A row of a page: the attendee and the cursor of the page after it. */
export type AttendeePageRow = Attendee & { next_cursor: string };

/** The attendee list's filters, applied by the server (the search as event_attendees_page reads it). */
export interface AttendeeFilters {
  attendance: "rsvp" | "walk_in" | null;
  checkedIn: boolean | null;
  search: string;
}

/** The event's totals, and how many people the filters match. */
export type AttendeeCounts = CountsRow;

/** Of an event's RSVPs: passes that would go now, people with no usable address, passes sent. */
export interface PassSummary {
  to_send: number;
  without_address: number;
  already_sent: number;
}

/** What a send did: passes queued now, people it could not reach, passes sent before. */
export interface PassesSent {
  enqueued: number;
  without_address: number;
  already_sent: number;
}

/** What the form sends: wall-clock times ("2026-12-01T18:00") in the organisation's zone. */
export interface EventDraft {
  name: string;
  slug: string;
  startsLocal: string;
  endsLocal: string;
  venue: string;
  capacity: number | null;
  published: boolean;
}

/** Keys name the RPC or table they read, so Realtime on check_ins can invalidate them. */
export const eventKeys = {
  overview: () => ["rpc", "event_overview"] as const,
  orgTimeZone: () => ["messaging_settings", "org_time_zone"] as const,
  /** Every page and filter of one event's attendee list (Realtime invalidates them together). */
  attendeePages: (eventId: string) => ["rpc", "event_attendees_page", eventId] as const,
  attendeeCounts: (eventId: string) => ["rpc", "event_attendee_counts", eventId] as const,
  checkInCount: (eventId: string) => ["rpc", "event_checkin_count", eventId] as const,
  passSummary: (eventId: string) => ["rpc", "rsvp_pass_summary", eventId] as const,
};

export async function fetchEventOverview(): Promise<EventSummary[]> {
  const { data, error } = await supabase().rpc("event_overview");
  throwIfError(error);
  return data ?? [];
}

/** One event of the overview (the editor and the attendee pages read it from there). */
export async function fetchEventSummary(id: string): Promise<EventSummary> {
  const { data, error } = await supabase().rpc("event_overview").eq("id", id).maybeSingle();
  throwIfError(error);
  if (!data) throw new AppError("unknown_event");
  return data;
}

/** The zone the organisation's settings name: event times are typed and shown in it. */
export async function fetchOrgTimeZone(): Promise<string> {
  const { data, error } = await supabase().from("messaging_settings").select("org_time_zone").single();
  throwIfError(error);
  if (!data) throw new AppError("not_allowed");
  return data.org_time_zone;
}

export async function saveEvent(id: string | null, draft: EventDraft): Promise<{ id: string; name: string }> {
  const { data, error } = await supabase().rpc("save_event", {
    // The generated type cannot say that null means "create"; the function does.
    p_event_id: id as string,
    p_name: draft.name,
    p_slug: draft.slug,
    p_starts_local: draft.startsLocal,
    p_ends_local: draft.endsLocal,
    p_venue: draft.venue,
    p_capacity: draft.capacity as number,
    p_published: draft.published,
  });
  throwIfError(error);
  if (!data) throw new AppError("unexpected");
  return { id: data.id, name: data.name };
}

/** The RPC's filter arguments: blank search and "everyone" are left out (the SQL defaults). */
function filterArgs(filters: AttendeeFilters): { p_attendance?: string; p_checked_in?: boolean; p_search?: string } {
  const search = filters.search.trim();
  return {
    ...(filters.attendance === null ? {} : { p_attendance: filters.attendance }),
    ...(filters.checkedIn === null ? {} : { p_checked_in: filters.checkedIn }),
    ...(search === "" ? {} : { p_search: search }),
  };
}

/** One page of the list: `after` is the previous page's last next_cursor (null: the first). */
export async function fetchAttendeePage(
  eventId: string,
  filters: AttendeeFilters,
  after: string | null,
  limit: number,
): Promise<AttendeePageRow[]> {
  const { data, error } = await supabase().rpc("event_attendees_page", {
    p_event_id: eventId,
    ...(after === null ? {} : { p_after: after }),
    p_limit: limit,
    ...filterArgs(filters),
  });
  throwIfError(error);
  return data ?? [];
}

export async function fetchAttendeeCounts(eventId: string, filters: AttendeeFilters): Promise<AttendeeCounts> {
  const { data, error } = await supabase()
    .rpc("event_attendee_counts", { p_event_id: eventId, ...filterArgs(filters) })
    .single();
  throwIfError(error);
  if (!data) throw new AppError("unexpected");
  return data;
}

/** Everyone, for the CSV export (one read of the whole list, on demand). */
export async function fetchAllAttendees(eventId: string): Promise<Attendee[]> {
  const { data, error } = await supabase().rpc("event_attendees", { p_event_id: eventId });
  throwIfError(error);
  return data ?? [];
}

export async function fetchCheckInCount(eventId: string): Promise<number> {
  const { data, error } = await supabase().rpc("event_checkin_count", { p_event_id: eventId });
  throwIfError(error);
  return data ?? 0;
}

export async function fetchPassSummary(eventId: string): Promise<PassSummary> {
  const { data, error } = await supabase().rpc("rsvp_pass_summary", { p_event_id: eventId }).single();
  throwIfError(error);
  if (!data) throw new AppError("unexpected");
  return data;
}

/** Queue each RSVP's personal pass; the link points at this app (`appUrl`/pass/<token>). */
export async function sendPasses(eventId: string, appUrl: string): Promise<PassesSent> {
  const { data, error } = await supabase()
    .rpc("send_rsvp_passes", { p_event_id: eventId, p_app_url: appUrl })
    .single();
  throwIfError(error);
  if (!data) throw new AppError("unexpected");
  return data;
}

/** Aim a draft import at an event (its rows RSVP their people) or at none. */
export async function setImportEvent(importId: string, eventId: string | null): Promise<void> {
  const { error } = await supabase().rpc("set_contact_import_event", {
    p_import_id: importId,
    // The generated type cannot say that null means "no event"; the function does.
    p_event_id: eventId as string,
  });
  throwIfError(error);
}
