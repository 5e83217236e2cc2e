import { describe, expect, it } from "vitest";
import { stackHeights } from "./BarChart";
import { consentByMonth, messagesPerDay, periodRates, type DailyRates, type MessageDailyStats } from "./dashboardApi";

function stats(day: string, status: MessageDailyStats["status"], messages: number, channel: "sms" | "email" = "sms"): MessageDailyStats {
  return { day, status, messages, channel, direction: "outbound", kind: "blast", segments: messages };
}

function rate(day: string, texted: number, replied: number, optedOut: number): DailyRates {
  return {
    day,
    contacts_texted: texted,
    contacts_replied: replied,
    contacts_opted_out: optedOut,
    reply_rate: null,
    opt_out_rate: null,
  };
}

describe("messagesPerDay", () => {
  it("adds channels and kinds up per day and status, days in order", () => {
    const days = messagesPerDay([
      stats("2026-11-21", "failed", 1),
      stats("2026-11-20", "delivered", 3),
      stats("2026-11-20", "delivered", 2, "email"),
      stats("2026-11-20", "undelivered", 1),
    ]);
    expect(days.map((day) => day.day)).toEqual(["2026-11-20", "2026-11-21"]);
    expect(days[0]?.counts).toMatchObject({ delivered: 5, undelivered: 1, failed: 0 });
    expect(days[1]?.counts.failed).toBe(1);
  });
});

describe("periodRates", () => {
  it("is delivered over final outcomes, and replies and opt-outs over contacts texted", () => {
    const days = messagesPerDay([stats("2026-11-20", "delivered", 6), stats("2026-11-20", "failed", 2), stats("2026-11-20", "sent", 5)]);
    expect(periodRates(days, [rate("2026-11-20", 8, 2, 1), rate("2026-11-21", 2, 0, 0)])).toEqual({
      delivery: 0.75,
      reply: 0.2,
      optOut: 0.1,
    });
  });
  it("has no rate without anything to divide by", () => {
    expect(periodRates([], [])).toEqual({ delivery: null, reply: null, optOut: null });
  });
});

describe("stackHeights", () => {
  it("stacks from the bottom, scaled to the tallest stack", () => {
    expect(stackHeights([30, 10], 80, 200)).toEqual([
      { y: 125, h: 75 },
      { y: 100, h: 25 },
    ]);
  });
  it("draws nothing when every value is zero", () => {
    expect(stackHeights([0], 0, 200)).toEqual([{ y: 200, h: 0 }]);
  });
});

describe("consentByMonth", () => {
  it("carries each channel's total through months where only the other changed", () => {
    const rows = [
      { channel: "sms" as const, month: "2026-09-01T00:00:00+00:00", opted_in: 1, opted_out: 0, opted_in_total: 1 },
      { channel: "email" as const, month: "2026-10-01T00:00:00+00:00", opted_in: 1, opted_out: 0, opted_in_total: 1 },
      { channel: "sms" as const, month: "2026-11-01T00:00:00+00:00", opted_in: 2, opted_out: 0, opted_in_total: 3 },
    ];
    expect(consentByMonth(rows, 12).map(({ sms, email }) => [sms, email])).toEqual([
      [1, 0],
      [1, 1],
      [3, 1],
    ]);
    expect(consentByMonth(rows, 1)).toHaveLength(1);
  });
});
