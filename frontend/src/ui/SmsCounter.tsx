import { For, Show, createMemo } from "solid-js";
import { createTranslator, locale } from "../lib/i18n";
import { measureSms, replaceUcs2Characters, splitByEncoding, ucs2Culprits } from "../lib/sms-measure";
import { Button } from "./Button";
import { smsCounterMessages } from "./SmsCounter.messages";

const t = createTranslator(smsCounterMessages);

/** Units the last segment can hold: one segment 160/70, several 153/67 (the rest is the header). */
function segmentLimit(encoding: "gsm7" | "ucs2", segments: number): number {
  if (encoding === "gsm7") return segments <= 1 ? 160 : 153;
  return segments <= 1 ? 70 : 67;
}

function unitsInLastSegment(units: number, limit: number, segments: number): number {
  return segments <= 1 ? units : units - limit * (segments - 1);
}

export function formatCost(amount: number): string {
  return new Intl.NumberFormat(locale(), { style: "currency", currency: "USD", maximumFractionDigits: 4 }).format(amount);
}

/**
 * The SMS counter under a text box: encoding, characters, segments and cost (the same counts
 * the database bills by), every character that forces UCS-2 marked, and an offer to swap those
 * that have a plain look-alike.
 */
export function SmsCounter(props: { text: string; costPerSegment?: number | undefined; onReplace?: (text: string) => void }) {
  const measure = createMemo(() => measureSms(props.text));
  const culprits = createMemo(() => ucs2Culprits(props.text));
  const replaceable = () => culprits().filter((c) => c.replacement !== null).length;
  const limit = () => segmentLimit(measure().encoding, measure().segments);
  const distinctCulprits = () => [...new Map(culprits().map((c) => [c.character, c])).values()];
  return (
    <div class="space-y-2 text-sm" role="group" aria-label={t("label")}>
      <p aria-live="polite" class="font-medium">
        {t(measure().segments === 1 ? "summaryOne" : "summary", {
          encoding: t(`encoding.${measure().encoding}`),
          characters: measure().characters,
          segments: measure().segments,
        })}
        <Show when={props.costPerSegment !== undefined && measure().segments > 0}>
          {" · "}
          {t("cost", { cost: formatCost(measure().segments * (props.costPerSegment ?? 0)) })}
        </Show>
      </p>
      <p class="text-stone-700">
        {t("perSegment", {
          units: unitsInLastSegment(measure().units, limit(), measure().segments),
          limit: limit(),
        })}
      </p>
      <Show when={culprits().length > 0}>
        <div class="space-y-2 rounded-lg border border-amber-700 bg-amber-50 p-3">
          <p>{t("ucs2Why")}</p>
          <ul class="flex flex-wrap gap-2" data-testid="ucs2-characters">
            <For each={distinctCulprits()}>
              {(culprit) => (
                <li class="rounded bg-amber-200 px-2 font-mono">
                  {culprit.character}
                  <Show when={culprit.replacement !== null} fallback={<span class="sr-only"> {t("noReplacement")}</span>}>
                    {" → "}
                    {culprit.replacement}
                  </Show>
                </li>
              )}
            </For>
          </ul>
          <p class="break-words whitespace-pre-wrap">
            <span class="sr-only">{t("highlighted")}: </span>
            <For each={splitByEncoding(props.text)}>
              {(run) => (run.ucs2 ? <mark class="bg-amber-300 text-stone-950">{run.text}</mark> : run.text)}
            </For>
          </p>
          <Show when={props.onReplace && replaceable() > 0}>
            <Button variant="secondary" onClick={() => props.onReplace?.(replaceUcs2Characters(props.text))}>
              {t("replace", { count: replaceable() })}
            </Button>
          </Show>
        </div>
      </Show>
    </div>
  );
}
