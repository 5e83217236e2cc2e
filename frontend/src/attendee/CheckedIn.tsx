import { A } from "@solidjs/router";
import { Show } from "solid-js";
import { formatTime } from "../lib/dates";
import { locale } from "../lib/i18n";
import { PersonalQr } from "../ui/PersonalQr";
import type { CheckInResult } from "./api";
import { t } from "./t";

/** The end of self check-in: the time (in the event's zone), the tag, the personal QR code. */
export default function CheckedIn(props: { result: CheckInResult; timeZone: string; qrToken: string | undefined }) {
  const time = () => formatTime(props.result.checked_in_at, props.timeZone, locale());
  const fresh = () => props.result.code === "checked_in";
  return (
    <section class="space-y-4" aria-labelledby="checked-in-title">
      <div role="status" class="rounded-xl border-2 border-emerald-700 bg-emerald-50 p-5">
        <h2 id="checked-in-title" class="text-2xl font-bold text-emerald-900">
          {fresh() ? t("done.checkedIn") : t("done.already")}
        </h2>
        <p class="text-lg">{fresh() ? t("done.at", { time: time() }) : t("done.alreadyAt", { time: time() })}</p>
        <Show when={props.result.print_job_id}>
          <p class="mt-2">{t("done.printing")}</p>
        </Show>
      </div>
      <Show when={props.qrToken}>
        {(token) => (
          <div class="flex flex-col items-center gap-2 rounded-xl border border-stone-300 bg-white p-4">
            <h3 class="text-lg font-semibold">{t("done.qrTitle")}</h3>
            <PersonalQr token={token()} label={t("done.qrTitle")} />
            <p class="text-center text-sm text-stone-700">{t("done.qrHint")}</p>
          </div>
        )}
      </Show>
      <A href="/me" class="block text-center text-teal-800 underline">
        {t("done.me")}
      </A>
    </section>
  );
}
