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

export interface AttendeeCounts {
  rsvps: number;
  checkedIn: number;
  walkIns: number;
}

export function countAttendees(
  attendees: readonly { rsvp_at: string | null; checked_in_at: string | null }[],
): AttendeeCounts {
  return {
    rsvps: attendees.filter((a) => a.rsvp_at !== null).length,
    checkedIn: attendees.filter((a) => a.checked_in_at !== null).length,
    walkIns: attendees.filter((a) => a.rsvp_at === null && a.checked_in_at !== null).length,
  };
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

/** The people who checked in, latest first, at most `limit` (the live view's list). */
export function latestArrivals<T extends { checked_in_at: string | null }>(attendees: readonly T[], limit: number): T[] {
  return attendees
    .filter((attendee) => attendee.checked_in_at !== null)
    .sort((a, b) => Date.parse(b.checked_in_at ?? "") - Date.parse(a.checked_in_at ?? ""))
    .slice(0, limit);
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

