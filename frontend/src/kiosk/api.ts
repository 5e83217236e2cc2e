import { throwIfError } from "../lib/errors";
import { supabase } from "../lib/supabase";

/** Whether the signed-in attendee is checked in to the event (RLS: they read only their own). */
export async function isCheckedIn(eventId: string): Promise<boolean> {
  const { data, error } = await supabase().from("check_ins").select("id").eq("event_id", eventId).limit(1);
  throwIfError(error);
  return (data ?? []).length > 0;
}

/** The PIN is checked in SQL against a salted hash (never shipped in the bundle). */
export async function unlockKiosk(eventId: string, pin: string): Promise<boolean> {
  const { data, error } = await supabase().rpc("unlock_kiosk", { p_event_id: eventId, p_pin: pin });
  throwIfError(error);
  return data === true;
}
