import { For, Show, createEffect, createSignal, on } from "solid-js";
import type { Blast } from "./api";
import { count, duration, rate as formatRate } from "./format";
import { addSample, etaSeconds, progressOf, rateOf, type Sample } from "./progress";
import { t } from "./t";

/** The blast's live counters (the row Realtime refreshes), its rate and time left. Done only
 * when the database says completed; at zero left while still sending it says "finishing". */
export function BlastProgress(props: { blast: Blast }) {
  const progress = () => progressOf(props.blast);
  const [samples, setSamples] = createSignal<Sample[]>([]);
  createEffect(
    on(
      () => progress().handled,
      (handled) => setSamples((current) => addSample(current, { at: Date.now(), handled })),
    ),
  );
  const rate = () => (props.blast.status === "sending" ? rateOf(samples()) : null);
  const eta = () => etaSeconds(progress().toSend, rate());
  const numbers = () => [
    { key: "toSend", label: t("progress.toSend"), value: progress().toSend },
    { key: "sent", label: t("progress.sent"), value: progress().sent },
    { key: "delivered", label: t("progress.delivered"), value: progress().delivered },
    { key: "failed", label: t("progress.failed"), value: progress().failed },
    { key: "skipped", label: t("progress.skipped"), value: progress().skipped },
    { key: "optedOut", label: t("progress.optedOut"), value: progress().optedOut },
  ];
  return (
    <section aria-labelledby="blast-progress-title" class="space-y-3 rounded-lg border border-stone-300 bg-white p-4">
      <h2 id="blast-progress-title" class="text-xl font-bold">
        {t("progress.title")}
      </h2>
      <div
        role="progressbar"
        aria-label={t("progress.bar")}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={progress().percent}
        aria-valuetext={t("progress.summary", { handled: count(progress().handled), total: count(progress().total) })}
        class="h-4 overflow-hidden rounded-full bg-stone-200"
      >
        <div class="h-full bg-teal-700 transition-all" style={{ width: `${progress().percent}%` }} />
      </div>
      <dl class="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6" data-testid="progress-numbers">
        <For each={numbers()}>
          {(item) => (
            <div class="rounded-lg bg-stone-50 p-2">
              <dt class="text-sm text-stone-700">{item.label}</dt>
              <dd class="text-2xl font-bold" data-testid={`progress-${item.key}`}>
                {count(item.value)}
              </dd>
            </div>
          )}
        </For>
      </dl>
      <p role="status" data-testid="progress-status">
        <Show
          when={props.blast.status === "completed" || props.blast.status === "cancelled"}
          fallback={
            <Show when={props.blast.status === "sending"}>
              <Show when={progress().toSend > 0} fallback={t("progress.finishing")}>
                <Show when={rate()}>{(r) => t("progress.rate", { rate: formatRate(r()) })}</Show>
                <Show when={eta()}>{(seconds) => <> · {t("progress.eta", { time: duration(seconds()) })}</>}</Show>
              </Show>
            </Show>
          }
        >
          {t(props.blast.status === "completed" ? "progress.done" : "progress.stopped", {
            sent: count(progress().sent),
            total: count(progress().total),
          })}
        </Show>
      </p>
    </section>
  );
}
