import { winnerState, ratePercent, type AbTest } from "./winner";

const base: AbTest = {
  test_percent: 10,
  min_per_variant: 5,
  decide_after_minutes: 60,
  metric: "reply_rate",
  decide_at: null,
  held_recipients: 0,
  decided_at: null,
  released_recipients: null,
  winners: null,
  decision: null,
};

const score = (variant: string, attempted: number, hits: number) => ({
  variant,
  attempted,
  delivered: attempted,
  replied: hits,
  hits,
  rate: attempted === 0 ? null : hits / attempted,
  test_weight: 50,
});

describe("winnerState", () => {
  it("waits for the start, then for the decision time", () => {
    expect(winnerState(base)).toEqual({ kind: "waiting_for_start" });
    expect(winnerState({ ...base, decide_at: "2026-12-01T20:00:00Z", held_recipients: 30 })).toEqual({
      kind: "waiting",
      decideAt: "2026-12-01T20:00:00Z",
      held: 30,
    });
  });

  it("tells the winner, the others and whether the sample was small", () => {
    const state = winnerState({
      ...base,
      decided_at: "2026-12-01T20:00:00Z",
      released_recipients: 30,
      winners: { sms: "B" },
      decision: { sms: { winner: "B", metric: "reply_rate", variants: [score("B", 5, 3), score("A", 4, 1)] } },
    });
    expect(state.kind).toBe("decided");
    if (state.kind !== "decided") return;
    expect(state.released).toBe(30);
    expect(state.channels).toHaveLength(1);
    expect(state.channels[0]?.winner.variant).toBe("B");
    expect(state.channels[0]?.others.map((o) => o.variant)).toEqual(["A"]);
    expect(state.channels[0]?.noResults).toBe(false);
    expect(state.channels[0]?.belowMinimum).toBe(true);
  });

  it("says when nothing was measured, and when a cancelled blast had no winner", () => {
    const none = winnerState({
      ...base,
      decided_at: "2026-12-01T20:00:00Z",
      winners: { sms: "A" },
      decision: { sms: { winner: "A", metric: "reply_rate", variants: [score("A", 0, 0), score("B", 0, 0)] } },
    });
    expect(none.kind === "decided" && none.channels[0]?.noResults).toBe(true);
    expect(winnerState({ ...base, decided_at: "2026-12-01T20:00:00Z" })).toEqual({ kind: "no_winner" });
  });

  it("says which channel of an open-rate test was judged by delivery rate", () => {
    const state = winnerState({
      ...base,
      metric: "open_rate",
      decided_at: "2026-12-01T20:00:00Z",
      released_recipients: 60,
      winners: { email: "B", sms: "A" },
      decision: {
        email: { winner: "B", metric: "open_rate", variants: [score("B", 5, 3), score("A", 5, 1)] },
        sms: { winner: "A", metric: "delivery_rate", variants: [score("A", 5, 5), score("B", 5, 4)] },
      },
    });
    expect(state.kind === "decided" && state.channels.map((c) => [c.channel, c.metric, c.fellBack])).toEqual([
      ["email", "open_rate", false],
      ["sms", "delivery_rate", true],
    ]);
  });
});

describe("ratePercent", () => {
  it("shows one decimal in the reader's language", () => {
    expect(ratePercent(score("A", 5, 3), "en-US")).toBe("60.0%");
    expect(ratePercent(score("A", 0, 0), "en-US")).toBe("0.0%");
  });
});
