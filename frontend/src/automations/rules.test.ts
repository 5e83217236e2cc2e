import { describe, expect, it } from "vitest";
import { emptyDraft, problems, toColumns, toDraft, type AutomationRow } from "./rules";

const row: AutomationRow = {
  id: "a1",
  name: "Thank you",
  kind: "after_check_in",
  enabled: true,
  channel: "sms",
  template_id: "t1",
  sender_id: "s1",
  event_id: null,
  delay_hours: 12,
  lookback_hours: 48,
  created_by: null,
  created_at: "2026-11-25T00:00:00Z",
  updated_at: "2026-11-25T00:00:00Z",
  action: "send_template",
  tag: null,
  inactive_days: null,
  window_start: "09:00:00",
  window_end: "20:00:00",
  once_per_contact: false,
};

describe("automation rules", () => {
  it("round-trip a saved automation through the form", () => {
    const draft = toDraft(row);
    expect(draft).toMatchObject({ delayHours: "12", windowStart: "09:00", windowEnd: "20:00", templateId: "t1" });
    expect(problems(draft)).toEqual([]);
    expect(toColumns(draft)).toMatchObject({
      name: "Thank you",
      delay_hours: 12,
      channel: "sms",
      template_id: "t1",
      sender_id: "s1",
      tag: null,
      inactive_days: null,
      window_start: "09:00",
    });
  });

  it("say what is missing, with the table's bounds", () => {
    const draft = { ...emptyDraft(), delayHours: "721", windowEnd: "" };
    expect(problems(draft)).toEqual(["name", "delay", "template", "sender", "window"]);
    expect(problems({ ...draft, name: "x", kind: "no_check_in", inactiveDays: "0", action: "add_tag", windowStart: "" })).toEqual([
      "inactiveDays",
      "tag",
    ]);
  });

  it("clear what the trigger and the action do not use", () => {
    const tagging = toColumns({ ...emptyDraft(), name: "Lapsed", kind: "no_check_in", inactiveDays: "30", action: "add_tag", tag: " lapsed ", eventId: "e1", templateId: "t1" });
    expect(tagging).toMatchObject({
      kind: "no_check_in",
      inactive_days: 30,
      delay_hours: 0,
      event_id: null,
      tag: "lapsed",
      channel: null,
      template_id: null,
      sender_id: null,
    });
    expect(toColumns({ ...emptyDraft(), name: "B", kind: "birthday", windowStart: "", windowEnd: "", action: "add_tag", tag: "bday" })).toMatchObject({
      window_start: null,
      window_end: null,
    });
  });
});
