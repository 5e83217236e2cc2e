import type { Choice, RunRow } from "./api";
import type { AutomationRow } from "./rules";
import { isTrigger } from "./rules";
import { t } from "./t";

/** "12 h after a check-in", in the reader's language. */
export function whenText(row: AutomationRow): string {
  const kind = isTrigger(row.kind) ? row.kind : "after_check_in";
  return t(`when.${kind}`, { hours: String(row.delay_hours), days: String(row.inactive_days ?? "") });
}

/** "Send “Thanks” by SMS between 09:00 and 20:00 their time". */
export function doesText(row: AutomationRow, templates: readonly Choice[]): string {
  const action =
    row.action === "add_tag"
      ? t("does.tag", { tag: row.tag ?? "" })
      : t("does.send", {
          template: templates.find((template) => template.id === row.template_id)?.name ?? "…",
          channel: t(`channel.${row.channel === "email" ? "email" : "sms"}`),
        });
  if (!row.window_start || !row.window_end) return action;
  return `${action} ${t("does.window", { start: row.window_start.slice(0, 5), end: row.window_end.slice(0, 5) })}`;
}

/** A run's occasion as people read it: the event's name, "Birthday 2031", "No check-in since
 * 2030-01-10"… (public.automation_runs.occasion is the event id, birthday-YYYY, lapsed-DATE,
 * first, once, or run for a failed run). */
export function occasionText(occasion: string, events: readonly Choice[]): string {
  const event = events.find((candidate) => candidate.id === occasion);
  if (event) return event.name;
  const birthday = /^birthday-(\d{4})$/.exec(occasion);
  if (birthday) return t("occasion.birthday", { year: birthday[1] ?? "" });
  const lapsed = /^lapsed-(\d{4}-\d{2}-\d{2})$/.exec(occasion);
  if (lapsed) return t("occasion.lapsed", { date: lapsed[1] ?? "" });
  if (occasion === "first" || occasion === "once" || occasion === "run") return t(`occasion.${occasion}`);
  return occasion;
}

/** What a logged run did, as it was set when it ran: "Sent “Thanks” by SMS", "Added the tag
 * “newcomer”" (a failed run did nothing; its error says why). */
export function didText(run: Pick<RunRow, "action" | "channel" | "template_name" | "tag" | "status">): string {
  if (run.status === "failed") return "";
  if (run.action === "add_tag") return t("runs.tagged", { tag: run.tag ?? "" });
  if (run.action === "send_template") {
    return t("runs.sent", {
      template: run.template_name ?? "…",
      channel: t(`channel.${run.channel === "email" ? "email" : "sms"}`),
    });
  }
  return "";
}
