import { Toast, Toaster, createToaster } from "@ark-ui/solid/toast";
import { errorCode, type ErrorCode } from "../lib/errors";
import { tCommon, tError } from "../lib/i18n";

/** A notice's words, looked up when shown: a toast still on screen when the person switches
 * language is re-read in the new one (a string would stay in the language it was made in). */
export type Words = () => string;

/** The app's notification area (Ark toast: a labelled live region, no axe findings). At the
 * bottom: at the top it covered the header's sign-out and language buttons. */
export const toaster = createToaster({ placement: "bottom-end", overlap: false, gap: 12, max: 4 });

/** The words of the toasts on screen, by toast id (Ark's toast title is a fixed element). */
const shown = new Map<string, Words>();
let shownCount = 0;

function show(words: Words, type: "success" | "error", duration: number): void {
  shownCount += 1;
  const id = `notice-${shownCount}`;
  shown.set(id, words);
  toaster.create({
    id,
    type,
    duration,
    onStatusChange: ({ status }) => {
      if (status === "unmounted") shown.delete(id);
    },
  });
}

export function notifySuccess(words: Words): void {
  show(words, "success", 4000);
}

/** Tell the person what failed in their language; the raw error never reaches the screen. */
export function notifyError(error: unknown): ErrorCode {
  const code = errorCode(error);
  show(() => tError(code), "error", 8000);
  return code;
}

export function Notifications() {
  return (
    <Toaster toaster={toaster} aria-label={tCommon("notifications")}>
      {(toast) => (
        <Toast.Root
          class="w-80 rounded-lg border bg-white p-4 shadow-lg data-[type=error]:border-red-700 data-[type=success]:border-emerald-700"
        >
          <Toast.Title class="font-semibold">{shown.get(toast().id ?? "")?.()}</Toast.Title>
          <Toast.CloseTrigger class="absolute top-2 right-2 rounded px-2 text-lg" aria-label={tCommon("close")}>
            ×
          </Toast.CloseTrigger>
        </Toast.Root>
      )}
    </Toaster>
  );
}
