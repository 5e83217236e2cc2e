import type { Database } from "../lib/database.types";
import { throwIfError } from "../lib/errors";
import { supabase } from "../lib/supabase";

type StationRow =
  Database["public"]["Functions"]["admin_print_stations"]["Returns"][number];
type NullableStationColumn =
  | "venue"
  | "cups_queue"
  | "last_seen_at"
  | "printer_state"
  | "printer_state_reason"
  | "agent_version"
  | "last_error"
  | "last_error_at";

/** One row of `admin_print_stations()`: a station and its health (admins at aal2 only). The
 * type generator marks a function's columns as never null; these are null until known. */
export type PrintStation = Omit<StationRow, NullableStationColumn> & {
  [column in NullableStationColumn]: StationRow[column] | null;
};

export type StationPairing = Pick<
  Database["public"]["Tables"]["station_pairings"]["Row"],
  | "id"
  | "name"
  | "venue"
  | "cups_queue"
  | "status"
  | "expires_at"
  | "error"
  | "created_at"
>;

export interface EventChoice {
  id: string;
  name: string;
  starts_at: string;
}

/** What the admin is shown once after registering: the code is never readable again. */
export interface PairingCode {
  pairingId: string;
  name: string;
  code: string;
  expiresAt: string;
}

/** Health changes with the clock (a Pi that stops beating goes offline without a row changing),
 * so the page polls, like the health page. */
export const STATIONS_REFRESH_MS = 5_000;

export const stationKeys = {
  stations: () => ["rpc", "admin_print_stations"] as const,
  pairings: () => ["station_pairings"] as const,
  events: () => ["events", "station_choices"] as const,
};

export type StationStatus = "online" | "offline" | "disabled";

export function stationStatus(
  station: Pick<PrintStation, "enabled" | "online">,
): StationStatus {
  if (!station.enabled) return "disabled";
  return station.online ? "online" : "offline";
}

export type PairingState =
  "waiting" | "expired" | "pairing" | "paired" | "failed";

/** A waiting code past its expiry can no longer be spent; say so rather than "waiting". */
export function pairingState(
  pairing: Pick<StationPairing, "status" | "expires_at">,
  now: Date,
): PairingState {
  switch (pairing.status) {
    case "waiting":
      return new Date(pairing.expires_at) <= now ? "expired" : "waiting";
    case "redeemed":
    case "pairing":
      return "pairing";
    case "paired":
      return "paired";
    default:
      return "failed";
  }
}

/** The command to type on the Pi. */
export function pairCommand(code: string): string {
  return `hm pi pair ${code}`;
}

export async function fetchStations(): Promise<PrintStation[]> {
  const { data, error } = await supabase().rpc("admin_print_stations");
  throwIfError(error);
  return data ?? [];
}

/** Registrations of the last day that are not paired yet (paired ones are stations). */
export async function fetchPairings(): Promise<StationPairing[]> {
  const since = new Date(Date.now() - 86_400_000).toISOString();
  const { data, error } = await supabase()
    .from("station_pairings")
    .select(
      "id, name, venue, cups_queue, status, expires_at, error, created_at",
    )
    .neq("status", "paired")
    .gte("created_at", since)
    .order("created_at", { ascending: false });
  throwIfError(error);
  return data ?? [];
}

/** Events a station could print for: those not over more than a month ago. */
export async function fetchEventChoices(): Promise<EventChoice[]> {
  const since = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const { data, error } = await supabase()
    .from("events")
    .select("id, name, starts_at")
    .gte("ends_at", since)
    .order("starts_at")
    .limit(200);
  throwIfError(error);
  return data ?? [];
}

export async function registerStation(input: {
  name: string;
  venue: string | null;
  cupsQueue: string | null;
}): Promise<PairingCode> {
  const { data, error } = await supabase().rpc("register_print_station", {
    p_name: input.name,
    ...(input.venue ? { p_venue: input.venue } : {}),
    ...(input.cupsQueue ? { p_cups_queue: input.cupsQueue } : {}),
  });
  throwIfError(error);
  const row = data?.[0];
  if (!row) throw new Error("register_print_station returned no code");
  return {
    pairingId: row.pairing_id,
    name: input.name,
    code: row.code,
    expiresAt: row.expires_at,
  };
}

export async function setStationEnabled(
  stationId: string,
  enabled: boolean,
): Promise<void> {
  const { error } = await supabase().rpc("set_print_station_enabled", {
    p_device_id: stationId,
    p_enabled: enabled,
  });
  throwIfError(error);
}

export async function sendTestPrint(stationId: string): Promise<void> {
  const { error } = await supabase().rpc("queue_test_print", {
    p_device_id: stationId,
  });
  throwIfError(error);
}

export async function assignStation(
  stationId: string,
  eventId: string,
): Promise<void> {
  const { error } = await supabase()
    .from("event_print_stations")
    .insert({ event_id: eventId, device_id: stationId });
  throwIfError(error);
}

export async function unassignStation(
  stationId: string,
  eventId: string,
): Promise<void> {
  const { error } = await supabase()
    .from("event_print_stations")
    .delete()
    .eq("event_id", eventId)
    .eq("device_id", stationId);
  throwIfError(error);
}
