/**
 * Every failure the UI can show, as a stable code. The SQL functions refuse with
 * `P0001` and message = a code (see the migrations' headers); Auth answers with its own codes.
 * Screens show `errorMessages[code]` in the reader's language, never a raw server message.
 */

/** Refusal codes raised by SQL functions a screen calls (P0001, message = code; a malformed
 * argument as 22023, message = code). src/lib/refusal-codes.test.ts checks the migrations. */
export const REFUSAL_CODES = [
  "already_staff",
  "automation_channel_mismatch",
  "blast_has_no_recipients",
  "blast_missing_audience",
  "blast_missing_sender",
  "blast_missing_template",
  "blast_name_required",
  "blast_name_taken",
  "blast_not_found",
  "blast_sender_unavailable",
  "blast_template_channel_mismatch",
  "blast_variant_label_taken",
  "blast_variant_weights",
  "conflict",
  "consent_ledger_append_only",
  "contact_is_staff",
  "contact_not_found",
  "contact_opted_out",
  "disclosure_required",
  "empty_message",
  "event_capacity_invalid",
  "event_ends_before_start",
  "event_full",
  "event_name_required",
  "event_not_found",
  "event_over",
  "event_slug_invalid",
  "event_slug_taken",
  "expired_token",
  "help_reply_incomplete",
  "invalid_ab_test",
  "invalid_argument",
  "invalid_automation",
  "invalid_blast_channel",
  "invalid_blast_spec",
  "invalid_blast_transition",
  "invalid_email",
  "invalid_page_cursor",
  "invalid_phone",
  "invalid_pin",
  "invalid_preferences",
  "invalid_row",
  "invalid_schedule",
  "invalid_segment",
  "invalid_status",
  "invalid_token",
  "invalid_transition",
  "invalid_variant",
  "invitation_expired",
  "job_not_movable",
  "kiosk_pin_locked",
  "kiosk_pin_not_set",
  "last_owner",
  "level_required",
  "malformed_merge_field",
  "no_invitation",
  "no_own_address",
  "no_print_station",
  "no_sms_consent",
  "not_allowed",
  "not_mergeable",
  "not_open",
  "not_staff",
  "registration_required",
  "reprint_limit",
  "segment_in_use",
  "segment_name_taken",
  "segment_not_found",
  "sender_not_found",
  "station_disabled",
  "station_name_taken",
  "template_name_taken",
  "template_not_found",
  "test_limit_reached",
  "too_many_attempts",
  "too_many_rsvps",
  "unknown_attendee",
  "unknown_automation",
  "unknown_channel",
  "unknown_check_in",
  "unknown_contact",
  "unknown_conversation",
  "unknown_disclosure",
  "unknown_event",
  "unknown_import",
  "unknown_invitation",
  "unknown_job",
  "unknown_merge_field",
  "unknown_message",
  "unknown_pairing",
  "unknown_sender",
  "unknown_station",
  "unknown_user",
  "unknown_webhook_event",
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

/** Auth failures people cause by ordinary use. */
export const AUTH_CODES = [
  "invalid_credentials",
  "mfa_challenge_expired",
  "mfa_verification_failed",
  "otp_expired",
  "over_sms_send_rate_limit",
  "sms_send_failed",
  "weak_password",
  "same_password",
] as const;
export type AuthCode = (typeof AUTH_CODES)[number];

export type ErrorCode = RefusalCode | AuthCode | "duplicate" | "network" | "session_expired" | "unexpected";

/** A failure with its code; query and mutation functions throw it so screens need not parse. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    override readonly cause?: unknown,
  ) {
    super(code);
    this.name = "AppError";
  }
}

const INVALID_INPUT_SQLSTATES = ["23502", "23514", "22P02", "22003", "22007", "22008"] as const;

function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === "string" && (list as readonly string[]).includes(value);
}

function field(error: unknown, name: string): unknown {
  return typeof error === "object" && error !== null ? (error as Record<string, unknown>)[name] : undefined;
}

/** The code for anything thrown or returned by supabase-js (PostgREST, Auth, fetch). */
export function errorCode(error: unknown): ErrorCode {
  if (error instanceof AppError) return error.code;
  const code = field(error, "code");
  const message = field(error, "message");
  const status = field(error, "status");
  // 22023 (invalid_parameter_value): the blast and preference functions refuse a malformed
  // argument with it, and name the refusal in the message like P0001 does.
  if ((code === "P0001" || code === "22023") && isOneOf(REFUSAL_CODES, message)) return message;
  if (code === "42501") return "not_allowed";
  // A check constraint, a missing value or a malformed number/time: the form's input is wrong.
  if (isOneOf(INVALID_INPUT_SQLSTATES, code)) return "invalid_argument";
  // A unique constraint: the name, number or address is already taken by another row.
  if (code === "23505") return "duplicate";
  if (code === "PGRST301" || code === "PGRST303" || code === "refresh_token_not_found") return "session_expired";
  if (isOneOf(AUTH_CODES, code)) return code;
  if (code === "over_request_rate_limit" || status === 429) return "over_sms_send_rate_limit";
  if (error instanceof TypeError || field(error, "name") === "AuthRetryableFetchError") return "network";
  if (typeof message === "string" && /failed to fetch|networkerror|load failed/i.test(message)) return "network";
  return "unexpected";
}

/** Throw an AppError for a supabase-js `{ error }` result; keeps the original as its cause. */
export function throwIfError(error: unknown): void {
  if (error) {
    const code = errorCode(error);
    if (code === "unexpected") console.error("Unexpected Supabase error", error);
    throw new AppError(code, error);
  }
}
