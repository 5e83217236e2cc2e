/** Duplicates across the CRM: the server groups and pairs (list_duplicate_pairs); this only shapes. */
import { throwIfError } from "../lib/errors";
import { supabase } from "../lib/supabase";

export const PAIRS_PAGE = 50;
export const PAIR_REASONS = ["phone", "email", "name"] as const;
export type PairReason = (typeof PAIR_REASONS)[number];

export interface PairSide {
  id: string;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  email: string | null;
}

/** Two live contacts that are probably one person; `older` is the one a merge usually keeps. */
export interface DuplicatePair {
  reason: PairReason;
  older: PairSide;
  newer: PairSide;
}

interface PairRow {
  reason: string;
  contact_id: string;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  email: string | null;
  duplicate_id: string;
  duplicate_first_name: string | null;
  duplicate_last_name: string | null;
  duplicate_phone: string | null;
  duplicate_email: string | null;
}

export function toPair(row: PairRow): DuplicatePair {
  const reason = PAIR_REASONS.find((item) => item === row.reason) ?? "name";
  return {
    reason,
    older: { id: row.contact_id, first_name: row.first_name, last_name: row.last_name, phone: row.phone, email: row.email },
    newer: {
      id: row.duplicate_id,
      first_name: row.duplicate_first_name,
      last_name: row.duplicate_last_name,
      phone: row.duplicate_phone,
      email: row.duplicate_email,
    },
  };
}

/** The contact page of the older contact, at its duplicates, where the side-by-side merge is. */
export function mergeHref(pair: DuplicatePair): string {
  return `/crm/contacts/${pair.older.id}#duplicates-title`;
}

/** Phone and email of one side, as one line ("" when it has neither). */
export function addresses(side: PairSide): string {
  return [side.phone, side.email].filter(Boolean).join(" · ");
}

/** A page of pairs; `more` when a next page may exist. */
export async function fetchDuplicatePairs(offset: number): Promise<{ pairs: DuplicatePair[]; more: boolean }> {
  const { data, error } = await supabase().rpc("list_duplicate_pairs", { p_limit: PAIRS_PAGE, p_offset: offset });
  throwIfError(error);
  const rows = (data ?? []) as PairRow[];
  return { pairs: rows.map(toPair), more: rows.length === PAIRS_PAGE };
}
