/** Where a blast is, from its live counters — the numbers the progress, the controls and their
 * confirmations speak of. "Completed" is only ever the database's status: while it says
 * sending, the screen says sending, whatever the arithmetic. */
import type { Blast } from "./api";

export interface Progress {
  total: number;
  sent: number;
  delivered: number;
  failed: number;
  skipped: number;
  optedOut: number;
  /** Not yet sent, failed or skipped (counted as `hm blasts` counts it). */
  toSend: number;
  /** Sent + failed + skipped: the recipients the blast is done with. */
  handled: number;
  percent: number;
}

type Counters = Pick<
  Blast,
  "recipients_total" | "sent_count" | "delivered_count" | "failed_count" | "skipped_count" | "opted_out_count" | "status"
>;

export function progressOf(blast: Counters): Progress {
  const total = blast.recipients_total;
  const handled = Math.min(blast.sent_count + blast.failed_count + blast.skipped_count, total);
  const toSend = blast.status === "completed" || blast.status === "cancelled" ? 0 : Math.max(total - handled, 0);
  return {
    total,
    sent: blast.sent_count,
    delivered: blast.delivered_count,
    failed: blast.failed_count,
    skipped: blast.skipped_count,
    optedOut: blast.opted_out_count,
    toSend,
    handled,
    percent: total === 0 ? 0 : Math.floor((handled / total) * 100),
  };
}

export interface Sample {
  at: number;
  handled: number;
}

/** Recipients per second over the last `windowMs` of samples (null until two samples span it). */
export function rateOf(samples: readonly Sample[], windowMs = 15_000): number | null {
  const last = samples.at(-1);
  if (!last) return null;
  const first = samples.find((s) => s.at >= last.at - windowMs);
  if (!first || last.at - first.at < 1000) return null;
  return (last.handled - first.handled) / ((last.at - first.at) / 1000);
}

/** Seconds left at the current rate; null when the rate is unknown or zero. */
export function etaSeconds(toSend: number, rate: number | null): number | null {
  if (rate === null || rate <= 0) return null;
  return Math.ceil(toSend / rate);
}

/** Keep the samples of the last minute, adding one when the count moved. */
export function addSample(samples: readonly Sample[], sample: Sample): Sample[] {
  const recent = samples.filter((s) => s.at >= sample.at - 60_000);
  const last = recent.at(-1);
  return last && last.handled === sample.handled ? recent : [...recent, sample];
}

/** How often the blast page rereads the blast row while it sends (bench/blast_progress.py).
 * Realtime wakes the page when the counters are folded, but its change feed carries every
 * message's status change too, so under a busy blast the push can trail the database by
 * seconds; a one-row read each second keeps the screen within about a second of the counters
 * whatever Realtime's backlog. */
export const SENDING_REFETCH_MS = 1000;

/** The blast page's polling: only while the blast sends (nothing else moves on its own). */
export function progressRefetchMs(status: Blast["status"] | undefined): number | false {
  return status === "sending" ? SENDING_REFETCH_MS : false;
}
