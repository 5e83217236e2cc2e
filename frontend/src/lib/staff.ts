import { useQuery } from "@tanstack/solid-query";
import type { Database } from "./database.types";
import { throwIfError } from "./errors";
import { queryKeys } from "./query";
import { session } from "./session";
import { supabase } from "./supabase";

export type StaffLevel = Database["public"]["Enums"]["staff_level"];

const ORDER: readonly StaffLevel[] = ["volunteer", "organizer", "admin", "owner"];

/** Whether `level` (null = not staff) reaches `min`. The database enforces; this only hides. */
export function reaches(level: StaffLevel | null | undefined, min: StaffLevel): boolean {
  return level != null && ORDER.indexOf(level) >= ORDER.indexOf(min);
}

async function fetchStaffLevel(): Promise<StaffLevel | null> {
  const { data, error } = await supabase().rpc("my_staff_level");
  throwIfError(error);
  return data ?? null;
}

/** The signed-in person's staff level from `my_staff_level` (null: not staff or signed out). */
export function useStaffLevel() {
  return useQuery(() => {
    const userId = session()?.user.id;
    return {
      queryKey: queryKeys.staffLevel(userId ?? "signed-out"),
      queryFn: fetchStaffLevel,
      enabled: userId !== undefined,
    };
  });
}
