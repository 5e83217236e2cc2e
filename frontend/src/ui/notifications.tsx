import { Toast, Toaster, createToaster } from "@ark-ui/solid/toast";
import { errorCode, type ErrorCode } from "../lib/errors";
import { tCommon, tError } from "../lib/i18n";

/** The app's notification area (Ark toast: a labelled live region, no axe findings). At the
 * bottom: at the top it covered the header's sign-out and language buttons. */
export const toaster = createToaster({ placement: "bottom-end", overlap: false, gap: 12, max: 4 });

export function notifySuccess(title: string): void {
  toaster.create({ title, type: "success", duration: 4000 });
}

/** Tell the person what failed in their language; the raw error never reaches the screen. */
export function notifyError(error: unknown): ErrorCode {
  const code = errorCode(error);
  toaster.create({ title: tError(code), type: "error", duration: 8000 });
  return code;
}

export function Notifications() {
  return (
    <Toaster toaster={toaster} aria-label={tCommon("notifications")}>
      {(toast) => (
        <Toast.Root
          class="w-80 rounded-lg border bg-white p-4 shadow-lg data-[type=error]:border-red-700 data-[type=success]:border-emerald-700"
        >
          <Toast.Title class="font-semibold">{toast().title}</Toast.Title>
          <Toast.Description class="text-sm">{toast().description}</Toast.Description>
          <Toast.CloseTrigger class="absolute top-2 right-2 rounded px-2 text-lg" aria-label={tCommon("close")}>
            ×
          </Toast.CloseTrigger>
        </Toast.Root>
      )}
    </Toaster>
  );
}
