import { describe, expect, it } from "vitest";
import { awake, tick, type IdleState } from "./idle";

function run(seconds: number, idleAfter = 5, grace = 3): IdleState {
  let state = awake;
  for (let i = 0; i < seconds; i += 1) state = tick(state, idleAfter, grace);
  return state;
}

describe("kiosk idle clock", () => {
  it("stays quiet while someone is using it", () => {
    expect(run(4)).toEqual({ idleSeconds: 4, promptLeft: null, reset: false });
  });
  it("asks 'Still there?' with a countdown once idle", () => {
    expect(run(5).promptLeft).toBe(3);
    expect(run(7).promptLeft).toBe(1);
  });
  it("starts over when nobody answers", () => {
    expect(run(8).reset).toBe(true);
  });
});
