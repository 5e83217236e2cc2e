import { describe, expect, it } from "vitest";
import { AppError } from "../lib/errors";
import type { DoorResult } from "./api";
import { OfflineQueue, type PendingCheckIn } from "./offline-queue";

function memoryStorage() {
  const values = new Map<string, string>();
  return {
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
  };
}

function answer(item: PendingCheckIn): DoorResult {
  return {
    code: "checked_in",
    check_in_id: `ci-${item.id}`,
    contact_id: "c1",
    checked_in_at: "2026-11-25T18:00:00Z",
    display_name: "Bob",
    print_job_id: null,
  };
}

const qr = (token: string) => ({ eventId: "e1", identity: { kind: "qr" as const, token }, stationId: null, optIns: [] });

describe("OfflineQueue", () => {
  it("keeps check-ins across instances (a reload loses none)", () => {
    const storage = memoryStorage();
    new OfflineQueue(storage, "q").add(qr("a"));
    new OfflineQueue(storage, "q").add(qr("b"));
    expect(new OfflineQueue(storage, "q").list().map((item) => item.identity)).toEqual([
      { kind: "qr", token: "a" },
      { kind: "qr", token: "b" },
    ]);
  });

  it("replays oldest first and empties itself", async () => {
    const queue = new OfflineQueue(memoryStorage(), "q");
    queue.add(qr("a"));
    queue.add(qr("b"));
    const order: string[] = [];
    const outcome = await queue.replay((item) => {
      if (item.identity.kind === "qr") order.push(item.identity.token);
      return Promise.resolve(answer(item));
    });
    expect(order).toEqual(["a", "b"]);
    expect(outcome.sent).toHaveLength(2);
    expect(outcome.interrupted).toBe(false);
    expect(queue.list()).toEqual([]);
  });

  it("stops at a network failure and keeps the rest for later", async () => {
    const queue = new OfflineQueue(memoryStorage(), "q");
    queue.add(qr("a"));
    queue.add(qr("b"));
    queue.add(qr("c"));
    let calls = 0;
    const outcome = await queue.replay((item) => {
      calls += 1;
      if (calls === 2) return Promise.reject(new TypeError("Failed to fetch"));
      return Promise.resolve(answer(item));
    });
    expect(outcome.sent).toHaveLength(1);
    expect(outcome.interrupted).toBe(true);
    expect(queue.list().map((item) => (item.identity.kind === "qr" ? item.identity.token : ""))).toEqual(["b", "c"]);
  });

  it("drops and reports a refused check-in instead of retrying it forever", async () => {
    const queue = new OfflineQueue(memoryStorage(), "q");
    queue.add(qr("unknown"));
    queue.add(qr("b"));
    const outcome = await queue.replay((item) => {
      if (item.identity.kind === "qr" && item.identity.token === "unknown") return Promise.reject(new AppError("unknown_attendee"));
      return Promise.resolve(answer(item));
    });
    expect(outcome.refused.map((refusal) => refusal.code)).toEqual(["unknown_attendee"]);
    expect(outcome.sent).toHaveLength(1);
    expect(queue.list()).toEqual([]);
  });
});
