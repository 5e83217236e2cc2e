import { REALTIME_SUBSCRIBE_STATES } from "@supabase/supabase-js";
import { createEffect, createSignal, onCleanup, type Accessor } from "solid-js";
import { session } from "../lib/session";
import { supabase } from "../lib/supabase";

interface ViewerMeta {
  name?: string;
}

/** Who else has this conversation open (Realtime presence, one key per staff member). */
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
        const state = channel.presenceState<ViewerMeta>();
        const names = Object.entries(state)
          .filter(([key]) => key !== me.id)
          .map(([key, metas]) => metas[0]?.name ?? key.slice(0, 8));
        setViewers([...new Set(names)].sort());
      })
      .subscribe((status) => {
        if (status === REALTIME_SUBSCRIBE_STATES.SUBSCRIBED) void channel.track({ name: me.email ?? me.id });
      });
    onCleanup(() => {
      setViewers([]);
      void supabase().removeChannel(channel);
    });
  });
  return viewers;
}
