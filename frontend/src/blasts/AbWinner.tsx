import { For, Match, Show, Switch } from "solid-js";
import { errorCode } from "../lib/errors";
import { locale } from "../lib/i18n";
import { createLiveQuery } from "../lib/liveQuery";
import { ErrorAlert } from "../ui/ErrorAlert";
import { blastKeys, fetchAbTest } from "./api";
import { count, when } from "./format";
import { t } from "./t";
import { ratePercent, winnerState, type DecidedChannel, type VariantScore } from "./winner";

// Until the winner is chosen, ask again now and then (the decision is a worker's, on a minute clock).
const UNDECIDED_REFETCH_MS = 30_000;

const language = () => (locale() === "es" ? "es-US" : "en-US");
const channelName = (channel: string) => t(channel === "email" ? "channel.email" : "channel.sms");
const scoreArgs = (score: VariantScore) => ({
  label: score.variant,
  rate: ratePercent(score, language()),
  hits: count(score.hits),
  attempted: count(score.attempted),
});

function ChannelWinner(props: { decided: DecidedChannel; minimum: number }) {
  return (
    <li class="space-y-1">
      <Show
        when={!props.decided.noResults}
        fallback={<p>{t("results.winner.noResults", { channel: channelName(props.decided.channel), label: props.decided.winner.variant })}</p>}
      >
        <p class="font-semibold">
          {t("results.winner.won", {
            channel: channelName(props.decided.channel),
            metric: t(`composer.metric.${props.decided.metric}`),
            ...scoreArgs(props.decided.winner),
          })}
        </p>
        <For each={props.decided.others}>{(other) => <p>{t("results.winner.against", scoreArgs(other))}</p>}</For>
      </Show>
      <Show when={props.decided.fellBack}>
        <p>{t(props.decided.channel === "email" ? "composer.winnerFallback.email" : "composer.winnerFallback.sms")}</p>
      </Show>
      <Show when={props.decided.belowMinimum}>
        <p class="text-amber-900">{t("results.winner.belowMinimum", { minimum: count(props.minimum) })}</p>
      </Show>
    </li>
  );
}

/** Which variant won an A/B blast and why (nothing for a blast without a winner test). */
export function AbWinner(props: { blastId: string }) {
  const test = createLiveQuery(() => ({
    queryKey: blastKeys.abTest(props.blastId),
    queryFn: () => fetchAbTest(props.blastId),
    refetchInterval: (query) => (query.state.data?.decided_at ? false : UNDECIDED_REFETCH_MS),
  }));
  return (
    <>
      <Show when={test().error}>
        <ErrorAlert code={errorCode(test().error)} />
      </Show>
      <Show when={test().data}>
        {(ab) => {
          const state = () => winnerState(ab());
          return (
            <div class="space-y-2 rounded-lg border border-teal-700 bg-teal-50 p-3" data-testid="ab-winner">
              <h3 class="font-semibold">{t("results.winner.title")}</h3>
              <Switch>
                <Match when={state().kind === "waiting_for_start"}>
                  <p>
                    {t("results.winner.waitingForStart", {
                      percent: ab().test_percent,
                      minimum: count(ab().min_per_variant),
                      metric: t(`composer.metric.${ab().metric}`),
                      hours: Math.round((ab().decide_after_minutes / 60) * 10) / 10,
                    })}
                  </p>
                </Match>
                <Match when={state().kind === "waiting" && ab().decide_at}>
                  {(decideAt) => (
                    <p>
                      {t("results.winner.waiting", {
                        held: count(ab().held_recipients),
                        metric: t(`composer.metric.${ab().metric}`),
                        when: when(decideAt()),
                      })}
                    </p>
                  )}
                </Match>
                <Match when={state().kind === "no_winner"}>
                  <p>{t("results.winner.noWinner")}</p>
                </Match>
                <Match when={(() => { const s = state(); return s.kind === "decided" ? s : undefined; })()}>
                  {(decided) => (
                    <>
                      <ul class="space-y-2">
                        <For each={decided().channels}>{(channel) => <ChannelWinner decided={channel} minimum={ab().min_per_variant} />}</For>
                      </ul>
                      <p>{t("results.winner.released", { count: count(decided().released) })}</p>
                    </>
                  )}
                </Match>
              </Switch>
            </div>
          );
        }}
      </Show>
    </>
  );
}
