import { A } from "@solidjs/router";
import { createEffect, on, Show } from "solid-js";
import { locale } from "../lib/i18n";
import { createLiveQuery } from "../lib/liveQuery";
import { invalidateOnChanges } from "../lib/realtime";
import { session } from "../lib/session";
import { notifySuccess } from "../ui/notifications";
import { inboxKeys, listNotices } from "./api";
import { conversationsToLookAt, noticesToAnnounce } from "./logic";
import { t } from "./t";

/**
 * The signed-in person's inbox notices on every staff screen (the shell's header): a link to
 * their conversations while any notice is unread, and a toast when one arrives — someone
 * assigned them a conversation, or a contact wrote in one assigned to them. Live from Realtime
 * on their own rows (RLS); opening the conversation marks its notices read.
 */
export default function InboxNotices() {
  const userId = () => session()?.user.id ?? "signed-out";
  const notices = createLiveQuery(() => ({ queryKey: inboxKeys.notices(userId()), queryFn: listNotices }));
  invalidateOnChanges({ table: "inbox_notifications", filter: `recipient_id=eq.${userId()}`, queryKeys: [inboxKeys.notices(userId())] });
  let announcedUpTo: number | null = null;
  createEffect(
    on(
      () => notices().data,
      (pending) => {
        if (!pending) return;
        const next = noticesToAnnounce(pending, announcedUpTo);
        announcedUpTo = next.announcedUpTo;
        for (const kind of ["assigned", "new_message"] as const) {
          const count = next.announce.filter((notice) => notice.kind === kind).length;
          if (count === 1) notifySuccess(() => t(`notices.${kind}One`));
          else if (count > 1) notifySuccess(() => t(`notices.${kind}`, { count: String(count) }));
        }
      },
    ),
  );
  const count = () => conversationsToLookAt(notices().data ?? []);
  return (
    <Show when={count() > 0}>
      <A
        href="/inbox?filter=mine"
        lang={locale()}
        class="rounded-full bg-teal-800 px-3 py-1 text-sm font-semibold text-white hover:bg-teal-900 focus-visible:outline-3 focus-visible:outline-teal-600"
      >
        {count() === 1 ? t("notices.badgeOne") : t("notices.badge", { count: String(count()) })}
      </A>
    </Show>
  );
}
