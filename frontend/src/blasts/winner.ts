/** An A/B blast's "send the winner to the rest" as the results page tells it, from the
 * blast_ab_tests row (see 20261125024010_blast_ab_winner.sql; open and click rates in
 * 20261129040000_blast_email_engagement.sql). */
import type { WinnerMetric } from "./spec";

export interface VariantScore {
  variant: string;
  attempted: number;
  delivered: number;
  replied: number;
  hits: number;
  rate: number | null;
  test_weight: number;
}

export interface ChannelDecision {
  winner: string;
  metric: WinnerMetric;
  variants: VariantScore[];
}

export interface AbTest {
  test_percent: number;
  min_per_variant: number;
  decide_after_minutes: number;
  metric: WinnerMetric;
  decide_at: string | null;
  held_recipients: number;
  decided_at: string | null;
  released_recipients: number | null;
  winners: Record<string, string> | null;
  decision: Record<string, ChannelDecision> | null;
}

export type WinnerState =
  | { kind: "waiting_for_start" }
  | { kind: "waiting"; decideAt: string; held: number }
  | { kind: "no_winner" }
  | { kind: "decided"; released: number; channels: DecidedChannel[] };

export interface DecidedChannel {
  channel: string;
  metric: WinnerMetric;
  winner: VariantScore;
  others: VariantScore[];
  /** Nothing was measured by the deadline: the first variant went to the rest. */
  noResults: boolean;
  /** Some variant had fewer messages out than the minimum sample. */
  belowMinimum: boolean;
  /** The test's metric does not fit this channel (opens on texts, replies on emails): it was
   * judged by delivery rate instead. */
  fellBack: boolean;
}

export function winnerState(test: AbTest): WinnerState {
  if (test.decided_at === null) {
    return test.decide_at === null ? { kind: "waiting_for_start" } : { kind: "waiting", decideAt: test.decide_at, held: test.held_recipients };
  }
  if (test.decision === null || test.winners === null) return { kind: "no_winner" };
  const channels = Object.entries(test.decision).map(([channel, decision]): DecidedChannel => {
    const winner = decision.variants.find((v) => v.variant === decision.winner) ?? decision.variants[0];
    if (!winner) throw new RangeError(`decision without variants on ${channel}`);
    return {
      channel,
      metric: decision.metric,
      winner,
      others: decision.variants.filter((v) => v !== winner),
      noResults: winner.attempted === 0,
      belowMinimum: decision.variants.some((v) => v.attempted < test.min_per_variant),
      fellBack: decision.metric !== test.metric,
    };
  });
  return { kind: "decided", released: test.released_recipients ?? 0, channels };
}

/** "60.0%" of a rate 0.6 (one decimal, as the database's sentence). */
export function ratePercent(score: VariantScore, language: string): string {
  return new Intl.NumberFormat(language, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(score.rate ?? 0);
}
