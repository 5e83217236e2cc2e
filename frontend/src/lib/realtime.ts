import { REALTIME_SUBSCRIBE_STATES, type RealtimeChannel } from "@supabase/supabase-js";
import { useQueryClient, type QueryKey } from "@tanstack/solid-query";
import { onCleanup } from "solid-js";
import { supabase } from "./supabase";

export interface ChangeSubscription {
  /** The table whose inserts, updates and deletes make `queryKeys` stale. */
  table: string;
  /** A postgres_changes filter, e.g. `event_id=eq.<uuid>`. */
  filter?: string;
  queryKeys: readonly QueryKey[];
  /** Also told of each change (and of a resubscribe or the tab showing again), for a query
   * whose refresh is the caller's to decide, e.g. a list of many loaded pages. */
  onChange?: () => void;
}

/**
 * Keep queries fresh from Realtime while the calling component lives: a change invalidates
 * the keys (never a hand-patched cache). Realtime does not replay what was missed while the
 * socket was down or the tab hidden, so it also refetches on (re)subscribe and when the tab
 * becomes visible again.
 */
export function invalidateOnChanges(subscription: ChangeSubscription): void {
  const queryClient = useQueryClient();
  const invalidate = () => {
    for (const queryKey of subscription.queryKeys) void queryClient.invalidateQueries({ queryKey });
    subscription.onChange?.();
  };
  const name = `${subscription.table}:${subscription.filter ?? "all"}:${crypto.randomUUID()}`;
  const channel: RealtimeChannel = supabase()
    .channel(name)
    .on(
      "postgres_changes",
      { event: "*", schema: "public", table: subscription.table, filter: subscription.filter },
      invalidate,
    )
    .subscribe((status) => {
      if (status === REALTIME_SUBSCRIBE_STATES.SUBSCRIBED) invalidate();
    });
  const onVisible = () => {
    if (document.visibilityState === "visible") invalidate();
  };
  document.addEventListener("visibilitychange", onVisible);
  onCleanup(() => {
    document.removeEventListener("visibilitychange", onVisible);
    void supabase().removeChannel(channel);
  });
}
