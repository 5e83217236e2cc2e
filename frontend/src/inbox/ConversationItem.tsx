import { Show } from "solid-js";
import { displayPhone } from "../lib/phone";
import type { ConversationRow } from "./api";
import { t } from "./t";

/** One conversation in the inbox list: who, unread count, last message, and whose it is
 * (`assignee` is the assigned colleague's name, null when nobody has it). */
export function ConversationItem(props: { row: ConversationRow; assignee: string | null; selected: boolean; onOpen: () => void }) {
  const name = () => props.row.contact_name ?? displayPhone(props.row.contact_phone) ?? t("unnamed");
  return (
    <li>
      <a
        href={`/inbox/${props.row.id}`}
        aria-current={props.selected ? "true" : undefined}
        class="block rounded-lg border border-stone-300 bg-white p-3 hover:bg-stone-50 aria-[current]:border-teal-800 aria-[current]:bg-teal-50"
        onClick={(event) => {
          event.preventDefault();
          props.onOpen();
        }}
      >
        <span class="flex items-center justify-between gap-2">
          <span class={props.row.unread_count > 0 ? "font-bold" : "font-medium"}>{name()}</span>
          <Show when={props.row.unread_count > 0}>
            <span class="rounded-full bg-teal-800 px-2 text-sm font-semibold text-white">
              <span aria-hidden="true">{props.row.unread_count}</span>
              <span class="sr-only">{t("unreadBadge", { count: props.row.unread_count })}</span>
            </span>
          </Show>
        </span>
        <span class="block truncate text-sm text-stone-700">{props.row.last_message_preview ?? ""}</span>
        <span class="block text-xs text-stone-700">
          {props.row.status === "closed"
            ? t("closedLabel")
            : props.assignee
              ? t("assignedTo", { name: props.assignee })
              : t("unassigned")}
        </span>
      </a>
    </li>
  );
}
