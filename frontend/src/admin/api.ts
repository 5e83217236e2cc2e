import type { Database } from "../lib/database.types";
import { throwIfError } from "../lib/errors";
import type { StaffLevel } from "../lib/staff";
import { supabase } from "../lib/supabase";

export type StaffMember = Database["public"]["Functions"]["list_staff"]["Returns"][number];
export type StaffInvitation = Pick<
  Database["public"]["Tables"]["staff_invitations"]["Row"],
  "id" | "purpose" | "email" | "level" | "display_name" | "status" | "sent_at" | "last_error" | "created_at"
>;

/** Query keys name the table or RPC they read, so Realtime can invalidate by table. */
export const adminKeys = {
  staff: () => ["rpc", "list_staff"] as const,
  invitations: () => ["staff_invitations", "recent"] as const,
  twoFactor: () => ["rpc", "staff_two_factor_status"] as const,
};

/** Staff with their login emails (admins only; list_staff refuses anyone else). */
export async function fetchStaff(): Promise<StaffMember[]> {
  const { data, error } = await supabase().rpc("list_staff");
  throwIfError(error);
  return data ?? [];
}

/** Which staff members have a verified second factor, by user id (admins at aal2 only). */
export async function fetchTwoFactorStatus(): Promise<Map<string, boolean>> {
  const { data, error } = await supabase().rpc("staff_two_factor_status");
  throwIfError(error);
  return new Map((data ?? []).map((row) => [row.user_id, row.enrolled]));
}

/** The latest invitations and resets (RLS: admins read them, nobody else). */
export async function fetchInvitations(): Promise<StaffInvitation[]> {
  const { data, error } = await supabase()
    .from("staff_invitations")
    .select("id, purpose, email, level, display_name, status, sent_at, last_error, created_at")
    .order("created_at", { ascending: false })
    .limit(50);
  throwIfError(error);
  return data ?? [];
}

/** Insert the invitation under RLS; the worker creates the login and emails the link. Inviting
 * an email again is a resend: the newer row supersedes the older one. */
export async function inviteStaff(email: string, level: StaffLevel, displayName: string | null): Promise<void> {
  const { error } = await supabase()
    .from("staff_invitations")
    .insert({ email, level, display_name: displayName });
  throwIfError(error);
}

export async function requestPasswordReset(email: string): Promise<void> {
  const { error } = await supabase().from("staff_invitations").insert({ purpose: "password_reset", email });
  throwIfError(error);
}

export async function setStaffLevel(userId: string, level: StaffLevel): Promise<void> {
  const { error } = await supabase().rpc("set_staff_level", { p_user_id: userId, p_level: level });
  throwIfError(error);
}

export async function setStaffStatus(userId: string, status: "active" | "disabled"): Promise<void> {
  const { error } = await supabase().rpc("set_staff_status", { p_user_id: userId, p_status: status });
  throwIfError(error);
}

/** Owners: remove a member's second factor (a lost phone); they enrol again at their next
 * admin page. Returns how many factors were removed. */
export async function resetStaffTwoFactor(userId: string): Promise<number> {
  const { data, error } = await supabase().rpc("reset_staff_two_factor", { p_user_id: userId });
  throwIfError(error);
  return data ?? 0;
}

/** On the set-password page: sign in with the link's one-time code, set the person's own
 * password, then accept (an invited member becomes active). Returns the user's id. */
export async function setPasswordFromLink(email: string, code: string, password: string): Promise<string> {
  const auth = supabase().auth;
  const signIn = await auth.signInWithPassword({ email, password: code });
  throwIfError(signIn.error);
  const update = await auth.updateUser({ password });
  throwIfError(update.error);
  const { error } = await supabase().rpc("accept_staff_invitation");
  throwIfError(error);
  return update.data.user?.id ?? "";
}
