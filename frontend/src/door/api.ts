import * as v from "valibot";
import type { Channel, Registration } from "../attendee/api";
import { AppError, throwIfError } from "../lib/errors";
import { supabase } from "../lib/supabase";

export interface DoorEvent {
  id: string;
  slug: string;
  name: string;
  time_zone: string;
}

/** The event a door works (staff read every event; RLS decides). */
export async function fetchDoorEvent(slug: string): Promise<DoorEvent> {
  const { data, error } = await supabase()
    .from("events")
    .select("id, slug, name, time_zone")
    .eq("slug", slug)
    .maybeSingle();
  throwIfError(error);
  if (!data) throw new AppError("unknown_event");
  return data;
}

export interface Station {
  id: string;
  name: string;
  online: boolean;
}

// Three missed 15 s heartbeats, as the database's station_is_online decides.
const OFFLINE_AFTER_MS = 45_000;

/** The print stations assigned to the event, with whether each answered lately. */
export async function fetchStations(eventId: string, now: number = Date.now()): Promise<Station[]> {
  const { data, error } = await supabase()
    .from("event_print_stations")
    .select("device_id, devices (name, last_seen_at, disabled_at)")
    .eq("event_id", eventId)
    .order("created_at");
  throwIfError(error);
  return (data ?? []).flatMap((row) =>
    !row.devices.disabled_at
      ? [
          {
            id: row.device_id,
            name: row.devices.name,
            online: row.devices.last_seen_at !== null && now - Date.parse(row.devices.last_seen_at) < OFFLINE_AFTER_MS,
          },
        ]
      : [],
  );
}

/** Who the door is checking in: a scanned QR token, a person picked from the lookup, or a
 * walk-in registered with their phone. */
export type Identity =
  | { kind: "qr"; token: string }
  | { kind: "contact"; contactId: string }
  | { kind: "walk-in"; phone: string; registration: Registration };

const doorResultSchema = v.object({
  code: v.picklist(["checked_in", "already_checked_in"]),
  check_in_id: v.string(),
  contact_id: v.string(),
  checked_in_at: v.string(),
  display_name: v.string(),
  print_job_id: v.nullable(v.string()),
  print_refused: v.optional(v.nullable(v.string())),
});
export type DoorResult = v.InferOutput<typeof doorResultSchema>;

function identityArguments(identity: Identity) {
  switch (identity.kind) {
    case "qr":
      return { p_qr_token: identity.token };
    case "contact":
      return { p_contact_id: identity.contactId };
    case "walk-in":
      return { p_phone: identity.phone, p_registration: { ...identity.registration } };
  }
}

/** check_in is idempotent, so the offline queue may send the same check-in again safely. */
export async function doorCheckIn(eventId: string, identity: Identity, stationId: string | null): Promise<DoorResult> {
  const { data, error } = await supabase().rpc("check_in", {
    p_event_id: eventId,
    ...identityArguments(identity),
    ...(stationId ? { p_station_id: stationId } : {}),
  });
  throwIfError(error);
  return v.parse(doorResultSchema, data);
}

export interface FoundAttendee {
  contact_id: string;
  first_name: string | null;
  last_name: string | null;
  pronouns: string | null;
  company: string | null;
  checked_in_at: string | null;
}

export async function findAttendees(eventId: string, query: string): Promise<FoundAttendee[]> {
  const { data, error } = await supabase().rpc("find_attendees", { p_event_id: eventId, p_query: query });
  throwIfError(error);
  return data ?? [];
}

export async function reprintTag(checkInId: string, stationId: string | null): Promise<void> {
  const { error } = await supabase().rpc("reprint_badge", {
    p_check_in_id: checkInId,
    ...(stationId ? { p_station_id: stationId } : {}),
  });
  throwIfError(error);
}

/** Reprints the signed-in staff member may still ask for; null = no limit. */
export async function fetchReprintsLeft(checkInId: string): Promise<number | null> {
  const { data, error } = await supabase().rpc("reprints_left", { p_check_in_id: checkInId });
  throwIfError(error);
  return data;
}

export async function fetchCheckInCount(eventId: string): Promise<number> {
  const { data, error } = await supabase().rpc("event_checkin_count", { p_event_id: eventId });
  throwIfError(error);
  return data ?? 0;
}

export interface StuckJob {
  job_id: string;
  display_name: string | null;
  status: string;
  created_at: string;
  device_id: string | null;
  device_name: string | null;
  reason: "queued_too_long" | "station_offline" | "no_print_station";
}

export async function fetchStuckJobs(eventId: string): Promise<StuckJob[]> {
  const { data, error } = await supabase().rpc("stuck_print_jobs", { p_event_id: eventId });
  throwIfError(error);
  return (data ?? []).map((row) => ({ ...row, reason: row.reason as StuckJob["reason"] }));
}

export async function moveJob(jobId: string, stationId: string): Promise<void> {
  const { error } = await supabase().rpc("move_print_job", { p_job_id: jobId, p_station_id: stationId });
  throwIfError(error);
}

export async function setKioskPin(eventId: string, pin: string): Promise<void> {
  const { error } = await supabase().rpc("set_kiosk_pin", { p_event_id: eventId, p_pin: pin });
  throwIfError(error);
}

/** A walk-in's ticked opt-in, recorded by staff with the disclosure text the person was shown. */
export async function recordWalkInOptIn(contactId: string, channel: Channel, disclosureId: string): Promise<void> {
  const { error } = await supabase().rpc("record_form_consent", {
    p_channel: channel,
    p_status: "opted_in",
    p_disclosure_id: disclosureId,
    p_contact_id: contactId,
  });
  throwIfError(error);
}
