import { Dialog } from "@ark-ui/solid/dialog";
import { Portal } from "solid-js/web";
import { Button } from "../ui/Button";
import { t } from "./t";

/** A control that says what will happen and asks once more (focus moves in, Esc closes). */
export function ConfirmButton(props: {
  label: string;
  title: string;
  body: string;
  confirm: string;
  danger?: boolean;
  disabled?: boolean;
  onConfirm: () => void;
}) {
  return (
    <Dialog.Root role="alertdialog">
      <Dialog.Trigger
        disabled={props.disabled}
        class={`min-h-12 rounded-lg px-5 py-3 font-semibold disabled:bg-stone-400 ${props.danger ? "border border-red-800 bg-white text-red-900" : "bg-teal-800 text-white"}`}
      >
        {props.label}
      </Dialog.Trigger>
      <Portal>
        <Dialog.Backdrop class="fixed inset-0 bg-black/50" />
        <Dialog.Positioner class="fixed inset-0 flex items-center justify-center p-4">
          <Dialog.Content class="max-w-md space-y-4 rounded-xl bg-white p-6 shadow-xl">
            <Dialog.Title class="text-xl font-bold">{props.title}</Dialog.Title>
            <Dialog.Description>{props.body}</Dialog.Description>
            <div class="flex flex-wrap gap-3">
              <Dialog.CloseTrigger
                class={`min-h-12 rounded-lg px-5 py-3 font-semibold text-white ${props.danger ? "bg-red-800" : "bg-teal-800"}`}
                onClick={() => {
                  props.onConfirm();
                }}
              >
                {props.confirm}
              </Dialog.CloseTrigger>
              <Dialog.CloseTrigger asChild={(closeProps) => <Button variant="secondary" {...closeProps()}>{t("controls.keep")}</Button>} />
            </div>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}
