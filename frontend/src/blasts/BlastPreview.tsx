import { useQuery } from "@tanstack/solid-query";
import { For, Show } from "solid-js";
import { errorCode } from "../lib/errors";
import { tCommon } from "../lib/i18n";
import { ErrorAlert } from "../ui/ErrorAlert";
import { formatCost } from "../ui/SmsCounter";
import { blastKeys, previewBlast, type BlastPreview as Preview } from "./api";
import { count } from "./format";
import { t } from "./t";

const REASONS = ["opted_out", "no_consent", "no_phone", "no_email", "invalid_number", "suppressed", "erased_or_merged"] as const;

function excludedLines(preview: Preview): { channel: string; count: number; reason: string }[] {
  const lines: { channel: string; count: number; reason: string }[] = [];
  for (const channel of ["sms", "email"] as const) {
    const reasons = preview.excluded[channel] ?? {};
    for (const reason of REASONS) {
      const n = reasons[reason];
      if (n) lines.push({ channel: t(`channel.${channel}`), count: n, reason: t(`preview.reason.${reason}`) });
    }
  }
  return lines;
}

/** What starting would do: recipients per channel and variant, who is left out and why, who
 * would wait now, cost and rendered samples — all from preview_blast. */
export function BlastPreview(props: { blastId: string }) {
  const preview = useQuery(() => ({
    queryKey: blastKeys.preview(props.blastId),
    queryFn: () => previewBlast(props.blastId),
    staleTime: 0,
  }));
  return (
    <section aria-labelledby="blast-preview-title" class="space-y-3 rounded-lg border border-stone-300 bg-white p-4">
      <h2 id="blast-preview-title" class="text-xl font-bold">
        {t("preview.title")}
      </h2>
      <Show when={preview.error}>
        <ErrorAlert code={errorCode(preview.error)} />
      </Show>
      <Show when={preview.data} fallback={<Show when={!preview.error}><p role="status">{tCommon("loading")}</p></Show>}>
        {(p) => (
          <>
            <p>{t("preview.audience", { count: count(p().audience) })}</p>
            <h3 class="font-semibold">{t("preview.recipients")}</h3>
            <ul class="list-disc pl-6">
              <For each={(["sms", "email"] as const).filter((c) => p().by_channel[c])}>
                {(channel) => {
                  const numbers = () => p().by_channel[channel];
                  return (
                    <li>
                      {t("preview.byChannel", { channel: t(`channel.${channel}`), recipients: count(numbers()?.recipients ?? 0) })}
                      <Show when={channel === "sms" && numbers()?.segments_total}>
                        {(segments) => (
                          <>
                            {" · "}
                            {t(numbers()?.segments_estimated ? "preview.segmentsEstimated" : "preview.segments", {
                              segments: count(segments()),
                            })}
                          </>
                        )}
                      </Show>
                    </li>
                  );
                }}
              </For>
              <For each={p().by_variant.filter((v) => v.variant !== null)}>
                {(variant) => <li>{t("preview.variant", { label: variant.variant ?? "", recipients: count(variant.recipients) })}</li>}
              </For>
            </ul>
            <p class="font-semibold">{t("preview.cost", { cost: formatCost(p().estimated_cost) })}</p>
            <h3 class="font-semibold">{t("preview.excluded")}</h3>
            <Show when={excludedLines(p()).length > 0} fallback={<p>{t("preview.excludedNone")}</p>}>
              <ul class="list-disc pl-6" data-testid="excluded">
                <For each={excludedLines(p())}>
                  {(line) => <li>{t("preview.excludedLine", { channel: line.channel, count: count(line.count), reason: line.reason })}</li>}
                </For>
              </ul>
            </Show>
            <Show when={p().waiting_now.quiet_hours > 0}>
              <p>{t("preview.waitingQuiet", { count: count(p().waiting_now.quiet_hours) })}</p>
            </Show>
            <Show when={p().waiting_now.frequency_cap > 0}>
              <p>{t("preview.waitingCap", { count: count(p().waiting_now.frequency_cap) })}</p>
            </Show>
            <Show when={!p().startable}>
              <Show
                when={p().warnings.some((warning) => warning.code === "blast_sender_unavailable")}
                fallback={<p class="rounded-lg border border-red-700 bg-red-50 p-3 text-red-900">{t("preview.noRecipients")}</p>}
              >
                <ErrorAlert code="blast_sender_unavailable" />
              </Show>
            </Show>
            <Show when={p().samples.length > 0}>
              <h3 class="font-semibold">{t("preview.samples")}</h3>
              <ul class="space-y-2">
                <For each={p().samples}>
                  {(sample) => (
                    <li class="space-y-1">
                      <p class="text-sm text-stone-700">
                        {sample.variant
                          ? t("preview.sample", { channel: t(`channel.${sample.channel}`), label: sample.variant })
                          : t("preview.sampleNoVariant", { channel: t(`channel.${sample.channel}`) })}
                      </p>
                      <Show when={sample.subject}>
                        <p class="font-semibold">{sample.subject}</p>
                      </Show>
                      <p class="max-w-md rounded-2xl bg-stone-200 px-4 py-3 whitespace-pre-wrap text-stone-950">{sample.body}</p>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
