import { REFUSAL_CODES } from "./errors";
import { errorMessages } from "./i18n/error-messages";

/** Every migration's text: a refusal the database raises is read here, not listed by hand. */
const migrations = import.meta.glob<string>("../../../supabase/migrations/*.sql", {
  eager: true,
  query: "?raw",
  import: "default",
});

/** Codes the SQL raises that no screen can receive: they answer the workers, the webhook server
 * or the print agent (service_role / device calls), or are caught inside the function that raises
 * them. A screen that starts calling one of these functions must map its code instead. */
const INTERNAL_CODES = [
  "attempt_required", // resolve_unresolved_send_v2 (workers)
  "fold_cannot_see_sessions", // fold_dashboard (workers, pg_cron): a deployment error for operators
  "import_stalled", // import_contact_rows: an invariant ("cannot happen"), shown as unexpected
  "invalid_heartbeat", // record_process_heartbeat (workers, print agent)
  "invalid_inbound_payload", // handle_inbound_sms (webhook server)
  "invalid_media", // record_inbound_media (webhook server)
  "invalid_outcome", // finish_print_job (print agent)
  "invalid_payload", // store_webhook_event (webhook server)
  "invalid_status_callback", // handle_sms_status (webhook server)
  "lease_lost", // start_print_job (print agent)
  "message_id_and_provider_id_required", // record_messages_sent (workers)
  "preview_done", // preview_contact_import raises and catches it to roll its trial run back
  "provider_id_mismatch", // record_message_sent (workers)
  "provider_id_required", // record_message_sent (workers)
  "results_must_be_an_array", // record_messages_sent (workers)
  "status_moves_forward_only", // messages_guard_status: provider callbacks (webhook server)
  "unknown_erasure", // record_erasure_done / _failed (workers)
  "unknown_provider", // store_webhook_event (webhook server)
  "worker_id_required", // claim_outbound_messages (workers)
];

function raisedCodes(): Set<string> {
  const codes = new Set<string>();
  for (const text of Object.values(migrations)) {
    for (const match of text.matchAll(/\bmessage\s*=\s*'([a-z0-9_]+)'/g)) {
      if (match[1]) codes.add(match[1]);
    }
  }
  return codes;
}

describe("refusal codes", () => {
  it("reads the migrations", () => {
    expect(Object.keys(migrations).length).toBeGreaterThan(50);
    expect(raisedCodes()).toContain("not_allowed");
  });

  it("maps every code a migration raises, or names it as internal", () => {
    const known = new Set<string>([...REFUSAL_CODES, ...INTERNAL_CODES]);
    expect([...raisedCodes()].filter((code) => !known.has(code)).sort()).toEqual([]);
  });

  it("keeps the internal list honest: each is raised, none is also mapped", () => {
    const raised = raisedCodes();
    expect(INTERNAL_CODES.filter((code) => !raised.has(code))).toEqual([]);
    expect(INTERNAL_CODES.filter((code) => (REFUSAL_CODES as readonly string[]).includes(code))).toEqual([]);
  });

  it("has words for every mapped code", () => {
    for (const language of ["en", "es"] as const) {
      expect(REFUSAL_CODES.filter((code) => !errorMessages[language][code])).toEqual([]);
    }
  });
});
