import { For, Show, createSignal } from "solid-js";
import { displayPhone } from "../lib/phone";
import { Button } from "../ui/Button";
import { notifyError } from "../ui/notifications";
import { testAutomation, type TestResult } from "./api";
import { t } from "./t";

function Preview(props: { preview: NonNullable<TestResult["preview"]>; sms: boolean }) {
  return (
    <figure class="space-y-1 rounded-lg border border-stone-300 bg-stone-50 p-3">
      <figcaption class="font-semibold">
        {props.preview.name ? t("test.preview", { name: props.preview.name }) : t("test.previewAnyone")}
      </figcaption>
      <Show when={props.preview.toAddress}>{(address) => <p class="text-sm">{t("test.to", { address: displayPhone(address()) })}</p>}</Show>
      <Show when={!props.preview.maySend}>
        <p class="text-sm text-amber-900">{t("test.skipped")}</p>
      </Show>
      <Show when={props.preview.subject}>{(subject) => <p class="text-sm">{t("test.subject", { subject: subject() })}</p>}</Show>
      <p class="whitespace-pre-wrap" data-testid="automation-preview">
        {props.preview.body}
      </p>
      <Show when={props.sms}>
        <p class="text-sm text-stone-700">{t("test.segments", { count: String(props.preview.segments) })}</p>
      </Show>
    </figure>
  );
}

/** "Test it": who the automation would reach now and one rendered message (public.test_automation
 * records and sends nothing); on request, a copy of that message to the staff member. */
export function TestPanel(props: { automationId: string; channel: string | null }) {
  const [result, setResult] = createSignal<TestResult | null>(null);
  const [busy, setBusy] = createSignal<"test" | "send" | null>(null);
  const run = async (sendToMe: boolean) => {
    setBusy(sendToMe ? "send" : "test");
    try {
      setResult(await testAutomation(props.automationId, sendToMe));
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(null);
    }
  };
  return (
    <section class="space-y-3 border-t border-stone-300 pt-4" aria-labelledby="automation-test">
      <h2 id="automation-test" class="text-xl font-bold">
        {t("test.title")}
      </h2>
      <p>{t("test.intro")}</p>
      <div class="flex flex-wrap gap-3">
        <Button onClick={() => void run(false)} disabled={busy() !== null}>
          {busy() === "test" ? t("test.running") : t("test.run")}
        </Button>
        <Button variant="secondary" onClick={() => void run(true)} disabled={busy() !== null}>
          {busy() === "send" ? t("test.sending") : t("test.sendToMe")}
        </Button>
      </div>
      <div role="status" class="space-y-3">
        <Show when={result()}>
          {(current) => (
            <>
              <p>{t("test.reach", { due: String(current().due), act: String(current().wouldAct) })}</p>
              <Show when={current().wouldSend !== null && current().wouldAct > 0}>
                <p>
                  {current().wouldSend === current().wouldAct
                    ? t("test.sendAll")
                    : t("test.send", { count: String(current().wouldSend) })}
                </p>
              </Show>
              <Show when={current().testSentTo}>{(address) => <p class="font-semibold">{t("test.sentTo", { address: displayPhone(address()) })}</p>}</Show>
            </>
          )}
        </Show>
      </div>
      <Show when={result()}>
        {(current) => (
          <>
            <Show when={current().contacts.length > 0}>
              <h3 class="font-semibold">{t("test.contacts")}</h3>
              <ul class="list-disc pl-6">
                <For each={current().contacts}>{(contact) => <li>{contact.name || t("test.unnamed")}</li>}</For>
              </ul>
            </Show>
            <Show when={current().preview} fallback={<Show when={current().wouldSend !== null}><p>{t("test.noPreview")}</p></Show>}>
              {(preview) => <Preview preview={preview()} sms={props.channel === "sms"} />}
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
