import { describe, expect, it } from "vitest";
import { erasureStage, type ErasureRequest } from "./erasure-api";

const base: ErasureRequest = {
  id: "r1",
  requested_at: "2026-11-25T10:00:00Z",
  rows_erased_at: null,
  completed_at: null,
  attempts: 0,
  last_error: null,
};

describe("erasureStage", () => {
  it("waits while the attendee's request is not carried out yet", () => {
    expect(erasureStage(base)).toBe("requested");
  });
  it("deletes files and login once the rows are anonymised", () => {
    expect(erasureStage({ ...base, rows_erased_at: "2026-11-25T10:01:00Z" })).toBe("rows_erased");
  });
  it("says it is retrying after a failed attempt", () => {
    expect(erasureStage({ ...base, rows_erased_at: "2026-11-25T10:01:00Z", attempts: 1, last_error: "storage: 503" })).toBe(
      "retrying",
    );
  });
  it("is complete when files and login are gone", () => {
    expect(erasureStage({ ...base, rows_erased_at: "x", completed_at: "2026-11-25T10:02:00Z", last_error: null })).toBe(
      "completed",
    );
  });
});
