import type { Channel } from "../attendee/api";
import { errorCode, type ErrorCode } from "../lib/errors";
import type { DoorResult, Identity } from "./api";

/** An opt-in ticked on a walk-in form: recorded once the person exists in the database. */
export interface PendingOptIn {
  channel: Channel;
  disclosureId: string;
}

/** A check-in made while the network was gone, kept on this device until it is sent. */
export interface PendingCheckIn {
  id: string;
  eventId: string;
  identity: Identity;
  stationId: string | null;
  optIns: PendingOptIn[];
  queuedAt: string;
}

export interface ReplayOutcome {
  sent: { item: PendingCheckIn; result: DoorResult }[];
  refused: { item: PendingCheckIn; code: ErrorCode }[];
  /** True when the network failed again mid-way; the rest stays queued. */
  interrupted: boolean;
}

/**
 * Check-ins waiting for the network, in localStorage so a reload or a closed tab loses none.
 * Sending twice is safe: check_in is idempotent (a repeat answers already_checked_in).
 */
export class OfflineQueue {
  constructor(
    private readonly storage: Pick<Storage, "getItem" | "setItem">,
    private readonly key: string,
  ) {}

  list(): PendingCheckIn[] {
    const stored = this.storage.getItem(this.key);
    if (!stored) return [];
    const parsed: unknown = JSON.parse(stored);
    return Array.isArray(parsed) ? (parsed as PendingCheckIn[]) : [];
  }

  add(item: Omit<PendingCheckIn, "id" | "queuedAt">): PendingCheckIn {
    const pending = { ...item, id: crypto.randomUUID(), queuedAt: new Date().toISOString() };
    this.write([...this.list(), pending]);
    return pending;
  }

  remove(id: string): void {
    this.write(this.list().filter((item) => item.id !== id));
  }

  /**
   * Send every waiting check-in, oldest first. A network failure stops the replay and keeps the
   * rest; a refusal (e.g. unknown_attendee) removes the item and is reported, since sending it
   * again would be refused again.
   */
  async replay(send: (item: PendingCheckIn) => Promise<DoorResult>): Promise<ReplayOutcome> {
    const outcome: ReplayOutcome = { sent: [], refused: [], interrupted: false };
    for (const item of this.list()) {
      try {
        outcome.sent.push({ item, result: await send(item) });
        this.remove(item.id);
      } catch (error) {
        const code = errorCode(error);
        if (code === "network") {
          outcome.interrupted = true;
          break;
        }
        outcome.refused.push({ item, code });
        this.remove(item.id);
      }
    }
    return outcome;
  }

  private write(items: PendingCheckIn[]): void {
    this.storage.setItem(this.key, JSON.stringify(items));
  }
}
