import { useMutation, useQueryClient } from "@tanstack/solid-query";
import { createSignal, Match, Show, Switch, untrack } from "solid-js";
import { errorCode } from "../lib/errors";
import { locale } from "../lib/i18n";
import { createLiveQuery } from "../lib/liveQuery";
import { invalidateOnChanges } from "../lib/realtime";
import { reaches, useStaffLevel } from "../lib/staff";
import { Button } from "../ui/Button";
import { ErrorAlert } from "../ui/ErrorAlert";
import { tc } from "./contact-messages";
import { download } from "./csv";
import { eraseContact, erasureStage, exportContactData, fetchErasure } from "./erasure-api";

export const erasureKey = (contactId: string) => ["gdpr_requests", "erase", contactId] as const;

function when(iso: string): string {
  return new Intl.DateTimeFormat(locale() === "es" ? "es-US" : "en-US", { dateStyle: "medium", timeStyle: "short" }).format(
    new Date(iso),
  );
}

/** An erase's progress, live: asked for, rows anonymised, files and login deleted. */
function ErasureProgress(props: { contactId: string }) {
  const contactId = untrack(() => props.contactId);
  const request = createLiveQuery(() => ({ queryKey: erasureKey(contactId), queryFn: () => fetchErasure(contactId) }));
  invalidateOnChanges({ table: "gdpr_requests", filter: `contact_id=eq.${contactId}`, queryKeys: [erasureKey(contactId)] });
  return (
    <>
      <ErrorAlert code={request().error ? errorCode(request().error) : null} />
      <div role="status" class="empty:hidden">
        <Show when={request().data}>
          {(current) => (
            <p class="rounded-lg border border-stone-300 bg-stone-50 p-3" data-stage={erasureStage(current())}>
              <Switch>
                <Match when={erasureStage(current()) === "requested"}>
                  {tc("erase.requested", { when: when(current().requested_at) })}
                </Match>
                <Match when={erasureStage(current()) === "rows_erased"}>{tc("erase.rowsErased")}</Match>
                <Match when={erasureStage(current()) === "retrying"}>
                  {tc("erase.retrying", { attempts: String(current().attempts), error: current().last_error ?? "" })}
                </Match>
                <Match when={current().completed_at}>{(done) => tc("erase.completed", { when: when(done()) })}</Match>
              </Switch>
            </p>
          )}
        </Show>
      </div>
    </>
  );
}

/** Admins: download everything held about this person (their right of access, asked of staff). */
export function ExportContactData(props: { contactId: string }) {
  const level = useStaffLevel();
  const exporting = useMutation(() => ({
    mutationFn: () => exportContactData(props.contactId),
    onSuccess: (document) => { download(document, `contact-${props.contactId}.json`, "application/json"); },
  }));
  return (
    <Show when={reaches(level.data, "admin")}>
      <section aria-labelledby="export-title" class="space-y-2 rounded-lg border border-stone-300 p-3">
        <h2 id="export-title" class="text-xl font-bold">
          {tc("export.title")}
        </h2>
        <p>{tc("export.explain")}</p>
        <ErrorAlert code={exporting.error ? errorCode(exporting.error) : null} />
        <Button variant="secondary" disabled={exporting.isPending} onClick={() => { exporting.mutate(); }}>
          {exporting.isPending ? tc("export.working") : tc("export.start")}
        </Button>
      </section>
    </Show>
  );
}

/** Admins: erase this person (after a confirmation) and follow the erase to its end. */
export function EraseContact(props: { contactId: string; onErased: () => void }) {
  const level = useStaffLevel();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = createSignal(false);
  const erase = useMutation(() => ({
    mutationFn: () => eraseContact(props.contactId),
    onSuccess: () => {
      setConfirming(false);
      void queryClient.invalidateQueries({ queryKey: erasureKey(props.contactId) });
      props.onErased();
    },
  }));
  return (
    <Show when={reaches(level.data, "admin")}>
      <section aria-labelledby="erase-title" class="space-y-2 rounded-lg border border-red-300 p-3">
        <h2 id="erase-title" class="text-xl font-bold">
          {tc("erase.title")}
        </h2>
        <p>{tc("erase.explain")}</p>
        <ErasureProgress contactId={props.contactId} />
        <ErrorAlert code={erase.error ? errorCode(erase.error) : null} />
        <Show
          when={confirming()}
          fallback={
            <Button variant="secondary" onClick={() => setConfirming(true)}>
              {tc("erase.start")}
            </Button>
          }
        >
          <div class="flex flex-wrap gap-2">
            <Button disabled={erase.isPending} onClick={() => { erase.mutate(); }}>
              {erase.isPending ? tc("erase.working") : tc("erase.confirm")}
            </Button>
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              {tc("erase.cancel")}
            </Button>
          </div>
        </Show>
      </section>
    </Show>
  );
}

/** After the contact is gone: what became of its erase, for admins (nothing for others). */
export function ErasedContact(props: { contactId: string }) {
  const level = useStaffLevel();
  return (
    <Show when={reaches(level.data, "admin")}>
      <ErasureProgress contactId={props.contactId} />
    </Show>
  );
}
