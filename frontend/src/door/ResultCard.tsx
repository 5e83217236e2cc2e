import { createEffect, createSignal, Match, on, onCleanup, Show, Switch } from "solid-js";
import { formatTime } from "../lib/dates";
import type { ErrorCode } from "../lib/errors";
import { locale, tError } from "../lib/i18n";
import { Button } from "../ui/Button";
import type { DoorResult } from "./api";
import type { Outcome } from "./feedback";
import { t } from "./t";

/** What the door shows after a scan or a pick. */
export type Shown =
  | { outcome: "checked_in" | "already_checked_in"; result: DoorResult; stationName: string | null }
  | { outcome: "not_found" | "queued" }
  | { outcome: "failed"; code: ErrorCode };

const DISMISS_AFTER_SECONDS = 8;

const TONE: Record<Outcome, string> = {
  checked_in: "border-emerald-700 bg-emerald-50 text-emerald-950",
  already_checked_in: "border-amber-600 bg-amber-50 text-amber-950",
  not_found: "border-red-700 bg-red-50 text-red-950",
  failed: "border-red-700 bg-red-50 text-red-950",
  queued: "border-sky-700 bg-sky-50 text-sky-950",
};

/** The big result card, in a status region so screen readers announce it; it dismisses itself
 * with a visible countdown so the next person can be scanned. */
export function ResultCard(props: {
  shown: Shown | null;
  timeZone: string;
  reprintsLeft: number | null | undefined;
  onReprint: (checkInId: string) => void;
  onDismiss: () => void;
}) {
  const [seconds, setSeconds] = createSignal(DISMISS_AFTER_SECONDS);
  let timer: ReturnType<typeof setInterval> | undefined;
  createEffect(
    on(
      () => props.shown,
      (shown) => {
        clearInterval(timer);
        if (!shown) return;
        setSeconds(DISMISS_AFTER_SECONDS);
        timer = setInterval(() => {
          const next = seconds() - 1;
          setSeconds(next);
          if (next <= 0) {
            clearInterval(timer);
            props.onDismiss();
          }
        }, 1000);
      },
    ),
  );
  onCleanup(() => {
    clearInterval(timer);
  });

  const checkedIn = () => {
    const shown = props.shown;
    return shown && (shown.outcome === "checked_in" || shown.outcome === "already_checked_in") ? shown : null;
  };

  const failedCode = () => {
    const shown = props.shown;
    return shown?.outcome === "failed" ? shown.code : null;
  };

  return (
    <div class={props.shown ? `space-y-3 rounded-2xl border-4 p-6 ${TONE[props.shown.outcome]}` : ""} data-outcome={props.shown?.outcome}>
      {/* Only the result is announced; the controls and the ticking countdown stay out of it. */}
      <div role="status" class="space-y-2">
        <Show when={props.shown}>
          {(shown) => (
            <>
              <p class="text-4xl font-extrabold">{t(`result.${shown().outcome}`)}</p>
              <Switch>
                <Match when={checkedIn()}>
                  {(done) => (
                    <>
                      <p class="text-3xl font-bold">{done().result.display_name}</p>
                      <Show when={done().outcome === "already_checked_in"}>
                        <p class="text-xl">
                          {t("result.alreadyAt", { time: formatTime(done().result.checked_in_at, props.timeZone, locale()) })}
                        </p>
                      </Show>
                      <Show when={done().result.print_refused === "no_print_station"}>
                        <p class="text-lg font-semibold">{t("result.noStation")}</p>
                      </Show>
                      <Show when={done().result.print_job_id}>
                        <p class="text-lg">
                          {done().stationName
                            ? t("result.printing", { station: done().stationName ?? "" })
                            : t("result.printingDefault")}
                        </p>
                      </Show>
                    </>
                  )}
                </Match>
                <Match when={shown().outcome === "not_found"}>
                  <p class="text-xl">{t("result.notFoundHint")}</p>
                </Match>
                <Match when={failedCode()}>{(code) => <p class="text-xl">{tError(code())}</p>}</Match>
              </Switch>
            </>
          )}
        </Show>
      </div>
      <Show when={props.shown}>
        <div class="flex flex-wrap items-center gap-3">
          <Show when={checkedIn()}>
            {(done) => (
              <Button
                variant="secondary"
                class="text-lg"
                disabled={props.reprintsLeft === 0}
                onClick={() => {
                  props.onReprint(done().result.check_in_id);
                }}
              >
                {props.reprintsLeft === 0
                  ? t("result.reprintNone")
                  : props.reprintsLeft == null
                    ? t("result.reprint")
                    : t("result.reprintLeft", { left: String(props.reprintsLeft) })}
              </Button>
            )}
          </Show>
          <Button
            variant="secondary"
            onClick={() => {
              props.onDismiss();
            }}
          >
            {t("result.dismiss")}
          </Button>
          <span>{t("result.dismissIn", { seconds: String(seconds()) })}</span>
        </div>
      </Show>
    </div>
  );
}
