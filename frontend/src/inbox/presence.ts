import { REALTIME_SUBSCRIBE_STATES } from "@supabase/supabase-js";
import { createEffect, createSignal, onCleanup, type Accessor } from "solid-js";
import { session } from "../lib/session";
import { supabase } from "../lib/supabase";

/** Who else has this conversation open, as user ids (Realtime presence, one key per staff member;
 * the screen names them from the staff directory). */
export function useViewers(conversationId: Accessor<string>): Accessor<string[]> {
  const [viewers, setViewers] = createSignal<string[]>([]);
  createEffect(() => {
    const me = session()?.user;
    if (!me) return;
    const channel = supabase().channel(`inbox:conversation:${conversationId()}`, {
      config: { presence: { key: me.id } },
    });
    channel
      .on("presence", { event: "sync" }, () => {
        setViewers(Object.keys(channel.presenceState()).filter((key) => key !== me.id));
      })
      .subscribe((status) => {
        if (status === REALTIME_SUBSCRIBE_STATES.SUBSCRIBED) void channel.track({ user_id: me.id });
      });
    onCleanup(() => {
      setViewers([]);
      void supabase().removeChannel(channel);
    });
  });
  return viewers;
}
