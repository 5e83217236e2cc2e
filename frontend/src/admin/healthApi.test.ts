import { describe, expect, it } from "vitest";
import { capUsedPercent, loginErrorsByStation, secondsSince, shortAge, type SenderBucket } from "./healthApi";

const sender: SenderBucket = {
  id: "s1",
  name: "Main line",
  channel: "sms",
  enabled: true,
  capacity: 1,
  tokens: 1,
  used_today: 250,
  daily_cap: 1000,
};

describe("secondsSince", () => {
  it("counts whole seconds from a timestamp to the database's now", () => {
    expect(secondsSince("2026-11-25T18:00:00Z", new Date("2026-11-25T18:00:07.4Z"))).toBe(7);
  });
  it("never goes negative when the timestamp is a little ahead", () => {
    expect(secondsSince("2026-11-25T18:00:02Z", new Date("2026-11-25T18:00:00Z"))).toBe(0);
  });
});

describe("shortAge", () => {
  it.each([
    [45, { value: 45, unit: "s" }],
    [60, { value: 1, unit: "min" }],
    [3599, { value: 59, unit: "min" }],
    [7200, { value: 2, unit: "h" }],
    [200_000, { value: 2, unit: "d" }],
  ])("%i s reads as %o", (seconds, age) => {
    expect(shortAge(seconds)).toEqual(age);
  });
});

describe("capUsedPercent", () => {
  it("is the share of today's cap used", () => {
    expect(capUsedPercent(sender)).toBe(25);
  });
  it("stops at 100 when refunds arrive late", () => {
    expect(capUsedPercent({ ...sender, used_today: 1200 })).toBe(100);
  });
  it("is null without a cap", () => {
    expect(capUsedPercent({ ...sender, daily_cap: null })).toBeNull();
  });
});

describe("loginErrorsByStation", () => {
  it("finds each station's login error by its id", () => {
    const failing = { device_id: "d1", locked: false, attempts: 3, last_error: "AuthRetryableError: timeout" };
    const errors = loginErrorsByStation([failing]);
    expect(errors.get("d1")).toBe(failing);
    expect(errors.get("d2")).toBeUndefined();
  });
});
