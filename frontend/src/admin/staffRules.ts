import type { StaffLevel } from "../lib/staff";

const LEVELS: readonly StaffLevel[] = ["volunteer", "organizer", "admin", "owner"];

/** Levels the actor may give (owners: any; admins: any but owner). The database enforces
 * the same rule (assert_can_manage_staff); this only keeps impossible choices off screen. */
export function assignableLevels(actor: StaffLevel | null | undefined): StaffLevel[] {
  if (actor === "owner") return [...LEVELS];
  if (actor === "admin") return LEVELS.filter((level) => level !== "owner");
  return [];
}

/** Whether the actor may change, disable or reset a member at `target` (admins never manage owners). */
export function canManage(actor: StaffLevel | null | undefined, target: StaffLevel): boolean {
  return actor === "owner" || (actor === "admin" && target !== "owner");
}

export interface InvitationLink {
  email: string;
  code: string;
}

/** The email and one-time code from a set-password link's fragment (`#email=…&code=…`). */
export function parseInvitationLink(hash: string): InvitationLink | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const email = params.get("email")?.trim();
  const code = params.get("code");
  return email && code ? { email, code } : null;
}
