import { QrCode } from "@ark-ui/solid/qr-code";
import { useParams } from "@solidjs/router";
import { useQuery } from "@tanstack/solid-query";
import { createSignal, Show } from "solid-js";
import { fetchEventBySlug } from "../attendee/api";
import { formatDateTime } from "../lib/dates";
import { errorCode } from "../lib/errors";
import { queryKeys } from "../lib/query";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { posterText } from "./messages";
import { t } from "./t";

type Paper = "A4" | "letter";

/** /poster/<slug>: a printable venue poster (A4 or Letter) whose QR code opens /e/<slug>, with
 * short instructions in English and Spanish. */
export default function Poster() {
  const params = useParams<{ slug: string }>();
  const event = useQuery(() => ({ queryKey: queryKeys.eventBySlug(params.slug), queryFn: () => fetchEventBySlug(params.slug) }));
  const [paper, setPaper] = createSignal<Paper>("letter");
  const url = () => `${window.location.origin}/e/${params.slug}`;
  return (
    <div>
      {/* Only the poster prints: the app's header and these controls stay on screen. */}
      <style>{`@page { size: ${paper()}; margin: 12mm; } @media print { header, [data-screen-only] { display: none !important; } main { max-width: none !important; padding: 0 !important; } }`}</style>
      <div data-screen-only class="mb-6 flex flex-wrap items-end gap-3">
        <div class="flex flex-col gap-1">
          <label for="poster-paper" class="font-medium">
            {t("paper")}
          </label>
          <select
            id="poster-paper"
            class="min-h-12 rounded-lg border border-stone-500 bg-white px-3"
            value={paper()}
            onChange={(change) => setPaper(change.currentTarget.value as Paper)}
          >
            <option value="letter">Letter (8.5 × 11 in)</option>
            <option value="A4">A4 (210 × 297 mm)</option>
          </select>
        </div>
        <Button
          onClick={() => {
            window.print();
          }}
        >
          {t("print")}
        </Button>
      </div>
      <Show when={event.error}>
        <ErrorAlert code={errorCode(event.error)} />
      </Show>
      <Show when={event.data}>
        {(current) => (
          <article class="mx-auto flex max-w-2xl flex-col items-center gap-6 text-center" data-paper={paper()}>
            <h1 class="text-5xl font-extrabold">{current().name}</h1>
            <p class="text-xl" lang="en">
              {formatDateTime(current().starts_at, current().time_zone, "en")}
            </p>
            <p class="text-xl" lang="es">
              {formatDateTime(current().starts_at, current().time_zone, "es")}
            </p>
            <p class="text-4xl font-bold" lang="en">
              {posterText.en.scan}
            </p>
            <p class="text-4xl font-bold" lang="es">
              {posterText.es.scan}
            </p>
            <QrCode.Root value={url()} encoding={{ ecc: "M" }} class="w-80">
              <QrCode.Frame role="img" aria-label={t("qrLabel", { url: url() })} class="h-80 w-80 bg-white">
                <QrCode.Pattern class="fill-black" />
              </QrCode.Frame>
            </QrCode.Root>
            <p class="font-mono text-lg">{url()}</p>
            <p class="text-xl" lang="en">
              {posterText.en.steps}
            </p>
            <p class="text-xl" lang="es">
              {posterText.es.steps}
            </p>
          </article>
        )}
      </Show>
    </div>
  );
}
