import { useMutation } from "@tanstack/solid-query";
import { Button } from "../ui/Button";
import { notifyError, notifySuccess } from "../ui/notifications";
import { sendTemplateTest, type Template } from "./api";
import { t } from "./t";

/** "Send a test to me": the saved template to the staff member's own phone or email, queued by
 * the database like any message (never to a contact). */
export function SendTestToMe(props: { template: Template; contactId: string }) {
  const addressKey = () => (props.template.channel === "email" ? "editor.sendTestEmail" : "editor.sendTestSms");
  const send = useMutation(() => ({
    mutationFn: () => sendTemplateTest(props.template.id, props.contactId),
    onSuccess: () => {
      const address = addressKey();
      notifySuccess(() => t("editor.testQueued", { address: t(address) }));
    },
    onError: (error: unknown) => notifyError(error),
  }));
  return (
    <div class="space-y-2 rounded-lg border border-stone-300 p-3">
      <p class="text-sm text-stone-700" id="send-test-hint">
        {t("editor.sendTestHint", { address: t(addressKey()) })}
      </p>
      <Button variant="secondary" aria-describedby="send-test-hint" disabled={send.isPending} onClick={() => { send.mutate(); }}>
        {send.isPending ? t("editor.sendingTest") : t("editor.sendTest")}
      </Button>
    </div>
  );
}
