import { keepPreviousData } from "@tanstack/solid-query";
import { For, Show, createSignal } from "solid-js";
import { SelectField } from "../crm/SelectField";
import { download, toCsv } from "../crm/csv";
import { errorCode } from "../lib/errors";
import { tCommon } from "../lib/i18n";
import { createLiveQuery } from "../lib/liveQuery";
import { displayPhone } from "../lib/phone";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { TextField } from "../ui/TextField";
import { notifyError, notifySuccess } from "../ui/notifications";
import { AbWinner } from "./AbWinner";
import {
  RECIPIENTS_PAGE,
  blastKeys,
  fetchRecipients,
  fetchResults,
  type Engagement,
  type Outcome,
  type RecipientResult,
  type VariantResult,
} from "./api";
import { createDebounced } from "../lib/debounce";
import { count, when } from "./format";
import { t } from "./t";

const OUTCOMES: Outcome[] = ["to_send", "sent", "delivered", "failed", "skipped", "opted_out"];
const ENGAGEMENTS: Engagement[] = ["opened", "clicked", "not_opened"];
const VARIANT_COLUMNS = ["channel", "variant", "recipients", "toSend", "sent", "delivered", "failed", "skipped", "optedOut", "deliveryRate"] as const;
// Opens and clicks exist for emails only: their columns show when the blast sends email.
const EMAIL_VARIANT_COLUMNS = ["opened", "openRate", "clicked", "clickRate"] as const;
const RECIPIENT_COLUMNS = ["name", "address", "variant", "outcome"] as const;
const EMAIL_RECIPIENT_COLUMNS = ["opened", "clicked"] as const;
const CSV_COLUMNS = [
  "contact_name",
  "to_address",
  "channel",
  "variant",
  "outcome",
  "opted_out",
  "skip_reason",
  "error_code",
  "sent_at",
  "delivered_at",
  "opened_at",
  "clicked_at",
] as const;
const EXPORT_LIMIT = 10_000;

function percent(part: number, whole: number): string {
  return whole === 0 ? "—" : `${Math.round((part / whole) * 100)}%`;
}

/** An email's count and its share of the emails sent; "—" for texts, which report neither. */
function emailCount(part: number | null): string {
  return part === null ? "—" : count(part);
}
function emailRate(part: number | null, sent: number): string {
  return part === null ? "—" : percent(part, sent);
}

function detail(row: RecipientResult): string {
  return [row.opted_out ? t("results.outcome.opted_out") : null, row.skip_reason, row.error_code].filter(Boolean).join(" · ");
}

export function BlastResults(props: { blastId: string; blastName: string }) {
  const results = createLiveQuery(() => ({ queryKey: blastKeys.results(props.blastId), queryFn: () => fetchResults(props.blastId) }));
  const [outcome, setOutcome] = createSignal<Outcome | "">("");
  const [engagement, setEngagement] = createSignal<Engagement | "">("");
  const sendsEmail = () => (results().data ?? []).some((row: VariantResult) => row.channel === "email");
  const filter = () => ({ outcome: outcome(), engagement: engagement(), search: debouncedSearch() });
  const [search, setSearch] = createSignal("");
  const debouncedSearch = createDebounced(search, 250);
  const [page, setPage] = createSignal(0);
  const recipients = createLiveQuery(() => ({
    queryKey: blastKeys.recipients(props.blastId, outcome(), engagement(), debouncedSearch(), page()),
    queryFn: () => fetchRecipients(props.blastId, filter(), RECIPIENTS_PAGE + 1, page() * RECIPIENTS_PAGE),
    placeholderData: keepPreviousData,
  }));
  const rows = () => (recipients().data ?? []).slice(0, RECIPIENTS_PAGE);
  const hasNext = () => (recipients().data?.length ?? 0) > RECIPIENTS_PAGE;
  const exportCsv = async () => {
    try {
      const all = await fetchRecipients(props.blastId, filter(), EXPORT_LIMIT, 0);
      download(toCsv(all, CSV_COLUMNS), `${props.blastName.replace(/[^\w-]+/g, "-")}-recipients.csv`);
      notifySuccess(() => t("results.exported", { count: count(all.length) }));
    } catch (error) {
      notifyError(error);
    }
  };
  return (
    <section aria-labelledby="blast-results-title" class="space-y-4 rounded-lg border border-stone-300 bg-white p-4">
      <h2 id="blast-results-title" class="text-xl font-bold">
        {t("results.title")}
      </h2>
      <Show when={results().error}>
        <ErrorAlert code={errorCode(results().error)} />
      </Show>
      <AbWinner blastId={props.blastId} />
      <Show when={results().data}>
        {(variants) => (
          <div class="overflow-x-auto" tabindex="0" role="region" aria-label={t("results.byVariant")}>
            <table class="w-full border-collapse text-left text-sm">
              <caption class="text-left font-semibold">{t("results.byVariant")}</caption>
              <thead>
                <tr class="border-b border-stone-400">
                  <For each={[...VARIANT_COLUMNS, ...(sendsEmail() ? EMAIL_VARIANT_COLUMNS : [])]}>
                    {(column) => (
                      <th scope="col" class="p-2">
                        {t(`results.columns.${column}`)}
                      </th>
                    )}
                  </For>
                </tr>
              </thead>
              <tbody>
                <For each={variants()}>
                  {(row) => (
                    <tr class="border-b border-stone-200">
                      <td class="p-2">{t(`channel.${row.channel}`)}</td>
                      <td class="p-2">{row.variant ?? t("results.noVariant")}</td>
                      <td class="p-2">{count(row.recipients)}</td>
                      <td class="p-2">{count(row.to_send)}</td>
                      <td class="p-2">{count(row.sent)}</td>
                      <td class="p-2">{count(row.delivered)}</td>
                      <td class="p-2">{count(row.failed)}</td>
                      <td class="p-2">{count(row.skipped)}</td>
                      <td class="p-2">{count(row.opted_out)}</td>
                      <td class="p-2">{percent(row.delivered, row.sent)}</td>
                      <Show when={sendsEmail()}>
                        <td class="p-2">{emailCount(row.opened)}</td>
                        <td class="p-2">{emailRate(row.opened, row.sent)}</td>
                        <td class="p-2">{emailCount(row.clicked)}</td>
                        <td class="p-2">{emailRate(row.clicked, row.sent)}</td>
                      </Show>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        )}
      </Show>
      <h3 class="font-semibold">{t("results.recipients")}</h3>
      <div class="flex flex-wrap items-end gap-3">
        <SelectField
          label={t("results.filter")}
          options={[{ value: "", label: t("results.all") }, ...OUTCOMES.map((o) => ({ value: o, label: t(`results.outcome.${o}`) }))]}
          value={outcome()}
          onChange={(value) => {
            setOutcome(value as Outcome | "");
            setPage(0);
          }}
        />
        <Show when={sendsEmail()}>
          <SelectField
            label={t("results.engagementFilter")}
            options={[
              { value: "", label: t("results.engagement.any") },
              ...ENGAGEMENTS.map((e) => ({ value: e, label: t(`results.engagement.${e}`) })),
            ]}
            value={engagement()}
            onChange={(value) => {
              setEngagement(value as Engagement | "");
              setPage(0);
            }}
          />
        </Show>
        <TextField
          label={t("results.search")}
          type="search"
          value={search()}
          onInput={(event) => {
            setSearch(event.currentTarget.value);
            setPage(0);
          }}
        />
        <Button variant="secondary" onClick={() => void exportCsv()}>
          {t("results.export")}
        </Button>
      </div>
      <Show when={recipients().error}>
        <ErrorAlert code={errorCode(recipients().error)} />
      </Show>
      <Show when={recipients().data} fallback={<Show when={!recipients().error}><p role="status">{tCommon("loading")}</p></Show>}>
        <Show when={rows().length > 0} fallback={<p>{t("results.none")}</p>}>
          <div class="overflow-x-auto" tabindex="0" role="region" aria-label={t("results.recipients")}>
            <table class="w-full border-collapse text-left text-sm">
              <caption class="sr-only">{t("results.recipients")}</caption>
              <thead>
                <tr class="border-b border-stone-400">
                  <For each={[...RECIPIENT_COLUMNS, ...(sendsEmail() ? EMAIL_RECIPIENT_COLUMNS : []), "detail" as const]}>
                    {(column) => (
                      <th scope="col" class="p-2">
                        {t(`results.recipientColumns.${column}`)}
                      </th>
                    )}
                  </For>
                </tr>
              </thead>
              <tbody>
                <For each={rows()}>
                  {(row) => (
                    <tr class="border-b border-stone-200">
                      <td class="p-2">{row.contact_name ?? t("results.unnamed")}</td>
                      <td class="p-2">{displayPhone(row.to_address)}</td>
                      <td class="p-2">{row.variant ?? t("results.noVariant")}</td>
                      <td class="p-2">{t(`results.outcome.${row.outcome as Outcome}`)}</td>
                      <Show when={sendsEmail()}>
                        <td class="p-2">{row.opened_at === null ? "—" : when(row.opened_at)}</td>
                        <td class="p-2">{row.clicked_at === null ? "—" : when(row.clicked_at)}</td>
                      </Show>
                      <td class="p-2">{detail(row)}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </Show>
        <div class="flex gap-3">
          <Button variant="secondary" disabled={page() === 0} onClick={() => setPage((p) => p - 1)}>
            {t("results.previous")}
          </Button>
          <Button variant="secondary" disabled={!hasNext()} onClick={() => setPage((p) => p + 1)}>
            {t("results.next")}
          </Button>
        </div>
      </Show>
    </section>
  );
}
