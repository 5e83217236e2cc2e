/** A timeline entry in the reader's language. The SQL returns kind + detail, never prose, so a
 * Spanish reader gets Spanish sentences. */
import type { ActivityEntry } from "./api";
import { t } from "./t";

function text(detail: Record<string, unknown>, key: string): string {
  const value = detail[key];
  return typeof value === "string" ? value : "";
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function consentStatus(status: string): string {
  return status === "opted_in" || status === "opted_out" ? t(`contact.consentStatus.${status}`) : status;
}

function channelName(channel: string): string {
  return channel === "sms" || channel === "email" ? t(`contact.channel.${channel}`) : channel;
}

/** An email's first click (which proves an open), else its first open, after its title. */
function withEngagement(title: string, detail: Record<string, unknown>): string {
  if (text(detail, "clicked_at")) return `${title} · ${t("activity.clicked")}`;
  if (text(detail, "opened_at")) return `${title} · ${t("activity.opened")}`;
  return title;
}

export interface DescribedActivity {
  title: string;
  /** The interaction's full text, shown under the title. */
  body: string | null;
  /** The campaign a message came from. */
  note: string | null;
}

export function describeActivity(entry: Pick<ActivityEntry, "kind" | "detail">): DescribedActivity {
  const detail = asRecord(entry.detail);
  switch (entry.kind) {
    case "check_in":
      return { title: t("activity.check_in", { event: text(detail, "event_name") }), body: null, note: null };
    case "print":
      return {
        title: t(detail.reprint === true ? "activity.reprint" : "activity.print", { status: text(detail, "status") }),
        body: null,
        note: null,
      };
    case "interaction": {
      const kind = text(detail, "kind");
      const label = kind === "note" || kind === "call" || kind === "meeting" || kind === "email" ? t(`kinds.${kind}`) : kind;
      return { title: label, body: text(detail, "body"), note: null };
    }
    case "message": {
      const inbound = detail.direction === "inbound";
      const email = detail.channel === "email";
      const values = { body: text(detail, "body"), subject: text(detail, "subject"), status: text(detail, "status") };
      const key = email
        ? inbound ? "activity.email_inbound" : "activity.email_outbound"
        : inbound ? "activity.message_inbound" : "activity.message_outbound";
      const blast = text(detail, "blast_name");
      return { title: withEngagement(t(key, values), detail), body: null, note: blast ? t("activity.blast", { blast }) : null };
    }
    case "conversation":
      return { title: t("activity.conversation"), body: null, note: null };
    case "consent":
      return {
        title: t("activity.consent", {
          channel: channelName(text(detail, "channel")),
          status: consentStatus(text(detail, "status")),
          source: text(detail, "source"),
        }),
        body: text(detail, "note") || null,
        note: null,
      };
    case "merge":
      return {
        title: t("activity.merge", {
          name: [text(detail, "first_name"), text(detail, "last_name")].filter(Boolean).join(" ") || t("list.unnamed"),
        }),
        body: null,
        note: null,
      };
    case "created":
      return {
        title: t("activity.created", { source: text(detail, "source") || t("activity.unknownSource") }),
        body: null,
        note: null,
      };
    default:
      return { title: entry.kind, body: null, note: null };
  }
}
