/** A contact's GDPR rights as admins exercise them: the export of everything held about them, and
 * the erase request with its progress (admins read gdpr_requests). */
import type { Database } from "../lib/database.types";
import { throwIfError } from "../lib/errors";
import { supabase } from "../lib/supabase";

export type ErasureRequest = Pick<
  Database["public"]["Tables"]["gdpr_requests"]["Row"],
  "id" | "requested_at" | "rows_erased_at" | "completed_at" | "attempts" | "last_error"
>;

export type ErasureStage = "requested" | "rows_erased" | "retrying" | "completed";

/** Where an erase stands: asked for, rows anonymised, files and login failing, or all gone. */
export function erasureStage(request: ErasureRequest): ErasureStage {
  if (request.completed_at !== null) return "completed";
  if (request.rows_erased_at === null) return "requested";
  return request.last_error === null ? "rows_erased" : "retrying";
}

/** The newest erase request for a contact (null: none, or the caller is not an admin). */
export async function fetchErasure(contactId: string): Promise<ErasureRequest | null> {
  const { data, error } = await supabase()
    .from("gdpr_requests")
    .select("id, requested_at, rows_erased_at, completed_at, attempts, last_error")
    .eq("contact_id", contactId)
    .eq("kind", "erase")
    .order("requested_at", { ascending: false })
    .limit(1)
    .maybeSingle();
  throwIfError(error);
  return data;
}

/** Anonymise the contact now; a worker then deletes their files and login. */
export async function eraseContact(contactId: string): Promise<void> {
  const { error } = await supabase().rpc("gdpr_erase", { p_contact_id: contactId, p_note: "Erased from the contact page." });
  throwIfError(error);
}

/** Everything held about the contact, messaging included, as the JSON document gdpr_export builds
 * (admins only: the server refuses anyone else). */
export async function exportContactData(contactId: string): Promise<string> {
  const { data, error } = await supabase().rpc("gdpr_export", { p_contact_id: contactId });
  throwIfError(error);
  return JSON.stringify(data, null, 2);
}
