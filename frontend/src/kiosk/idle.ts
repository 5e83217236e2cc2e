/** The kiosk's clock: after `idleAfter` seconds without a touch it asks "Still there?", and
 * after `graceSeconds` more without an answer it starts over. Pure, so tests can tick it. */
export interface IdleState {
  idleSeconds: number;
  /** Seconds left before the reset while the prompt shows; null while no prompt shows. */
  promptLeft: number | null;
  reset: boolean;
}

export function tick(state: IdleState, idleAfter: number, graceSeconds: number): IdleState {
  const idleSeconds = state.idleSeconds + 1;
  if (idleSeconds < idleAfter) return { idleSeconds, promptLeft: null, reset: false };
  const promptLeft = graceSeconds - (idleSeconds - idleAfter);
  return promptLeft <= 0 ? { idleSeconds, promptLeft: 0, reset: true } : { idleSeconds, promptLeft, reset: false };
}

export const awake: IdleState = { idleSeconds: 0, promptLeft: null, reset: false };
