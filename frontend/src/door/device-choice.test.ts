import { describe, expect, it } from "vitest";
import { pickCamera, pickStation } from "./device-choice";

describe("pickStation", () => {
  it("keeps the remembered station while it prints for the event", () => {
    expect(pickStation(["a", "b"], "b")).toBe("b");
  });
  it("falls back to the first station when the remembered one left the event", () => {
    expect(pickStation(["a", "b"], "gone")).toBe("a");
  });
  it("has none for an event without stations", () => {
    expect(pickStation([], "a")).toBeNull();
  });
});

describe("pickCamera", () => {
  const cameras = [
    { deviceId: "front", label: "Front Camera" },
    { deviceId: "back", label: "Back Camera" },
  ];
  it("prefers the last camera chosen", () => {
    expect(pickCamera(cameras, "front")).toBe("front");
  });
  it("defaults to the back camera", () => {
    expect(pickCamera(cameras, null)).toBe("back");
  });
  it("leaves the choice to the browser when no label says back", () => {
    expect(pickCamera([{ deviceId: "x", label: "" }], null)).toBeNull();
  });
});
