/** Plain rules of the events screens, kept apart from components so unit tests can call them. */
import type { Attendee } from "./api";

/** Upcoming (including one under way) and past events; the overview comes newest first, upcoming
 * reads best soonest first. */
export function splitByTime<T extends { starts_at: string; ends_at: string }>(
  events: readonly T[],
  now: Date,
): { upcoming: T[]; past: T[] } {
  const upcoming = events.filter((event) => new Date(event.ends_at) >= now);
  const past = events.filter((event) => new Date(event.ends_at) < now);
  upcoming.sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at));
  return { upcoming, past };
}

/** A wall-clock timestamp from the database ("2026-12-01T18:00:00") as a datetime-local value. */
export function toLocalInput(timestamp: string): string {
  return timestamp.slice(0, 16);
}

/** A web address suggested from the name: "Demo Night #3" → "demo-night-3". The database still
 * validates whatever is submitted. */
export function suggestSlug(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 100)
    .replace(/-+$/, "");
}

/** The capacity field: empty means no limit; anything else goes to the database to judge. */
export function parseCapacity(value: string): number | null {
  const trimmed = value.trim();
  return trimmed === "" ? null : Number(trimmed);
}

export function displayName(person: { first_name: string | null; last_name: string | null }): string | null {
  const name = [person.first_name, person.last_name].filter(Boolean).join(" ").trim();
  return name === "" ? null : name;
}

export type EventField = "name" | "slug" | "startsLocal" | "endsLocal" | "capacity";

/** Which field a refusal of save_event is about, so the form can show it there (else: above). */
export function fieldOfRefusal(code: string): EventField | null {
  switch (code) {
    case "event_name_required":
      return "name";
    case "event_slug_invalid":
    case "event_slug_taken":
      return "slug";
    case "event_ends_before_start":
      return "endsLocal";
    case "event_capacity_invalid":
      return "capacity";
    default:
      return null;
  }
}

/** Where the page after this one starts: the last row's cursor, or undefined when this page was
 * not full (the list ends here). */
export function nextPageCursor(page: readonly { next_cursor: string }[], limit: number): string | undefined {
  return page.length < limit ? undefined : page[page.length - 1]?.next_cursor;
}

/**
 * What a Realtime change does to the attendee list. The list is newest arrival first and read
 * page by page (keyset), so an arrival moves someone to the top of page one: re-reading only
 * page one would leave pages two onwards one row off (a person missed, another shown twice),
 * and re-reading every loaded page costs a request per page on each arrival. So one loaded
 * page is re-read; with more, the pages stay as read and the list says it is behind.
 */
export function attendeeListOnChange(loadedPages: number): "refetch" | "behind" {
  return loadedPages > 1 ? "behind" : "refetch";
}

/** The attendance filter's select value ("" for everyone) as the RPC's argument. */
export function attendanceFilter(value: string): "rsvp" | "walk_in" | null {
  return value === "rsvp" || value === "walk_in" ? value : null;
}

/** The check-in filter's select value ("in", "out", "" for both) as the RPC's argument. */
export function checkedInFilter(value: string): boolean | null {
  return value === "in" ? true : value === "out" ? false : null;
}

/** The attendee list as CSV rows: RSVP or walk-in, and the check-in time as an ISO instant. The
 * email and phone columns hold what the database let this role read. */
export function attendeeCsvRows(attendees: readonly Attendee[]): Record<string, string | null>[] {
  return attendees.map((attendee) => ({
    first_name: attendee.first_name,
    last_name: attendee.last_name,
    email: attendee.email,
    phone: attendee.phone,
    rsvp: attendee.rsvp_at === null ? "walk_in" : "rsvp",
    rsvp_source: attendee.rsvp_source,
    rsvp_at: attendee.rsvp_at,
    checked_in_at: attendee.checked_in_at,
    check_in_method: attendee.method,
    first_timer: attendee.first_timer ? "yes" : "no",
  }));
}

export const ATTENDEE_CSV_COLUMNS = [
  "first_name",
  "last_name",
  "email",
  "phone",
  "rsvp",
  "rsvp_source",
  "rsvp_at",
  "checked_in_at",
  "check_in_method",
  "first_timer",
] as const;

