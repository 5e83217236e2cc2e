/** Duplicates and the side-by-side merge: the server finds and merges; this only chooses. */
import type { Database } from "../lib/database.types";
import { AppError, throwIfError } from "../lib/errors";
import { displayPhone } from "../lib/phone";
import { supabase } from "../lib/supabase";

type Contact = Database["public"]["Tables"]["contacts"]["Row"];

export const MERGE_FIELDS = ["first_name", "last_name", "phone", "email", "company", "title", "pronouns"] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];
export type Side = "kept" | "duplicate";
export type DuplicateReason = "phone" | "email" | "name";

export interface Duplicate {
  contact_id: string;
  reason: DuplicateReason;
  first_name: string | null;
  last_name: string | null;
}

/** What wins by default: the kept contact's value, unless only the duplicate has one. */
export function defaultChoices(kept: Pick<Contact, MergeField>, duplicate: Pick<Contact, MergeField>): Record<MergeField, Side> {
  const choices = {} as Record<MergeField, Side>;
  for (const field of MERGE_FIELDS) {
    choices[field] = kept[field] === null && duplicate[field] !== null ? "duplicate" : "kept";
  }
  return choices;
}

/** The fields to take from the duplicate (what merge_contacts_choosing expects). */
export function takenFromDuplicate(choices: Record<MergeField, Side>): MergeField[] {
  return MERGE_FIELDS.filter((field) => choices[field] === "duplicate");
}

/** What the kept contact will look like after the merge, field by field. */
export function survivingValues(
  kept: Pick<Contact, MergeField>,
  duplicate: Pick<Contact, MergeField>,
  choices: Record<MergeField, Side>,
): Record<MergeField, string | null> {
  const result = {} as Record<MergeField, string | null>;
  for (const field of MERGE_FIELDS) result[field] = choices[field] === "duplicate" ? duplicate[field] : kept[field];
  return result;
}

/** A field's value as the merge screen shows it: a phone as people write it, not E.164. */
export function displayValue(field: MergeField, value: string | null): string | null {
  return field === "phone" ? displayPhone(value) ?? null : value;
}

export async function findDuplicates(contactId: string): Promise<Duplicate[]> {
  const { data, error } = await supabase().rpc("find_duplicate_contacts", { p_contact_id: contactId });
  throwIfError(error);
  return (data ?? []).map((row) => ({
    contact_id: row.contact_id,
    reason: row.reason as DuplicateReason,
    first_name: row.first_name,
    last_name: row.last_name,
  }));
}

export async function fetchDuplicate(contactId: string): Promise<Contact> {
  const { data, error } = await supabase().from("contacts").select("*").eq("id", contactId).maybeSingle();
  throwIfError(error);
  if (!data) throw new AppError("unknown_contact");
  return data;
}

export async function mergeInto(keptId: string, duplicateId: string, choices: Record<MergeField, Side>): Promise<void> {
  const { error } = await supabase().rpc("merge_contacts_choosing", {
    p_keep: keptId,
    p_merge: duplicateId,
    p_take_from_merge: takenFromDuplicate(choices),
  });
  throwIfError(error);
}
