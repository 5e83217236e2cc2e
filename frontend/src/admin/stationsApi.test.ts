import { describe, expect, it } from "vitest";
import { pairCommand, pairingState, stationStatus } from "./stationsApi";

describe("stationStatus", () => {
  it("says disabled before anything else", () => {
    expect(stationStatus({ enabled: false, online: true })).toBe("disabled");
  });
  it("says online or offline for an enabled station", () => {
    expect(stationStatus({ enabled: true, online: true })).toBe("online");
    expect(stationStatus({ enabled: true, online: false })).toBe("offline");
  });
});

describe("pairingState", () => {
  const now = new Date("2026-11-25T20:00:00Z");
  it("calls a waiting code past its expiry expired", () => {
    expect(
      pairingState(
        { status: "waiting", expires_at: "2026-11-25T19:59:59Z" },
        now,
      ),
    ).toBe("expired");
    expect(
      pairingState(
        { status: "waiting", expires_at: "2026-11-25T20:10:00Z" },
        now,
      ),
    ).toBe("waiting");
  });
  it("shows a spent code as pairing until the worker is done", () => {
    expect(
      pairingState(
        { status: "redeemed", expires_at: "2026-11-25T19:00:00Z" },
        now,
      ),
    ).toBe("pairing");
    expect(
      pairingState(
        { status: "pairing", expires_at: "2026-11-25T19:00:00Z" },
        now,
      ),
    ).toBe("pairing");
    expect(
      pairingState(
        { status: "paired", expires_at: "2026-11-25T19:00:00Z" },
        now,
      ),
    ).toBe("paired");
    expect(
      pairingState(
        { status: "failed", expires_at: "2026-11-25T19:00:00Z" },
        now,
      ),
    ).toBe("failed");
  });
});

describe("pairCommand", () => {
  it("is what the admin types on the Pi", () => {
    expect(pairCommand("K7QX2-M9TRD")).toBe("hm pi pair K7QX2-M9TRD");
  });
});
