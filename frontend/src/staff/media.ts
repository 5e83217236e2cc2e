import { createSignal, onCleanup, type Accessor } from "solid-js";

/** Whether a CSS media query matches now, following the window as it is resized or turned. */
export function createMediaQuery(query: string): Accessor<boolean> {
  const list = window.matchMedia(query);
  const [matches, setMatches] = createSignal(list.matches);
  const follow = (event: MediaQueryListEvent) => setMatches(event.matches);
  list.addEventListener("change", follow);
  onCleanup(() => {
    list.removeEventListener("change", follow);
  });
  return matches;
}
