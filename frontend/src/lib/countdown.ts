import { createSignal, onCleanup } from "solid-js";

/** Seconds left until something may happen again (e.g. asking for another code). */
export function createCountdown() {
  const [secondsLeft, setSecondsLeft] = createSignal(0);
  let timer: ReturnType<typeof setInterval> | undefined;
  const stop = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };
  const start = (seconds: number) => {
    stop();
    setSecondsLeft(seconds);
    timer = setInterval(() => {
      const next = secondsLeft() - 1;
      setSecondsLeft(Math.max(next, 0));
      if (next <= 0) stop();
    }, 1000);
  };
  onCleanup(stop);
  return { secondsLeft, start };
}
