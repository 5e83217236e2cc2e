import { A, useParams } from "@solidjs/router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/solid-query";
import { Match, Show, Switch, untrack } from "solid-js";
import { errorCode } from "../lib/errors";
import { tCommon } from "../lib/i18n";
import { createLiveQuery } from "../lib/liveQuery";
import { invalidateOnChanges } from "../lib/realtime";
import { RequireStaff } from "../staff/RequireStaff";
import { fetchMessagingFacts, templateKeys } from "../templates/api";
import { ErrorAlert } from "../ui/ErrorAlert";
import { notifyError, notifySuccess } from "../ui/notifications";
import {
  blastKeys,
  controlBlast,
  fetchBlast,
  previewBlast,
  type Blast,
  type Control,
} from "./api";
import { BlastPreview } from "./BlastPreview";
import { BlastProgress } from "./BlastProgress";
import { BlastResults } from "./BlastResults";
import { ConfirmButton } from "./ConfirmButton";
import { count, when } from "./format";
import { progressOf, progressRefetchMs } from "./progress";
import { t } from "./t";

const DONE_MESSAGE: Record<
  Control,
  | "controls.started"
  | "controls.paused"
  | "controls.resumed"
  | "controls.cancelled"
> = {
  start: "controls.started",
  pause: "controls.paused",
  resume: "controls.resumed",
  cancel: "controls.cancelled",
};

/** Start / pause / resume / cancel, each confirmed with what it will do. */
function Controls(props: { blast: Blast }) {
  const queryClient = useQueryClient();
  const notStarted = () =>
    props.blast.status === "draft" || props.blast.status === "scheduled";
  const preview = useQuery(() => ({
    queryKey: blastKeys.preview(props.blast.id),
    queryFn: () => previewBlast(props.blast.id),
    enabled: notStarted(),
    staleTime: 0,
  }));
  const control = useMutation(() => ({
    mutationFn: (action: Control) => controlBlast(props.blast.id, action),
    onSuccess: async (_result: unknown, action: Control) => {
      notifySuccess(() => t(DONE_MESSAGE[action]));
      await queryClient.invalidateQueries({ queryKey: ["blasts"] });
    },
    onError: (error: unknown) => notifyError(error),
  }));
  const numbers = () => {
    const p = progressOf(props.blast);
    return {
      sent: count(p.sent),
      total: count(p.total),
      toSend: count(p.toSend),
    };
  };
  const recipients = () => count(preview.data?.recipients ?? 0);
  return (
    <section aria-labelledby="blast-controls-title" class="space-y-3">
      <h2 id="blast-controls-title" class="text-xl font-bold">
        {t("controls.title")}
      </h2>
      <div class="flex flex-wrap gap-3">
        <Show when={notStarted()}>
          <ConfirmButton
            label={t("controls.start")}
            title={t("controls.confirmStart", { count: recipients() })}
            body={t("controls.startBody", { count: recipients() })}
            confirm={t("controls.start")}
            disabled={control.isPending || preview.data?.startable !== true}
            onConfirm={() => {
              control.mutate("start");
            }}
          />
        </Show>
        <Show when={props.blast.status === "sending"}>
          <ConfirmButton
            label={t("controls.pause")}
            title={t("controls.confirmPause")}
            body={t("controls.pauseBody", numbers())}
            confirm={t("controls.pause")}
            disabled={control.isPending}
            onConfirm={() => {
              control.mutate("pause");
            }}
          />
        </Show>
        <Show when={props.blast.status === "paused"}>
          <ConfirmButton
            label={t("controls.resume")}
            title={t("controls.confirmResume")}
            body={t("controls.resumeBody", numbers())}
            confirm={t("controls.resume")}
            disabled={control.isPending}
            onConfirm={() => {
              control.mutate("resume");
            }}
          />
        </Show>
        <ConfirmButton
          label={t("controls.cancel")}
          title={t("controls.confirmCancel")}
          body={t("controls.cancelBody", numbers())}
          confirm={t("controls.cancel")}
          danger
          disabled={control.isPending}
          onConfirm={() => {
            control.mutate("cancel");
          }}
        />
      </div>
    </section>
  );
}

// Keyed by id (the route re-creates it), so the id is read once.
function BlastScreen(props: { id: string }) {
  const id = untrack(() => props.id);
  const blast = createLiveQuery(() => ({
    queryKey: blastKeys.one(id),
    queryFn: () => fetchBlast(id),
    staleTime: 0,
    refetchInterval: (query) => progressRefetchMs(query.state.data?.status),
  }));
  const facts = useQuery(() => ({
    queryKey: templateKeys.facts(),
    queryFn: fetchMessagingFacts,
  }));
  // The counters arrive with the blast row about once a second while it sends (Realtime wakes
  // the page; the poll above bounds the lag when Realtime's feed is behind).
  invalidateOnChanges({
    table: "blasts",
    filter: `id=eq.${id}`,
    queryKeys: [
      blastKeys.one(id),
      blastKeys.results(id),
      ["rpc", "blast_recipient_results", id],
    ],
  });
  return (
    <section class="space-y-4">
      <A href="/messaging/blasts" class="text-teal-800 underline">
        {t("page.back")}
      </A>
      <Show when={blast().error}>
        <ErrorAlert code={errorCode(blast().error)} />
      </Show>
      <Show
        when={blast().data}
        fallback={
          <Show when={!blast().error}>
            <p role="status">{tCommon("loading")}</p>
          </Show>
        }
      >
        {(b) => (
          <>
            <h1 class="text-2xl font-bold">{b().name}</h1>
            <p class="text-lg">
              <span class="font-semibold" data-testid="blast-status">
                {t(`status.${b().status}`)}
              </span>{" "}
              · {t(`channel.${b().channel}`)}
            </p>
            <Show when={b().status === "scheduled" && b().scheduled_at}>
              {(at) => (
                <p>
                  {t("page.scheduledFor", {
                    when: when(at(), facts.data?.orgTimeZone),
                    zone: facts.data?.orgTimeZone ?? "",
                  })}
                </p>
              )}
            </Show>
            <Show when={b().status === "paused" && b().paused_reason}>
              {(reason) => (
                <p
                  class="rounded-lg border border-amber-700 bg-amber-50 p-3"
                  data-testid="paused-reason"
                >
                  {t("page.pausedBecause", { reason: reason() })}
                </p>
              )}
            </Show>
            <Show
              when={b().status !== "completed" && b().status !== "cancelled"}
            >
              <Controls blast={b()} />
            </Show>
            <Switch>
              <Match
                when={b().status === "draft" || b().status === "scheduled"}
              >
                <BlastPreview blastId={b().id} />
              </Match>
              <Match when={b().started_at !== null}>
                <BlastProgress blast={b()} />
                <BlastResults blastId={b().id} blastName={b().name} />
              </Match>
            </Switch>
          </>
        )}
      </Show>
    </section>
  );
}

export default function BlastPage() {
  const params = useParams<{ id: string }>();
  return (
    <RequireStaff min="organizer">
      <Show when={params.id} keyed>
        {(id) => <BlastScreen id={id} />}
      </Show>
    </RequireStaff>
  );
}
