import { useSearchParams } from "@solidjs/router";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/solid-query";
import { createSignal, For, Match, Show, Switch, untrack } from "solid-js";
import { errorCode } from "../lib/errors";
import { tCommon } from "../lib/i18n";
import { createLiveQuery } from "../lib/liveQuery";
import { invalidateOnChanges } from "../lib/realtime";
import { RequireStaff } from "../staff/RequireStaff";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { notifyError } from "../ui/notifications";
import { TextField } from "../ui/TextField";
import { setImportEvent } from "../events/api";
import { ImportEventField } from "../events/ImportEventField";
import { download, toCsv } from "./csv";
import { parseCsv } from "./csvParse";
import {
  fetchImport,
  fetchImportResults,
  fetchRecentImports,
  previewImport,
  runImport,
  stageImport,
  startImport,
  TARGETS,
  toMapping,
  type ContactImport,
  type Mapping,
} from "./importApi";
import { ti } from "./importMessages";
import { importReasonText } from "./importReasons";
import { SelectField } from "./SelectField";

const OUTCOMES = ["new", "updated", "skipped", "error", "inserted"] as const;
const STATUSES = ["draft", "running", "done"] as const;

function outcomeLabel(outcome: string | null): string {
  const known = OUTCOMES.find((item) => item === outcome);
  return known ? ti(`outcomes.${known}`) : "";
}


function statusLabel(status: string): string {
  const known = STATUSES.find((item) => item === status);
  return known ? ti(`statuses.${known}`) : status;
}

function targetLabel(target: string): string {
  const known = TARGETS.find((item) => item === target);
  return known ? ti(`targets.${known}`) : target;
}

function FileStep(props: { onStaged: (id: string) => void }) {
  const stage = useMutation(() => ({
    mutationFn: async (file: File) => stageImport(file, parseCsv(await file.text())),
    onSuccess: (id) => { props.onStaged(id); },
  }));
  return (
    <div class="space-y-2">
      <label class="flex flex-col gap-1 font-medium">
        {ti("file")}
        <input
          type="file"
          accept=".csv,text/csv"
          class="min-h-12 rounded-lg border border-stone-500 bg-white p-2"
          disabled={stage.isPending}
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            if (file) stage.mutate(file);
          }}
        />
      </label>
      <Show when={stage.isPending}>
        <p role="status">{ti("reading")}</p>
      </Show>
      <ErrorAlert code={stage.error ? errorCode(stage.error) : null} />
    </div>
  );
}

/** This tab runs the import's chunks; another tab, the CLI or a worker may share the work. */
function useRunner(id: () => string) {
  const queryClient = useQueryClient();
  return useMutation(() => ({
    mutationFn: () => runImport(id()),
    onSettled: () => { void queryClient.invalidateQueries({ queryKey: ["contact_imports"] }); },
    onError: notifyError,
  }));
}

function MappingStep(props: { job: ContactImport; eventId: string }) {
  // The server's guess is where editing starts; later changes to the row do not reset it.
  const [mapping, setMapping] = createSignal<Mapping>(untrack(() => toMapping(props.job.mapping)));
  const [source, setSource] = createSignal("import");
  const [proof, setProof] = createSignal("");
  // An RSVP list: each row the import takes also RSVPs its person to this event.
  const [eventId, setEventId] = createSignal(untrack(() => props.job.event_id ?? props.eventId));
  const runner = useRunner(() => props.job.id);
  const queryClient = useQueryClient();
  const preview = useQuery(() => ({
    queryKey: ["rpc", "preview_contact_import", props.job.id, mapping()],
    queryFn: () => previewImport(props.job.id, mapping()),
    placeholderData: keepPreviousData,
  }));
  const start = useMutation(() => ({
    mutationFn: async () => {
      if ((props.job.event_id ?? "") !== eventId()) await setImportEvent(props.job.id, eventId() || null);
      await startImport(props.job.id, mapping(), source(), proof());
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["contact_imports"] });
      runner.mutate();
    },
  }));
  const tally = (outcome: string) => (preview.data ?? []).filter((row) => row.outcome === outcome).length;
  return (
    <div class="space-y-4">
      <section aria-labelledby="import-mapping-title" class="space-y-2">
        <h2 id="import-mapping-title" class="text-lg font-semibold">
          {ti("mapping")}
        </h2>
        <p>{ti("mappingHint")}</p>
        <div class="grid gap-3 sm:grid-cols-2">
          <For each={props.job.headers}>
            {(header) => (
              <SelectField
                label={ti("column", { header })}
                options={TARGETS.map((value) => ({ value, label: targetLabel(value) }))}
                value={mapping()[header] ?? "-"}
                onChange={(value) => setMapping({ ...mapping(), [header]: value })}
              />
            )}
          </For>
        </div>
      </section>
      <section aria-labelledby="import-preview-title" class="space-y-2">
        <h2 id="import-preview-title" class="text-lg font-semibold">
          {ti("preview")}
        </h2>
        <ErrorAlert code={preview.error ? errorCode(preview.error) : null} />
        <p role="status" aria-live="polite" class="font-semibold">
          <Show when={preview.data} fallback={ti("previewing")}>
            {ti("previewSummary", { new: tally("new"), updated: tally("updated"), skipped: tally("skipped"), errors: tally("error") })}
          </Show>
        </p>
        <div class="overflow-x-auto rounded-lg border border-stone-300 bg-white" tabindex="0" role="region" aria-label={ti("previewTable")}>
          <table class="w-full text-left text-sm">
            <thead class="bg-stone-100">
              <tr>
                <th scope="col" class="p-2">{ti("columns.row")}</th>
                <th scope="col" class="p-2">{ti("columns.outcome")}</th>
                <th scope="col" class="p-2">{ti("columns.reason")}</th>
                <th scope="col" class="p-2">{ti("columns.data")}</th>
              </tr>
            </thead>
            <tbody>
              <For each={preview.data}>
                {(row) => (
                  <tr class={`border-t border-stone-200 ${row.outcome === "error" ? "bg-red-50" : ""}`}>
                    <td class="p-2 text-right">{row.row_number}</td>
                    <td class="p-2 font-semibold">{outcomeLabel(row.outcome)}</td>
                    <td class="p-2">{importReasonText(row.reason)}</td>
                    <td class="p-2">
                      {Object.values(toMapping(row.cells)).filter((cell) => cell !== "").join(" · ")}
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </section>
      <div class="grid gap-3 sm:grid-cols-2">
        <TextField label={ti("source")} hint={ti("sourceHint")} value={source()} maxlength={100} onInput={(event) => setSource(event.currentTarget.value)} />
        <TextField label={ti("consentProof")} hint={ti("consentProofHint")} value={proof()} maxlength={1000} onInput={(event) => setProof(event.currentTarget.value)} />
        <ImportEventField value={eventId()} onChange={setEventId} />
      </div>
      <ErrorAlert code={start.error ? errorCode(start.error) : null} />
      <Button disabled={start.isPending} onClick={() => { start.mutate(); }}>
        {ti("start", { rows: props.job.total_rows.toLocaleString() })}
      </Button>
    </div>
  );
}

function ProgressStep(props: { job: ContactImport; onAnother: () => void }) {
  const runner = useRunner(() => props.job.id);
  const results = useMutation(() => ({
    mutationFn: () => fetchImportResults(props.job.id),
    onSuccess: (rows) => {
      download(toCsv(rows, ["row_number", "status", "reason", "contact_id"]), `${props.job.file_name.replace(/\.csv$/i, "")}-results.csv`);
    },
    onError: notifyError,
  }));
  const percent = () => (props.job.total_rows === 0 ? 100 : Math.round((props.job.processed_rows / props.job.total_rows) * 100));
  return (
    <section aria-labelledby="import-progress-title" class="space-y-3">
      <h2 id="import-progress-title" class="text-lg font-semibold">
        {ti("progress", { done: props.job.processed_rows.toLocaleString(), total: props.job.total_rows.toLocaleString() })}
      </h2>
      <div
        role="progressbar"
        aria-label={ti("progressLabel")}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent()}
        class="h-4 w-full overflow-hidden rounded-full bg-stone-200"
      >
        <div class="h-full bg-teal-700" style={{ width: `${percent()}%` }} />
      </div>
      <Switch>
        <Match when={props.job.status === "done"}>
          <p role="status">
            {ti("done", {
              inserted: props.job.inserted_rows,
              updated: props.job.updated_rows,
              skipped: props.job.skipped_rows,
              errors: props.job.error_rows,
            })}
          </p>
          <div class="flex flex-wrap gap-2">
            <Button variant="secondary" disabled={results.isPending} onClick={() => { results.mutate(); }}>
              {ti("downloadResults")}
            </Button>
            <Button variant="link" onClick={() => { props.onAnother(); }}>
              {ti("anotherFile")}
            </Button>
          </div>
        </Match>
        <Match when={props.job.status === "running" && !runner.isPending}>
          <Button onClick={() => { runner.mutate(); }}>{ti("resume", { file: props.job.file_name })}</Button>
        </Match>
      </Switch>
    </section>
  );
}

function ImportJob(props: { id: string; eventId: string; onAnother: () => void }) {
  const key = () => ["contact_imports", props.id] as const;
  // The page re-creates this section for another import, so the subscription is set up once.
  const id = untrack(() => props.id);
  invalidateOnChanges({ table: "contact_imports", filter: `id=eq.${id}`, queryKeys: [["contact_imports", id]] });
  const job = createLiveQuery(() => ({ queryKey: key(), queryFn: () => fetchImport(props.id) }));
  return (
    <Show when={job().data} fallback={<ErrorAlert code={job().error ? errorCode(job().error) : null} />}>
      {(data) => (
        <div class="space-y-4">
          {/* A failed refresh keeps the last progress on screen: say it may be out of date. */}
          <ErrorAlert code={job().error ? errorCode(job().error) : null} />
          <p class="font-semibold">{ti("fileSummary", { file: data().file_name, rows: data().total_rows.toLocaleString() })}</p>
          <Show when={data().status === "draft"} fallback={<ProgressStep job={data()} onAnother={props.onAnother} />}>
            <MappingStep job={data()} eventId={props.eventId} />
          </Show>
        </div>
      )}
    </Show>
  );
}

function RecentImports(props: { onOpen: (id: string) => void }) {
  const recent = useQuery(() => ({ queryKey: ["contact_imports", "recent"], queryFn: fetchRecentImports }));
  return (
    <section aria-labelledby="recent-imports-title" class="space-y-2">
      <h2 id="recent-imports-title" class="text-lg font-semibold">
        {ti("recent")}
      </h2>
      <Show when={recent.data} fallback={<p role="status">{tCommon("loading")}</p>}>
        {(list) => (
          <Show when={list().length > 0} fallback={<p>{ti("noRecent")}</p>}>
            <ul class="space-y-1">
              <For each={list()}>
                {(job) => (
                  <li>
                    <Button variant="link" onClick={() => { props.onOpen(job.id); }}>
                      {ti("recentRow", {
                        file: job.file_name,
                        status: statusLabel(job.status),
                        done: job.processed_rows.toLocaleString(),
                        total: job.total_rows.toLocaleString(),
                      })}
                    </Button>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </Show>
    </section>
  );
}

/** CSV import: upload, map columns (guessed by the server), preview per row, then a server-side
 * job with live progress that can be resumed. The import's id is in the URL, so a reload or a
 * new tab comes back to it. */
export default function ImportPage() {
  // ?event=<id> (from an event's page): the file is that event's RSVP list.
  const [params, setParams] = useSearchParams<{ id?: string; event?: string }>();
  const open = (id: string | undefined) => { setParams({ id }); };
  return (
    <RequireStaff min="organizer">
      <div class="space-y-4">
        <h1 class="text-2xl font-bold">{ti("title")}</h1>
        <Show
          when={params.id}
          keyed
          fallback={
            <>
              <p>{ti("intro")}</p>
              <FileStep onStaged={open} />
              <RecentImports onOpen={open} />
            </>
          }
        >
          {(id) => <ImportJob id={id} eventId={params.event ?? ""} onAnother={() => { open(undefined); }} />}
        </Show>
      </div>
    </RequireStaff>
  );
}
