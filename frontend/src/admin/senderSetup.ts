import type { Database } from "../lib/database.types";
import { throwIfError } from "../lib/errors";
import { supabase } from "../lib/supabase";
import { blankToNull } from "./messagingApi";

type SenderInsert = Database["public"]["Tables"]["senders"]["Insert"];

/** What an admin adds: a Twilio number, a Twilio Messaging Service, or a MailerSend identity. */
export type SenderKind = "twilio_number" | "twilio_service" | "mailersend";
export const SENDER_KINDS: readonly SenderKind[] = ["twilio_number", "twilio_service", "mailersend"];

export interface SenderDraft {
  kind: SenderKind;
  name: string;
  /** The number (twilio_number), the MG… SID (twilio_service) or the from address (mailersend). */
  address: string;
  fromName: string;
  replyTo: string;
  mps: string;
  dailyCap: string;
}

/** The senders row for a draft. Values are passed as typed: the table's checks decide what is
 * valid (E.164 number, MG + 32 hex, an email), so the form and the CLI obey one rule. */
export function senderRow(draft: SenderDraft): SenderInsert {
  const base = {
    name: draft.name.trim(),
    mps_segments: Number(draft.mps.trim() || "1"),
    daily_cap: draft.dailyCap.trim() === "" ? null : Number(draft.dailyCap),
  };
  const address = draft.address.trim();
  switch (draft.kind) {
    case "twilio_number":
      return { ...base, channel: "sms", provider: "twilio", from_number: address.replace(/[\s()-]/g, "") };
    case "twilio_service":
      return { ...base, channel: "sms", provider: "twilio", messaging_service_sid: address };
    case "mailersend":
      return {
        ...base,
        channel: "email",
        provider: "mailersend",
        from_email: address,
        from_name: blankToNull(draft.fromName),
        reply_to: blankToNull(draft.replyTo),
      };
  }
}

/** Admins add senders under RLS; the insert is audited by the table's trigger. */
export async function addSender(draft: SenderDraft): Promise<void> {
  const { error } = await supabase().from("senders").insert(senderRow(draft));
  throwIfError(error);
}

export type WebhookTarget = "twilioInbound" | "twilioStatus" | "mailersendEvents";

/** The URLs to paste into Twilio and MailerSend, under the webhook server's public base
 * (WEBHOOK_PUBLIC_URL, whose exact scheme, host and port Twilio's signature is computed over). */
export function webhookUrls(base: string): { target: WebhookTarget; url: string }[] {
  const root = base.trim().replace(/\/+$/, "");
  if (root === "") return [];
  return [
    { target: "twilioInbound", url: `${root}/twilio/inbound` },
    { target: "twilioStatus", url: `${root}/twilio/status` },
    { target: "mailersendEvents", url: `${root}/mailersend/events` },
  ];
}
