import { useMutation, useQueryClient } from "@tanstack/solid-query";
import { Show } from "solid-js";
import { errorCode } from "../lib/errors";
import { locale, pluralForm } from "../lib/i18n";
import { createLiveQuery } from "../lib/liveQuery";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { notifySuccess } from "../ui/notifications";
import { eventKeys, fetchPassSummary, sendPasses } from "./api";
import { DataBlock } from "../ui/DataBlock";
import { t } from "./t";

/** "Send each RSVP'd person their pass": how many would go and how many cannot be reached,
 * then one click queues them (the database sends each person's pass once, whatever the clicks). */
export function RsvpPasses(props: { eventId: string; over: boolean }) {
  const queryClient = useQueryClient();
  const summary = createLiveQuery(() => ({
    queryKey: eventKeys.passSummary(props.eventId),
    queryFn: () => fetchPassSummary(props.eventId),
  }));
  const send = useMutation(() => ({
    mutationFn: () => sendPasses(props.eventId, window.location.origin),
    onSuccess: (sent) => {
      notifySuccess(() => t(`passes.sent.${pluralForm(locale(), sent.enqueued)}`, { count: sent.enqueued }));
      void queryClient.invalidateQueries({ queryKey: eventKeys.passSummary(props.eventId) });
    },
  }));
  return (
    <section class="space-y-2 rounded-xl border border-stone-300 bg-white p-4" aria-labelledby="passes-title">
      <h2 id="passes-title" class="text-xl font-semibold">{t("passes.title")}</h2>
      <p>{t("passes.intro")}</p>
      <DataBlock data={summary().data} error={summary().error}>
        {(counts) => (
          <>
            <p role="status" data-testid="pass-summary">
              {t("passes.summary", {
                toSend: counts().to_send,
                without: counts().without_address,
                sent: t(`passes.alreadySent.${pluralForm(locale(), counts().already_sent)}`, { count: counts().already_sent }),
              })}
            </p>
            <ErrorAlert code={send.error ? errorCode(send.error) : null} />
            <Show when={!props.over} fallback={<p>{t("passes.over")}</p>}>
              <Button disabled={send.isPending || counts().to_send === 0} onClick={() => { send.mutate(); }}>
                {send.isPending ? t("passes.sending") : t(`passes.send.${pluralForm(locale(), counts().to_send)}`, { count: counts().to_send })}
              </Button>
            </Show>
          </>
        )}
      </DataBlock>
    </section>
  );
}
