import { Show, type Accessor, type JSX } from "solid-js";
import { errorCode } from "../lib/errors";
import { tCommon } from "../lib/i18n";
import { ErrorAlert } from "./ErrorAlert";

/**
 * The loading, error and empty states a staff screen shows around its data, in one place (the
 * events screens and every ListPage):
 * "Loading…" until the first answer, an error above the data (a failed background refresh says
 * so rather than leave a silently stale list), the `empty` sentence when there is nothing, else
 * the children with the data.
 */
export function DataBlock<T>(props: {
  /** undefined while the first answer is awaited. */
  data: T | undefined;
  error?: unknown;
  isEmpty?: (data: T) => boolean;
  empty?: string;
  /** What the wait is for ("Looking for duplicates…"); "Loading…" if not given. */
  loading?: string;
  /** Called once; reads the data through the accessor, so a refresh updates in place. */
  children: (data: Accessor<T>) => JSX.Element;
}) {
  return (
    <>
      <Show when={props.error}>
        <ErrorAlert code={errorCode(props.error)} />
      </Show>
      <Show
        when={props.data !== undefined}
        fallback={
          <Show when={!props.error}>
            <p role="status">{props.loading ?? tCommon("loading")}</p>
          </Show>
        }
      >
        <Show when={!props.isEmpty?.(props.data as T)} fallback={<p>{props.empty}</p>}>
          {props.children(() => props.data as T)}
        </Show>
      </Show>
    </>
  );
}
