import { Show } from "solid-js";
import type { ErrorCode } from "../lib/errors";
import { tError } from "../lib/i18n";

/** An error sentence announced by screen readers; renders nothing without a code. */
export function ErrorAlert(props: { code: ErrorCode | null | undefined }) {
  return (
    <div role="alert" class="empty:hidden">
      <Show when={props.code}>
        {(code) => <p class="rounded-lg border border-red-700 bg-red-50 p-3 text-red-900">{tError(code())}</p>}
      </Show>
    </div>
  );
}
