import { createEffect, createSignal, onCleanup, type Accessor } from "solid-js";

/** The source's value once it has stayed unchanged for `ms` (live previews, counts and searches
 * ask the database once per pause in typing, not once per key). A value `immediately` accepts
 * (a cleared search box) is taken at once. */
export function createDebounced<T>(
  source: Accessor<T>,
  ms: number,
  options: { immediately?: (value: T) => boolean } = {},
): Accessor<T> {
  const [value, setValue] = createSignal<T>(source());
  createEffect(() => {
    const next = source();
    if (options.immediately?.(next)) {
      setValue(() => next);
      return;
    }
    const timer = setTimeout(() => {
      setValue(() => next);
    }, ms);
    onCleanup(() => {
      clearTimeout(timer);
    });
  });
  return value;
}
