/** Who works an event's door (public.event_staff): organizers add and remove volunteers; a
 * volunteer on the list reads that event's print jobs (private.works_event). RLS decides: only
 * organizers and up may read the staff list or change an event's team. */
import { throwIfError } from "../lib/errors";
import { supabase } from "../lib/supabase";

export interface StaffPerson {
  userId: string;
  name: string;
  level: string;
  active: boolean;
}

export const volunteerKeys = {
  team: (eventId: string) => ["event_staff", eventId] as const,
  staff: () => ["staff", "for-event-teams"] as const,
};

/** The user ids on the event's team. */
export async function fetchEventTeam(eventId: string): Promise<string[]> {
  const { data, error } = await supabase().from("event_staff").select("user_id").eq("event_id", eventId);
  throwIfError(error);
  return (data ?? []).map((row) => row.user_id);
}

/** Every staff member (staff_directory: organizers and up), named by their display name, else
 * their login email — a person recognises a colleague by either, never by an id. */
export async function fetchStaffPeople(): Promise<StaffPerson[]> {
  const { data, error } = await supabase().rpc("staff_directory");
  throwIfError(error);
  return (data ?? []).map((row) => ({
    userId: row.user_id,
    name: row.name,
    level: row.level,
    active: row.status === "active",
  }));
}

/** added_by is the caller's, set by the database (its default; the policy allows no other). */
export async function addToTeam(eventId: string, userId: string): Promise<void> {
  const { error } = await supabase().from("event_staff").insert({ event_id: eventId, user_id: userId });
  throwIfError(error);
}

export async function removeFromTeam(eventId: string, userId: string): Promise<void> {
  const { error } = await supabase().from("event_staff").delete().eq("event_id", eventId).eq("user_id", userId);
  throwIfError(error);
}

/** The team as names (someone no longer on the staff list shows as `formerStaff`, so they can
 * still be removed), and the active volunteers who could still be added. Organizers and up work
 * every event already, so only volunteers are offered. */
export function splitTeam(
  people: readonly StaffPerson[],
  team: readonly string[],
  formerStaff: string,
): { members: StaffPerson[]; candidates: StaffPerson[] } {
  const byId = new Map(people.map((person) => [person.userId, person]));
  const onTeam = new Set(team);
  const members = team
    .map((userId) => byId.get(userId) ?? { userId, name: formerStaff, level: "volunteer", active: false })
    .sort((a, b) => a.name.localeCompare(b.name));
  const candidates = people.filter((person) => person.active && person.level === "volunteer" && !onTeam.has(person.userId));
  return { members, candidates };
}
