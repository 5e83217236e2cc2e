import { For, Show } from "solid-js";
import { runtimeConfig } from "../lib/config";
import { Button } from "../ui/Button";
import { notifyError, notifySuccess } from "../ui/notifications";
import { webhookUrls } from "./senderSetup";
import { tSenderSetup } from "./senderSetupT";

async function copy(url: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(url);
    notifySuccess(() => tSenderSetup("webhooks.copied"));
  } catch (error) {
    notifyError(error);
  }
}

/** The URLs to paste into the providers' consoles, each with a copy button. */
export function WebhookUrls() {
  const urls = () => webhookUrls(runtimeConfig().webhookPublicUrl ?? "");
  return (
    <section aria-labelledby="webhook-urls" class="space-y-3 rounded-lg border border-stone-300 bg-white p-4">
      <h2 id="webhook-urls" class="text-lg font-bold">
        {tSenderSetup("webhooks.title")}
      </h2>
      <Show when={urls().length > 0} fallback={<p>{tSenderSetup("webhooks.notConfigured")}</p>}>
        <p>{tSenderSetup("webhooks.intro")}</p>
        <dl class="space-y-3">
          <For each={urls()}>
            {(entry) => (
              <div>
                <dt class="font-medium">{tSenderSetup(`webhooks.${entry.target}`)}</dt>
                <dd class="flex flex-wrap items-center gap-2">
                  <code class="break-all rounded bg-stone-100 px-2 py-1">{entry.url}</code>
                  <Button
                    variant="secondary"
                    class="min-h-10 px-3 py-1 text-sm"
                    aria-label={tSenderSetup("webhooks.copyLabel", { target: tSenderSetup(`webhooks.${entry.target}`) })}
                    onClick={() => void copy(entry.url)}
                  >
                    {tSenderSetup("webhooks.copy")}
                  </Button>
                </dd>
              </div>
            )}
          </For>
        </dl>
      </Show>
    </section>
  );
}
