import { createEffect, createSignal, onCleanup, type Accessor } from "solid-js";

/** The source's value once it has stayed unchanged for `ms` (live previews and counts ask the
 * database once per pause in typing, not once per key). */
export function createDebounced<T>(source: Accessor<T>, ms: number): Accessor<T> {
  const [value, setValue] = createSignal<T>(source());
  createEffect(() => {
    const next = source();
    const timer = setTimeout(() => {
      setValue(() => next);
    }, ms);
    onCleanup(() => {
      clearTimeout(timer);
    });
  });
  return value;
}
