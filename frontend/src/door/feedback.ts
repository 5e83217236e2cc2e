/** What a scan came to, as the volunteer hears and feels it. */
export type Outcome = "checked_in" | "already_checked_in" | "not_found" | "queued" | "failed";

// Tones (Hz, ms) generated with WebAudio — no audio files. Rising = in, a double mid beep =
// already in, low buzz = not found / failed; distinct enough to tell apart without looking.
const TONES: Record<Outcome, readonly (readonly [number, number])[]> = {
  checked_in: [
    [880, 90],
    [1320, 140],
  ],
  already_checked_in: [
    [660, 110],
    [660, 110],
  ],
  not_found: [[220, 380]],
  queued: [[990, 120]],
  failed: [[180, 380]],
};

const VIBRATIONS: Record<Outcome, number[]> = {
  checked_in: [80],
  already_checked_in: [80, 60, 80],
  not_found: [300],
  queued: [40],
  failed: [300, 80, 300],
};

let audio: AudioContext | undefined;

/** Browsers allow sound only after a gesture: call this from the first tap ("Start camera"). */
export function unlockSound(): void {
  audio ??= new AudioContext();
  if (audio.state === "suspended") void audio.resume();
}

/** Play the outcome's tones and vibrate (where the device can; iOS has no Vibration API). */
export function signal(outcome: Outcome): void {
  if ("vibrate" in navigator) navigator.vibrate(VIBRATIONS[outcome]);
  if (!audio || audio.state !== "running") return;
  let start = audio.currentTime;
  for (const [frequency, milliseconds] of TONES[outcome]) {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = outcome === "not_found" || outcome === "failed" ? "square" : "sine";
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.2, start);
    gain.gain.exponentialRampToValueAtTime(0.001, start + milliseconds / 1000);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(start);
    oscillator.stop(start + milliseconds / 1000);
    start += milliseconds / 1000 + 0.04;
  }
}
