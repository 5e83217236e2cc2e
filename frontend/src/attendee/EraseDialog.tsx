import { Dialog } from "@ark-ui/solid/dialog";
import { Portal } from "solid-js/web";
import { Button } from "../ui/Button";
import { t } from "./t";

/** "Delete my data" asks once more in a dialog (focus moves in, Esc closes). */
export function EraseDialog(props: { onConfirm: () => Promise<void> }) {
  return (
    <Dialog.Root role="alertdialog">
      <Dialog.Trigger class="min-h-12 rounded-lg border border-red-800 px-5 py-3 font-semibold text-red-900">
        {t("me.erase")}
      </Dialog.Trigger>
      <Portal>
        <Dialog.Backdrop class="fixed inset-0 bg-black/50" />
        <Dialog.Positioner class="fixed inset-0 flex items-center justify-center p-4">
          <Dialog.Content class="max-w-sm space-y-4 rounded-xl bg-white p-6 shadow-xl">
            <Dialog.Title class="text-xl font-bold">{t("me.eraseTitle")}</Dialog.Title>
            <Dialog.Description>{t("me.eraseBody")}</Dialog.Description>
            <div class="flex flex-wrap gap-3">
              <Dialog.CloseTrigger
                class="min-h-12 rounded-lg bg-red-800 px-5 py-3 font-semibold text-white"
                onClick={() => void props.onConfirm()}
              >
                {t("me.eraseConfirm")}
              </Dialog.CloseTrigger>
              <Dialog.CloseTrigger asChild={(closeProps) => <Button variant="secondary" {...closeProps()}>{t("me.cancel")}</Button>} />
            </div>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}
